package detect

import "testing"

// check runs a validator by name the way a rule does.
func check(t *testing.T, name, v string) (int, bool) {
	t.Helper()
	f := validators[name]
	if f == nil {
		t.Fatalf("no validator %q", name)
	}
	return f(v, &compiledRule{minEntropy: 3})
}

func TestValidators(t *testing.T) {
	tests := []struct {
		validator, name, value string
		want                   bool
	}{
		{"ssn", "valid", "123-45-6780", true},
		{"ssn", "valid plain", "412889012", true},
		{"ssn", "area 000", "000-12-3456", false},
		{"ssn", "area 666", "666-12-3456", false},
		{"ssn", "area 9xx", "912-34-5678", false},
		{"ssn", "group 00", "123-00-4567", false},
		{"ssn", "serial 0000", "123-45-0000", false},
		{"ssn", "Woolworth wallet sample", "078-05-1120", false},
		{"ssn", "SSA pamphlet sample", "219-09-9999", false},
		{"ssn", "placeholder", "123-45-6789", false},
		{"ssn", "one digit", "111-11-1111", false},
		{"ssn", "too short", "123-45-678", false},
		{"luhn", "valid", "4532015112830366", true},
		{"luhn", "bad check digit", "4532015112830367", false},
		{"card", "visa", "4532015112830366", true},
		{"card", "visa grouped", "4532 0151 1283 0366", true},
		{"card", "visa dashes", "4532-0151-1283-0366", true},
		{"card", "amex test number, 4-6-5", "3714 496353 98431", false},
		{"card", "amex 4-6-5", "3713 851293 01004", true},
		{"card", "amex", "371385129301004", true},
		{"card", "mastercard 2-series", "2223000048400011", true},
		{"card", "published test number", "4111111111111111", false},
		{"card", "Luhn fails", "4532015112830367", false},
		{"card", "unknown issuer", "9532015112830361", false},
		{"card", "visa wrong length", "453201511283036", false},
		{"card", "odd grouping", "45320 15112 830366", false},
		{"iban", "DE grouped", "DE89 3704 0044 0532 0130 00", true},
		{"iban", "GB compact", "GB29NWBK60161331926819", true},
		{"iban", "bad check digits", "DE89 3704 0044 0532 0130 01", false},
		{"iban", "wrong length", "DE89 3704 0044 0532 0130", false},
		{"iban", "unknown country", "XX89 3704 0044 0532 0130 00", false},
		{"iban", "glued to more", "DE8937040044053201300012", false},
		{"aba", "valid", "111000012", true},
		{"aba", "valid 2", "071000152", true},
		{"aba", "checksum", "111000013", false},
		{"aba", "bad prefix", "501000019", false},
		{"nanp", "ten digits", "(713) 853-1234", true},
		{"nanp", "leading 1", "1-800-525-6285", true},
		{"nanp", "area starts with 1", "113-853-1234", false},
		{"nanp", "exchange starts with 0", "713-053-1234", false},
		{"nanp", "N11 area", "911-853-1234", false},
		{"nanp", "fiction 555-01XX", "713-555-0142", false},
		{"nanp", "nine digits", "713-853-123", false},
		{"nanp_local", "valid", "853-1234", true},
		{"nanp_local", "N11", "411-1234", false},
		{"phone", "international", "+44 20 7783 5355", true},
		{"phone", "one digit repeated", "0000000", false},
		{"phone", "too long", "1234567890123456", false},
		{"date", "month name", "June 15, 2000", true},
		{"date", "ordinal", "July 12th", true},
		{"date", "day first", "15 June 2000", true},
		{"date", "US numeric", "06/15/2000", true},
		{"date", "European numeric", "15.06.2000", true},
		{"date", "ISO", "2000-06-15", true},
		{"date", "two-digit year", "3/14/62", true},
		{"date", "no such day", "02/30/2001", false},
		{"date", "leap day", "02/29/2000", true},
		{"date", "not leap", "02/29/1900", false},
		{"date", "month 13 both ways", "13/13/2000", false},
		{"date", "year out of range", "06/15/1066", false},
		{"date", "not a month", "Mayor 12", false},
		{"secret", "password", "samkitty", true},
		{"secret", "with symbols", "k8#Qz!pL2", true},
		{"secret", "stop word", "their", false},
		{"secret", "case", "case", false},
		{"secret", "masked", "********", false},
		{"secret", "placeholder", "<password>", false},
		{"secret", "query string", "&nextURL=%2f", false},
		{"secret", "too short", "ab", false},
		{"secret", "url", "http://x.com", false},
		{"passport", "nine digits", "123456789", true},
		{"passport", "letter and digits", "X12345678", true},
		{"passport", "short", "12345", false},
		{"amount", "salary", "$120,000", true},
		{"amount", "zero", "$0.00", false},
		{"account_no", "digits", "3750494727", true},
		{"account_no", "too short", "123", false},
		{"account_no", "one digit repeated", "00000000", false},
		{"jwt", "token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", true},
		{"jwt", "not json", "eyJub3QganNvbg.eyJzdWIiOiIxIn0.abcdefghijk", false},
		{"aws_key", "key", "AKIAQWERTYUIOPASDF23", true},
		{"aws_key", "documentation example", "AKIAIOSFODNN7EXAMPLE", false},
		{"entropy", "random", "q8Zr2vLk9Xw4Tb7N", true},
		{"entropy", "repetitive", "aaaaaaaaaaaaaaab", false},
	}
	for _, tt := range tests {
		t.Run(tt.validator+"/"+tt.name, func(t *testing.T) {
			if _, got := check(t, tt.validator, tt.value); got != tt.want {
				t.Errorf("%s(%q) = %v, want %v", tt.validator, tt.value, got, tt.want)
			}
		})
	}
}

func TestValidatorsTrim(t *testing.T) {
	tests := []struct {
		validator, value string
		want             int
	}{
		{"iban", "DE89 3704 0044 0532 0130 00 BIC COBA", len("DE89 3704 0044 0532 0130 00")},
		{"secret", "samkitty.", len("samkitty")},
		{"secret", "enron)", len("enron")},
	}
	for _, tt := range tests {
		if n, ok := check(t, tt.validator, tt.value); !ok || n != tt.want {
			t.Errorf("%s(%q) = %d, %v, want %d, true", tt.validator, tt.value, n, ok, tt.want)
		}
	}
}
