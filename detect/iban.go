package detect

// ibanLengths is the IBAN length of each country that issues them
// (ISO 13616 registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
	"DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27,
	"MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28,
	"PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
	"SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// ibanLen reads an IBAN at the start of v (spaces between characters
// allowed), checks the country's length and the ISO 7064 mod-97 check
// digits, and returns the byte length of the IBAN within v.
func ibanLen(v string) (int, bool) {
	if len(v) < 4 {
		return 0, false
	}
	want, ok := ibanLengths[v[:2]]
	if !ok {
		return 0, false
	}
	var chars []byte
	end := 0
	for i := 0; i < len(v) && len(chars) < want; i++ {
		c := v[i]
		switch {
		case c == ' ':
			continue
		case isDigit(c) || 'A' <= c && c <= 'Z':
			chars = append(chars, c)
			end = i + 1
		default:
			return 0, false
		}
	}
	if len(chars) != want || !isDigit(chars[2]) || !isDigit(chars[3]) {
		return 0, false
	}
	// What follows must not continue the IBAN's last group.
	if end < len(v) && v[end] != ' ' {
		return 0, false
	}
	if mod97(append(chars[4:], chars[:4]...)) != 1 {
		return 0, false
	}
	return end, true
}

// mod97 computes the remainder of the number that an IBAN's characters
// spell, letters counting as 10 (A) to 35 (Z).
func mod97(chars []byte) int {
	r := 0
	for _, c := range chars {
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A'+10)) % 97
		}
	}
	return r
}
