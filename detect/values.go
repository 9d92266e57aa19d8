package detect

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/leakscope/leakscope"
)

// A flagged value that Redact masks is looked up exactly, never in part:
// the search index holds the masked text and, for each flagged value, a
// keyed hash of its category and normal form (NormalizeValue); a query
// that may look values up hashes each form the typed text can take
// (LookupForms) the same way.

// Masked reports whether Redact masks the values of category: the
// categories of leakscope.MaskedFlags, and those of user rules, which it
// masks as it masks passport numbers (only leakscope.MaskedFlags are
// looked up: NormalizeValue has no form for others).
func Masked(category string) bool {
	return category != leakscope.FlagLegalPrivilege && category != leakscope.FlagConfidential && category != ""
}

// NormalizeValue returns the normal form of a value of a masked category,
// under which one value written in different ways is looked up: "" when v
// is not a value of that category (or the category is not masked).
//
//	ssn, credit_card, bank_account  the digits ("536-22-1847" is 536221847); only digits and - . / and spaces
//	iban                            upper case, without spaces; only letters, digits and spaces
//	phone                           as the identifiers of Identifiers ("+13105551234"); digits and + - ( ) . / spaces
//	passport                        letters and digits, upper case; only those and - and spaces
//	date_of_birth                   YYYY-MM-DD ("May 6, 1979", "05/06/1979" and "1979-05-06" are 1979-05-06; a numeric
//	                                date is read month first when it can be); a date without a year is 0000-MM-DD
//	credential, secret_key          as written, runs of white space made one space: case counts
//	compensation                    lower case, from the first digit on, without commas and white space
//	                                ("$1,025,000" is 1025000, "$85k per year" 85kperyear)
//	medical, offensive              the words, lower case, apostrophes dropped, one space apart
//
// The identifier categories (ssn, credit_card, bank_account, iban, phone)
// are normalised as Identifiers normalises them, so a value has one keyed
// hash in the store and in the index.
func NormalizeValue(category, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	switch category {
	case leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagBankAccount:
		if !onlyDigitsAnd(v, " -./") {
			return ""
		}
		return digitsOf(v)
	case leakscope.FlagIBAN:
		if !onlyAlnumAnd(v, " ") {
			return ""
		}
		return normalizeIdentifier(category, v)
	case leakscope.FlagPhone:
		if !onlyDigitsAnd(v, " +-()./") {
			return ""
		}
		if n := normalizeIdentifier(category, v); digitsOf(n) != "" {
			return n
		}
		return ""
	case leakscope.FlagPassport:
		if !onlyAlnumAnd(v, " -") {
			return ""
		}
		return strings.ToUpper(alnumOf(v))
	case leakscope.FlagDateOfBirth:
		if rest, yearless := strings.CutPrefix(v, "0000-"); yearless {
			if _, m, d, ok := dateParts("2000-" + rest); ok {
				return fmt.Sprintf("0000-%02d-%02d", m, d)
			}
			return ""
		}
		y, m, d, ok := dateParts(v)
		if !ok {
			return ""
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case leakscope.FlagCredential, leakscope.FlagSecretKey:
		return strings.Join(strings.Fields(v), " ")
	case leakscope.FlagCompensation:
		i := strings.IndexFunc(v, func(r rune) bool { return '0' <= r && r <= '9' })
		if i < 0 {
			return ""
		}
		return strings.Map(func(r rune) rune {
			if r == ',' || unicode.IsSpace(r) {
				return -1
			}
			return unicode.ToLower(r)
		}, v[i:])
	case leakscope.FlagMedical, leakscope.FlagOffensive:
		return strings.Join(valueWords(v), " ")
	}
	return ""
}

// LookupForms returns each masked category under which typed text (a
// word or a phrase of a query) has a normal form, with that form: the
// values it may be. "536-22-1847" may be an SSN, a card or account number,
// a phone or passport number, a password or key, a word of an offensive
// or medical finding...; each form is looked up.
func LookupForms(typed string) []leakscope.Identifier {
	var out []leakscope.Identifier
	for _, c := range leakscope.MaskedFlags {
		if n := NormalizeValue(c, typed); n != "" {
			out = append(out, leakscope.Identifier{Kind: c, Value: n})
		}
	}
	return out
}

func onlyDigitsAnd(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

func onlyAlnumAnd(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

func alnumOf(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if isAlnum(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// valueWords returns the words of v, lower-cased: runs of letters, marks
// and digits, apostrophes inside a word dropped ("Crohn's" is crohns), as
// the search index reads words.
func valueWords(v string) []string {
	var out []string
	var cur []rune
	rs := []rune(v)
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) }
	for i, r := range rs {
		switch {
		case word(r):
			cur = append(cur, unicode.ToLower(r))
		case (r == '\'' || r == '\u2019') && len(cur) > 0 && i+1 < len(rs) && word(rs[i+1]):
		default:
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
