package detect

import (
	"reflect"
	"testing"
)

func TestNumberRuns(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"phone with parentheses", "Call (713) 853-1234 now", []string{"713) 853-1234"}},
		{"grouped card", "4111 1111 1111 1111.", []string{"4111 1111 1111 1111"}},
		{"wrapped line", "713 \n345-7427", []string{"713 \n345-7427"}},
		{"blank line splits", "713\n\n345-7427", []string{"713", "345-7427"}},
		{"words split", "box 12 and 34", []string{"12", "34"}},
		{"long separator splits", "12    34", []string{"12", "34"}},
		{"comma list", "1,234,567 and 8", []string{"1,234,567", "8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range numberRuns(tt.text, nil) {
				got = append(got, tt.text[r.start:r.end])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("numberRuns(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestNumberBoundary(t *testing.T) {
	tests := []struct {
		name, text, value string
		want              bool
	}{
		{"alone", "SSN 123-45-6780.", "123-45-6780", true},
		{"slash continues", "528-12-2400/05", "528-12-2400", false},
		{"dash continues", "1-123-45-6780", "123-45-6780", false},
		{"glued to letters", "x123-4567", "123-4567", false},
		{"space is a boundary", "Box 1188 123-45-6780", "123-45-6780", true},
		{"thousands comma", "$159,500/Yr", "$159", false},
		{"thousands before", "1,234", "234", false},
		{"cell comma", "Roe,737-28-3544,10/16/1955", "737-28-3544", true},
		{"cell comma after four digits", "1997,737-537-1692", "737-537-1692", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := indexOf(tt.text, tt.value)
			if got := numberBoundary(tt.text, i, i+len(tt.value)); got != tt.want {
				t.Errorf("numberBoundary(%q, %q) = %v, want %v", tt.text, tt.value, got, tt.want)
			}
		})
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestHeaderCell(t *testing.T) {
	csv := "name,ssn,dob\nJane Roe,123-45-6780,04/12/1978\nJoe Doe,234-56-7890,01/02/1960\n"
	tests := []struct {
		name, text, at, want string
	}{
		{"second column", csv, "234-56-7890", "ssn"},
		{"third column", csv, "04/12/1978", "dob"},
		{"tsv", "Employee\tBase Salary\nDana\t$120,000\n", "$120,000", "Base Salary"},
		{"header row itself", csv, "dob", ""},
		{"prose", "Hi Jane, the number is 123-45-6780, ok, thanks", "123-45-6780", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, e, ok := headerCell(tt.text, indexOf(tt.text, tt.at))
			got := ""
			if ok {
				got = tt.text[s:e]
			}
			if got != tt.want {
				t.Errorf("headerCell(%q at %q) = %q, want %q", tt.text, tt.at, got, tt.want)
			}
		})
	}
}

func TestSentenceBreak(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"one sentence, two clauses", false},
		{"end. Next", true},
		{"question? next", true},
		{"line\nnext line", false},
		{"paragraph\n\nnext", true},
		{"version 2.10 here", false},
	}
	for _, tt := range tests {
		if got := sentenceBreak(tt.text, 0, len(tt.text)); got != tt.want {
			t.Errorf("sentenceBreak(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestCompileNBSP(t *testing.T) {
	tests := []struct {
		pattern, text string
		want          string
	}{
		{`pass code: (\w+)`, "pass\u00a0code:\u00a0x", "pass\u00a0code:\u00a0x"},
		{`SSN\s*(\d+)`, "SSN\u00a0123", "SSN\u00a0123"},
		{`x[^\s]+`, "xab\u00a0cd", "xab"},
		{`(?i)sensitivity:\s*confidential`, "Sensitivity:\u00a0CONFIDENTIAL", "Sensitivity:\u00a0CONFIDENTIAL"},
	}
	for _, tt := range tests {
		re, err := compileNBSP(tt.pattern)
		if err != nil {
			t.Fatalf("compileNBSP(%q) = %v", tt.pattern, err)
		}
		if got := re.FindString(tt.text); got != tt.want {
			t.Errorf("compileNBSP(%q).FindString(%q) = %q, want %q", tt.pattern, tt.text, got, tt.want)
		}
	}
}
