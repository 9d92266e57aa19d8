package detect

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// gen makes synthetic values for the evaluation set: valid identifiers
// (checksums computed, never real people's) and their look-alikes.
type gen struct{ r *rand.Rand }

func (g gen) pick(list ...string) string { return list[g.r.IntN(len(list))] }

func (g gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g gen) name() string {
	return g.pick("Dana Whitfield", "Marco Ellery", "Priya Raman", "Tom Okafor", "Lena Brandt", "Sam Castillo",
		"Ruth Abernathy", "Ken Mizuno", "Alice Fenwick", "Joe Pardee", "Nora Quist", "Ben Halloran")
}

// ssn returns a valid SSN, 123-45-6789 style.
func (g gen) ssn() string {
	for {
		area := 1 + g.r.IntN(899)
		if area == 666 {
			continue
		}
		s := fmt.Sprintf("%03d-%02d-%04d", area, 1+g.r.IntN(99), 1+g.r.IntN(9999))
		if validSSN(s) {
			return s
		}
	}
}

// luhnComplete appends the Luhn check digit to a digit string.
func luhnComplete(d string) string {
	for c := byte('0'); c <= '9'; c++ {
		if luhn(d + string(c)) {
			return d + string(c)
		}
	}
	panic("unreachable")
}

// card returns a valid card number of a network, digits only.
func (g gen) card() string {
	for {
		var d string
		switch g.r.IntN(5) {
		case 0:
			d = luhnComplete("4" + g.digits(14))
		case 1:
			d = luhnComplete(fmt.Sprintf("5%d", 1+g.r.IntN(5)) + g.digits(13))
		case 2:
			d = luhnComplete(g.pick("34", "37") + g.digits(12))
		case 3:
			d = luhnComplete("6011" + g.digits(11))
		default:
			d = luhnComplete(fmt.Sprintf("%d", 2221+g.r.IntN(500)) + g.digits(11))
		}
		if validCard(d) {
			return d
		}
	}
}

// groupCard writes a card number the way people do.
func (g gen) groupCard(d string) string {
	sep := g.pick(" ", "-", "")
	if sep == "" {
		return d
	}
	if len(d) == 15 {
		return d[:4] + sep + d[4:10] + sep + d[10:]
	}
	return d[:4] + sep + d[4:8] + sep + d[8:12] + sep + d[12:]
}

// iban returns a valid IBAN of a country, grouped by four or compact.
func (g gen) iban(grouped bool) string {
	cc := g.pick("DE", "FR", "GB", "NL", "ES", "IT", "CH", "BE")
	n := ibanLengths[cc] - 4
	var bban string
	switch cc {
	case "GB", "NL":
		bban = g.pick("NWBK", "BARC", "ABNA", "RABO") + g.digits(n-4)
	case "IT":
		bban = "X" + g.digits(n-1)
	default:
		bban = g.digits(n)
	}
	check := 98 - mod97([]byte(bban+cc+"00"))
	s := fmt.Sprintf("%s%02d%s", cc, check, bban)
	if !grouped {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// aba returns a valid routing number.
func (g gen) aba() string {
	for {
		d := fmt.Sprintf("%02d", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 26, 31, 32, 61, 63, 71}[g.r.IntN(20)]) + g.digits(6)
		for c := byte('0'); c <= '9'; c++ {
			if validABA(d + string(c)) {
				return d + string(c)
			}
		}
	}
}

// badABA returns nine digits that fail the routing checksum.
func (g gen) badABA() string {
	for {
		d := "0" + g.digits(8)
		if !validABA(d) {
			return d
		}
	}
}

// phone returns a North American number in a common format.
func (g gen) phone() string {
	area := fmt.Sprintf("%d%d%d", 2+g.r.IntN(8), g.r.IntN(9), g.r.IntN(10))
	if area[1:] == "11" {
		area = "713"
	}
	exch := fmt.Sprintf("%d%02d", 2+g.r.IntN(8), 20+g.r.IntN(79))
	line := g.digits(4)
	switch g.r.IntN(5) {
	case 0:
		return "(" + area + ") " + exch + "-" + line
	case 1:
		return area + "." + exch + "." + line
	case 2:
		return "+1 " + area + " " + exch + " " + line
	case 3:
		return "1-" + area + "-" + exch + "-" + line
	}
	return area + "-" + exch + "-" + line
}

func (g gen) password() string {
	return g.pick("Tr0ub4dor&3", "sunflower77", "Winter2014!", "k8#Qz!pL2", "bluefish22", "Hx9-wq7e",
		"m0nkeyBusiness", "Passw0rdX9")
}

func (g gen) alnum(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

const (
	upper32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnums  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

func (g gen) awsKey() string { return "AKIA" + g.alnum(16, upper32) }
func (g gen) githubToken() string {
	return "ghp_" + g.alnum(36, alnums)
}
func (g gen) slackToken() string {
	return "xoxb-" + g.digits(12) + "-" + g.digits(13) + "-" + g.alnum(24, alnums)
}
func (g gen) googleKey() string { return "AIza" + g.alnum(35, alnums) }
func (g gen) jwt() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc([]byte(fmt.Sprintf(`{"sub":"%s","name":"user","iat":1516239022}`, g.digits(10)))) + "." + g.alnum(43, alnums)
}
func (g gen) privateKey() string {
	var b strings.Builder
	b.WriteString("-----BEGIN RSA PRIVATE KEY-----\n")
	for i := 0; i < 6; i++ {
		b.WriteString(g.alnum(64, alnums+"+/") + "\n")
	}
	b.WriteString("-----END RSA PRIVATE KEY-----")
	return b.String()
}

// salary returns a pay figure as people write it.
func (g gen) salary() string {
	k := 40 + g.r.IntN(260)
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("$%d,%03d", k, g.r.IntN(2)*500)
	case 1:
		return fmt.Sprintf("$%dK", k)
	case 2:
		return fmt.Sprintf("$%dk", k)
	}
	return fmt.Sprintf("$%d,000", k)
}

// birthDate returns a plausible birth date in a common format.
func (g gen) birthDate() string {
	y, m, d := 1940+g.r.IntN(60), 1+g.r.IntN(12), 1+g.r.IntN(28)
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("%02d/%02d/%d", m, d, y)
	case 1:
		return fmt.Sprintf("%s %d, %d", months[m-1], d, y)
	case 2:
		return fmt.Sprintf("%d %s %d", d, months[m-1], y)
	}
	return fmt.Sprintf("%d-%02d-%02d", y, m, d)
}

func (g gen) passport() string {
	if g.r.IntN(2) == 0 {
		return g.digits(9)
	}
	return g.pick("X", "P", "C") + g.digits(8)
}
