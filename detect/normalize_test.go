package detect

import (
	"errors"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestNormalizeIdentifierMatchesIdentifiers checks that what a person
// types normalises to what Identifiers reports for the same value in a
// message: otherwise exposure checks would miss.
func TestNormalizeIdentifierMatchesIdentifiers(t *testing.T) {
	d, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, kind, typed, body string
	}{
		{"ssn", leakscope.IdentSSN, "536 22 1847", "Her SSN is 536-22-1847, please file it."},
		{"card", leakscope.IdentCreditCard, "4556-7375-8689-9855", "Card number: 4556 7375 8689 9855 exp 04/03"},
		{"iban", leakscope.IdentIBAN, "gb82 west 1234 5698 7654 32", "Wire to IBAN GB82 WEST 1234 5698 7654 32 today."},
		{"phone", leakscope.IdentPhone, "713.853.1234", "Call me at (713) 853-1234 tomorrow."},
		{"email", leakscope.IdentEmail, " Jane.Doe@Example.COM", "write to jane.doe@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := NormalizeIdentifier(tt.kind, tt.typed)
			if err != nil {
				t.Fatalf("NormalizeIdentifier(%q, %q): %v", tt.kind, tt.typed, err)
			}
			found := false
			ids := d.Identifiers(&leakscope.Message{}, &leakscope.Text{Body: tt.body})
			for _, id := range ids {
				found = found || (id.Kind == tt.kind && id.Value == want)
			}
			if !found {
				t.Errorf("NormalizeIdentifier(%q, %q) = %q; Identifiers(%q) = %v, without it", tt.kind, tt.typed, want, tt.body, ids)
			}
		})
	}
}

func TestNormalizeIdentifierErrors(t *testing.T) {
	tests := []struct{ kind, value string }{
		{leakscope.IdentSSN, "123-45-678"},
		{leakscope.IdentSSN, "666-45-6789"},
		{leakscope.IdentSSN, "123-00-6789"},
		{leakscope.IdentCreditCard, "4556 7375 8689 9856"},
		{leakscope.IdentIBAN, "GB82 WEST 1234 5698 7654 33"},
		{leakscope.IdentPhone, "12345"},
		{leakscope.IdentEmail, "jane.doe"},
		{"passport", "X1234567"},
	}
	for _, tt := range tests {
		if got, err := NormalizeIdentifier(tt.kind, tt.value); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("NormalizeIdentifier(%q, %q) = %q, %v; want an invalid-input error", tt.kind, tt.value, got, err)
		}
	}
}
