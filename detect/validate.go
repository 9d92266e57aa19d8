package detect

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
)

// A validator checks a candidate value and returns how many of its bytes
// form the value (len(v) unless it trims a greedy match), or ok = false.
type validator func(v string, r *compiledRule) (n int, ok bool)

// validators are the checks a rule names with `validator = "..."`.
var validators = map[string]validator{
	"ssn":        whole(validSSN),
	"luhn":       whole(func(v string) bool { d := digitsOf(v); return len(d) >= 12 && luhn(d) }),
	"card":       whole(validCard),
	"iban":       func(v string, _ *compiledRule) (int, bool) { return ibanLen(v) },
	"aba":        whole(validABA),
	"nanp":       whole(validNANP),
	"nanp_local": whole(validNANPLocal),
	"phone":      whole(validPhone),
	"date":       whole(validDate),
	"entropy":    func(v string, r *compiledRule) (int, bool) { return len(v), entropy(v) >= r.minEntropy },
	"jwt":        whole(validJWT),
	"aws_key":    whole(func(v string) bool { return !strings.Contains(v, "EXAMPLE") && entropy(v) >= 3 }),
	"passport":   whole(validPassport),
	"secret":     func(v string, _ *compiledRule) (int, bool) { return secretLen(v) },
	"amount":     whole(validAmount),
	"account_no": whole(validAccountNumber),
}

func whole(f func(string) bool) validator {
	return func(v string, _ *compiledRule) (int, bool) { return len(v), f(v) }
}

