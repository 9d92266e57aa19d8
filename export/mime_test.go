package export

import "testing"

func TestExtension(t *testing.T) {
	tests := []struct{ name, ctype, want string }{
		{"figures.csv", "text/csv", ".csv"},
		{"Report.PDF", "", ".pdf"},
		{"noext", "application/pdf", ".pdf"},
		{"evil.../..\\x", "text/plain", ".txt"},
		{"a.verylongextension", "", ".bin"},
		{"", "application/x-unknown", ".bin"},
	}
	for _, tt := range tests {
		if got := extension(tt.name, tt.ctype); got != tt.want {
			t.Errorf("extension(%q, %q) = %q, want %q", tt.name, tt.ctype, got, tt.want)
		}
	}
}
