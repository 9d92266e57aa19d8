package detect

import (
	"fmt"
	"reflect"
	"testing"
)

func TestMatcher(t *testing.T) {
	terms := []string{"attorney client", "client", "ss#", "he", "she", "hers"}
	m, err := newMatcher(terms)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       []string // term@start-end
	}{
		{"plain", "the attorney client memo", []string{"he@1-3", "attorney client@4-19", "client@13-19"}},
		{"case and hyphen", "ATTORNEY-CLIENT", []string{"attorney client@0-15", "client@9-15"}},
		{"line break and spaces", "attorney \n  client", []string{"attorney client@0-18", "client@12-18"}},
		{"no-break space", "attorney\u00a0client", []string{"attorney client@0-16", "client@10-16"}},
		{"underscore", "attorney_client.pdf", []string{"attorney client@0-15", "client@9-15"}},
		{"punctuation term", "SS# 123", []string{"ss#@0-3"}},
		{"overlapping suffixes", "ushers", []string{"she@1-4", "he@2-4", "hers@2-6"}},
		{"nothing", "lawyer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range m.scan(tt.text, nil) {
				got = append(got, fmt.Sprintf("%s@%d-%d", terms[h.term], h.start, h.end))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("scan(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestNormalizeTerm(t *testing.T) {
	for in, want := range map[string]string{
		"Attorney-Client": "attorney client", "  work   product ": "work product", "api_key": "api key",
		"-----BEGIN": "begin", "SS#": "ss#",
	} {
		if got := normalizeTerm(in); got != want {
			t.Errorf("normalizeTerm(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWordBoundaries checks the Scunthorpe problem on the built-in
// offensive lexicon: words inside other words are not flagged.
func TestWordBoundaries(t *testing.T) {
	d := newTestDetector(t, Options{})
	tests := []struct {
		name, text string
		want       []string
	}{
		{"innocent words", "Scunthorpe, Dickson, the assistant, the cockpit, class, Sussex, shiitake, kinoidiot@hotmail.com", nil},
		{"whole word", "what an idiot", []string{"idiot"}},
		{"wildcard ending", "fucking hell", []string{"fucking"}},
		{"punctuation around", "(bullshit!)", []string{"bullshit"}},
		{"capitals", "IDIOT CEO", []string{"IDIOT"}},
		{"surname", "Kelly P. Dyke, Engineering", nil},
		{"slur in lower case", "he called her a dyke", []string{"dyke"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := values(d, "offensive", tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("offensive findings in %q = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