func digitsOf(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// sampleSSNs are numbers printed in advertising, documentation and test
// data (the Woolworth wallet card 078-05-1120, the 1940s SSA pamphlet
// 219-09-9999, the 123-45-6789 placeholder): never a real person's.
var sampleSSNs = map[string]bool{
	"078051120": true, "219099999": true, "123456789": true, "987654320": true,
	"987654321": true, "457555462": true, "111223333": true, "042103580": true,
}

// validSSN applies the Social Security Administration's rules: no area 000,
// 666 or 900-999, no group 00, no serial 0000, no number made of one digit,
// no known sample number.
func validSSN(v string) bool {
	d := digitsOf(v)
	if len(d) != 9 || sampleSSNs[d] || strings.Count(d, d[:1]) == 9 {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// luhn reports whether a digit string passes the Luhn (mod 10) check.
func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// testCards are the payment-card numbers published by processors for
// testing; they pass the Luhn check but belong to no one.
var testCards = map[string]bool{
	"4111111111111111": true, "4012888888881881": true, "4222222222222": true,
	"5555555555554444": true, "5105105105105100": true, "378282246310005": true,
	"371449635398431": true, "6011111111111117": true, "6011000990139424": true,
	"30569309025904": true, "38520000023237": true, "3530111333300000": true,
	"3566002020360505": true, "4242424242424242": true, "4000056655665556": true,
	"5200828282828210": true, "2223003122003222": true,
}

// validCard checks the issuer prefix (IIN) against the length, the Luhn
// digit, and that separators, if any, make a usual grouping (4-4-4-4,
// 4-6-5, 4-6-4, 4-4-4-4-3).
func validCard(v string) bool {
	d := digitsOf(v)
	if testCards[d] || !luhn(d) || !cardIIN(d) || strings.Count(d, d[:1]) == len(d) {
		return false
	}
	var groups []int
	n := 0
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			n++
		} else if n > 0 {
			groups = append(groups, n)
			n = 0
		}
	}
	groups = append(groups, n)
	if len(groups) == 1 {
		return true
	}
	for _, g := range [][]int{{4, 4, 4, 4}, {4, 6, 5}, {4, 6, 4}, {4, 4, 4, 4, 3}, {4, 4, 4, 4, 2}, {4, 4, 4, 1}} {
		if equalInts(groups, g) {
			return true
		}
	}
	return false
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func prefixIn(d string, n int, lo, hi int) bool {
	if len(d) < n {
		return false
	}
	p := 0
	for i := 0; i < n; i++ {
		p = p*10 + int(d[i]-'0')
	}
	return lo <= p && p <= hi
}

// cardIIN checks the major networks' issuer ranges and lengths.
func cardIIN(d string) bool {
	l := len(d)
	switch {
	case d[0] == '4': // Visa
		return l == 13 || l == 16 || l == 19
	case prefixIn(d, 2, 51, 55) || prefixIn(d, 4, 2221, 2720): // Mastercard
		return l == 16
	case prefixIn(d, 2, 34, 34) || prefixIn(d, 2, 37, 37): // American Express
		return l == 15
	case prefixIn(d, 4, 6011, 6011) || prefixIn(d, 3, 644, 649) || prefixIn(d, 2, 65, 65): // Discover
		return l >= 16 && l <= 19
	case prefixIn(d, 3, 300, 305) || prefixIn(d, 2, 36, 36) || prefixIn(d, 2, 38, 39): // Diners Club
		return l >= 14 && l <= 19
	case prefixIn(d, 4, 3528, 3589): // JCB
		return l >= 16 && l <= 19
	case prefixIn(d, 2, 62, 62): // UnionPay
		return l >= 16 && l <= 19
	}
	return false
}

// validABA checks an ABA routing transit number: nine digits, a Federal
// Reserve prefix (00-12, 21-32, 61-72, 80) and the 3-7-1 checksum.
func validABA(v string) bool {
	d := digitsOf(v)
	if len(d) != 9 || strings.Count(d, d[:1]) == 9 {
		return false
	}
	if !(prefixIn(d, 2, 0, 12) || prefixIn(d, 2, 21, 32) || prefixIn(d, 2, 61, 72) || prefixIn(d, 2, 80, 80)) {
		return false
	}
	w := [9]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += w[i] * int(d[i]-'0')
	}
	return sum%10 == 0
}

// validNANP checks a North American number: 10 digits, or 11 with a
// leading 1; area code and exchange start with 2-9, neither is N11, the
// area code's middle digit is not 9, and 555-01XX (fiction) is refused.
func validNANP(v string) bool {
	d := digitsOf(v)
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 {
		return false
	}
	area, exch := d[:3], d[3:6]
	if area[0] < '2' || exch[0] < '2' || area[1] == '9' {
		return false
	}
	if area[1:] == "11" || exch[1:] == "11" {
		return false
	}
	return !(exch == "555" && d[6:8] == "01")
}

// validNANPLocal checks a seven-digit local number: the exchange starts
// with 2-9 and is not N11, and 555-01XX is refused.
func validNANPLocal(v string) bool {
	d := digitsOf(v)
	return len(d) == 7 && d[0] >= '2' && d[1:3] != "11" && !(d[:3] == "555" && d[3:5] == "01")
}

// validPhone accepts 7 to 15 digits that are not all the same.
func validPhone(v string) bool {
	d := digitsOf(v)
	return len(d) >= 7 && len(d) <= 15 && strings.Count(d, d[:1]) != len(d)
}

// validPassport accepts 6 to 9 characters with at least 6 digits, not all
// the same digit.
func validPassport(v string) bool {
	d := digitsOf(v)
	return len(v) >= 6 && len(v) <= 9 && len(d) >= 6 && strings.Count(d, d[:1]) != len(d)
}

// validAccountNumber accepts 4 to 17 digits that are not all the same.
func validAccountNumber(v string) bool {
	d := digitsOf(v)
	return len(d) >= 4 && len(d) <= 17 && strings.Count(d, d[:1]) != len(d)
}

// validAmount refuses round placeholders such as "$0" and "$00.00".
func validAmount(v string) bool {
	return strings.Trim(digitsOf(v), "0") != ""
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var n [256]int
	for i := 0; i < len(s); i++ {
		n[s[i]]++
	}
	h := 0.0
	for _, c := range n {
		if c > 0 {
			p := float64(c) / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// validJWT decodes the first segment of a JSON Web Token and requires a
// JSON object with an "alg" member.
func validJWT(v string) bool {
	head, _, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(head, "="))
	if err != nil {
		return false
	}
	var h map[string]any
	if json.Unmarshal(b, &h) != nil {
		return false
	}
	_, ok = h["alg"]
	return ok
}
