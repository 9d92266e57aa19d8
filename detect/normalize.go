package detect

import (
	"fmt"
	"strings"

	"github.com/leakscope/leakscope"
)

// NormalizeIdentifier returns the normal form of an identifier a person
// types in ("123-45-6789", "4111 1111 1111 1111", "+1 (713) 853-1234"),
// the form Identifiers gives the same identifier found in a message, so
// that the two can be compared. kind is one of the leakscope.Ident* kinds.
// A value that detection would never report (a malformed SSN, a card
// number failing its check digit) is an error wrapping
// leakscope.ErrInvalidInput that says why.
func NormalizeIdentifier(kind, value string) (string, error) {
	v := strings.TrimSpace(value)
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("not a valid %s: %s: %w", kind, why, leakscope.ErrInvalidInput)
	}
	switch kind {
	case leakscope.IdentSSN:
		if d := digitsOf(v); len(d) != 9 {
			return bad("want 9 digits")
		}
		if !validSSN(v) {
			return bad("no SSN has this area, group or serial number (or it is a published sample number)")
		}
		return digitsOf(v), nil
	case leakscope.IdentCreditCard:
		d := digitsOf(v)
		if len(d) < 12 || len(d) > 19 {
			return bad("want 12 to 19 digits")
		}
		if !luhn(d) {
			return bad("the check digit is wrong (Luhn)")
		}
		return d, nil
	case leakscope.IdentIBAN:
		u := strings.ToUpper(strings.Join(strings.Fields(v), ""))
		if n, ok := ibanLen(u); !ok || n != len(u) {
			return bad("wrong length for its country or wrong check digits")
		}
		return u, nil
	case leakscope.IdentBankAccount:
		d := digitsOf(v)
		if len(d) < 4 || len(d) > 17 {
			return bad("want 4 to 17 digits")
		}
		return d, nil
	case leakscope.IdentPhone:
		if d := digitsOf(v); len(d) < 7 || len(d) > 15 {
			return bad("want 7 to 15 digits")
		}
		return normalizePhone(v), nil
	case leakscope.IdentEmail:
		e := strings.ToLower(v)
		at := strings.LastIndexByte(e, '@')
		if at <= 0 || at == len(e)-1 || strings.ContainsAny(e, " \t<>") {
			return bad("want an address like name@example.com")
		}
		return e, nil
	}
	return "", fmt.Errorf("unknown identifier kind %q: %w", kind, leakscope.ErrInvalidInput)
}
