package mailgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Generated identifiers. Each passes the validator Leakscope's detection
// applies to its kind, and none is a published sample or a real person's:
// they are drawn at random for the demo.

// sampleSSNs are numbers printed in advertising and documentation, which
// detection refuses.
var sampleSSNs = map[string]bool{"078-05-1120": true, "219-09-9999": true, "123-45-6789": true, "457-55-5462": true,
	"111-22-3333": true, "042-10-3580": true}

// genSSN returns a Social Security number that follows the SSA's rules:
// area 001-899 but not 666, group 01-99, serial 0001-9999.
func genSSN(r *rand.Rand) string {
	for {
		area := 1 + r.IntN(899)
		if area == 666 {
			continue
		}
		s := fmt.Sprintf("%03d-%02d-%04d", area, 1+r.IntN(99), 1+r.IntN(9999))
		if !sampleSSNs[s] {
			return s
		}
	}
}

// luhnDigit returns the check digit that makes digits+check pass the
// Luhn test.
func luhnDigit(digits string) byte {
	sum, double := 0, true
	for i := len(digits) - 1; i >= 0; i-- {
		n := int(digits[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// genCard returns a 16-digit Visa number written in groups of four.
func genCard(r *rand.Rand) string {
	d := []byte("4")
	for len(d) < 15 {
		d = append(d, byte('0'+r.IntN(10)))
	}
	d = append(d, luhnDigit(string(d)))
	return fmt.Sprintf("%s %s %s %s", d[0:4], d[4:8], d[8:12], d[12:16])
}

// genIBAN returns an IBAN with ISO 7064 mod 97-10 check digits, written in
// groups of four: a British one (bank code, sort code, account) or a
// German one (Bankleitzahl, account).
func genIBAN(r *rand.Rand, country string) string {
	var bban string
	switch country {
	case "GB":
		var b strings.Builder
		for range 4 {
			b.WriteByte(byte('A' + r.IntN(26)))
		}
		bban = b.String() + digits(r, 14)
	default:
		country, bban = "DE", digits(r, 18)
	}
	check := 98 - mod97(bban+country+"00")
	iban := fmt.Sprintf("%s%02d%s", country, check, bban)
	var groups []string
	for i := 0; i < len(iban); i += 4 {
		groups = append(groups, iban[i:min(i+4, len(iban))])
	}
	return strings.Join(groups, " ")
}

// mod97 is the remainder by 97 of the number s spells, letters counting
// 10 (A) to 35 (Z).
func mod97(s string) int {
	m := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			m = (m*10 + int(c-'0')) % 97
		} else {
			m = (m*100 + int(c-'A'+10)) % 97
		}
	}
	return m
}

// genRouting returns an ABA routing number: a Federal Reserve prefix and
// the 3-7-1 checksum.
func genRouting(r *rand.Rand) string {
	prefixes := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}
	d := fmt.Sprintf("%02d", prefixes[r.IntN(len(prefixes))]) + digits(r, 6)
	w := []int{3, 7, 1, 3, 7, 1, 3, 7}
	sum := 0
	for i := range 8 {
		sum += w[i] * int(d[i]-'0')
	}
	return d + string(byte('0'+(10-sum%10)%10))
}

// genAccount returns a bank account number of ten digits.
func genAccount(r *rand.Rand) string { return string(byte('1'+r.IntN(9))) + digits(r, 9) }

// genPassport returns a nine-digit passport number.
func genPassport(r *rand.Rand) string { return string(byte('1'+r.IntN(9))) + digits(r, 8) }

// genPhone returns a Los Angeles number in the 555 exchange (never
// 555-01XX, which the numbering plan keeps for fiction and detection
// refuses).
func genPhone(r *rand.Rand) string {
	areas := []string{"310", "323", "818", "424", "213"}
	return fmt.Sprintf("(%s) 555-%04d", areas[r.IntN(len(areas))], 200+r.IntN(9800))
}

// genBirth returns a birth date between the given years.
func genBirth(r *rand.Rand, from, to int) time.Time {
	y := from + r.IntN(to-from+1)
	return time.Date(y, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
}

// genPassword returns a password as people choose them: a word, digits
// and a symbol.
func genPassword(r *rand.Rand) string {
	return fmt.Sprintf("%s-%04d%c", nwWords[r.IntN(len(nwWords))], r.IntN(10000), "!#$%?"[r.IntN(5)])
}

// genAWSKeyID returns an AWS-style access key id: AKIA and 16 base-32
// characters, at least 13 of them different (a key that repeats itself
// looks like a placeholder).
func genAWSKeyID(r *rand.Rand) string {
	for {
		k := randomChars(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
		distinct := map[rune]bool{}
		for _, c := range k {
			distinct[c] = true
		}
		if len(distinct) >= 13 {
			return "AKIA" + k
		}
	}
}

// genAWSSecret returns an AWS-style secret access key: 40 base-64
// characters.
func genAWSSecret(r *rand.Rand) string {
	return randomChars(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40)
}

func digits(r *rand.Rand, n int) string { return randomChars(r, "0123456789", n) }

func randomChars(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// money formats a whole amount of dollars: $1,234,500.
func money(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return "$" + b.String()
}
