package export_test

import (
	"fmt"
	"testing"

	"github.com/leakscope/leakscope/export"
)

func TestFormatBates(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		digits int
		n      uint64
		want   string
	}{
		{"first", "ACME", 7, 1, "ACME0000001"},
		{"padded", "ACME", 7, 1234, "ACME0001234"},
		{"full width", "X_", 3, 999, "X_999"},
		{"wider than digits", "X", 3, 1000, "X1000"},
		{"no padding", "P-", 1, 7, "P-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := export.FormatBates(tt.prefix, tt.digits, tt.n); got != tt.want {
				t.Errorf("FormatBates(%q, %d, %d) = %q, want %q", tt.prefix, tt.digits, tt.n, got, tt.want)
			}
		})
	}
	if got := export.FormatBatesRange("A", 2, 3, 5); got != "A03-A05" {
		t.Errorf("FormatBatesRange(A, 2, 3, 5) = %q, want A03-A05", got)
	}
	if got := export.FormatBatesRange("A", 2, 3, 3); got != "A03" {
		t.Errorf("FormatBatesRange(A, 2, 3, 3) = %q, want A03", got)
	}
}

func TestMIH(t *testing.T) {
	tests := []struct{ messageID, want string }{
		// The example of Relativity's EDRM MIH documentation.
		{"CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com", "1de319c276884bd0c9e2f1621ada26cc"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := export.MIH(tt.messageID); got != tt.want {
			t.Errorf("MIH(%q) = %q, want %q", tt.messageID, got, tt.want)
		}
	}
}

func ExampleFormatBates() {
	fmt.Println(export.FormatBates("ACME", 7, 42))
	fmt.Println(export.FormatBatesRange("ACME", 7, 42, 44))
	// Output:
	// ACME0000042
	// ACME0000042-ACME0000044
}

func ExampleMIH() {
	// The Message-ID without its angle brackets, as leakscope stores it.
	fmt.Println(export.MIH("CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com"))
	// Output: 1de319c276884bd0c9e2f1621ada26cc
}
