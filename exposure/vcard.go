package exposure

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxVCardLine bounds one unfolded vCard line (a photo in base64 can be
// long; it is skipped).
const maxVCardLine = 1 << 20

// ReadVCards reads people from vCards (RFC 6350 version 4.0, RFC 2426
// version 3.0 and version 2.1 as Outlook and phones export them): lines
// folded with a leading space or tab are unfolded, a group prefix
// ("item1.EMAIL") is ignored, values are unescaped (\n \, \; \\), and 2.1
// values in quoted-printable (with soft line breaks) and in ISO-8859-1 or
// Windows-1252 are decoded. A card gives a Person from FN (or N when FN is
// missing), every EMAIL, ORG (its first unit is the department), TITLE,
// and VIP when CATEGORIES holds "VIP" or X-VIP is yes; other properties
// are ignored.
//
// Every line that cannot be used is reported, by number, in the returned
// error (errors of type *LineError joined, wrapping
// leakscope.ErrInvalidInput), and the people of the other cards are
// returned: a property outside a card, a card not ended, a line without
// ':', an EMAIL that is no address, a card without any address.
func ReadVCards(r io.Reader) ([]Person, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var errs lineErrors
	var people []Person
	var card *Person
	cardLine := 0
	var nameN string // from N, used when there is no FN
	lineNo := 0
	// pending holds the logical line being unfolded and where it started.
	var pending strings.Builder
	pendingLine := 0
	tooLong := false
	flush := func() {
		if pending.Len() == 0 && !tooLong {
			return
		}
		text := pending.String()
		at := pendingLine
		pending.Reset()
		if tooLong {
			tooLong = false
			errs.add(at, "line longer than %d bytes", maxVCardLine)
			return
		}
		name, params, value, ok := splitProperty(text)
		if !ok {
			if strings.TrimSpace(text) != "" {
				errs.add(at, "no ':' in property line")
			}
			return
		}
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VCARD"):
			if card != nil {
				errs.add(cardLine, "vCard not ended before the next BEGIN:VCARD at line %d", at)
			}
			card, cardLine, nameN = &Person{}, at, ""
			return
		case name == "END" && strings.EqualFold(value, "VCARD"):
			if card == nil {
				errs.add(at, "END:VCARD without BEGIN:VCARD")
				return
			}
			if card.Name == "" {
				card.Name = nameN
			}
			if len(card.Addresses) == 0 {
				errs.add(cardLine, "vCard has no e-mail address")
			} else {
				people = append(people, *card)
			}
			card = nil
			return
		case card == nil:
			errs.add(at, "property outside a vCard")
			return
		}
		value, err := decodeValue(params, value)
		if err != nil {
			errs.add(at, "%s: %v", name, err)
			return
		}
		switch name {
		case "FN":
			card.Name = strings.TrimSpace(unescape(value))
		case "N":
			// Family;Given;Additional;Prefixes;Suffixes
			parts := splitUnescaped(value, ';')
			var name []string
			for _, i := range []int{3, 1, 2, 0, 4} {
				if i < len(parts) && strings.TrimSpace(parts[i]) != "" {
					name = append(name, strings.TrimSpace(parts[i]))
				}
			}
			nameN = strings.Join(name, " ")
		case "EMAIL":
			a, ok := NormalizeAddress(unescape(value))
			if !ok {
				errs.add(at, "EMAIL is not an e-mail address")
				return
			}
			if !slices.Contains(card.Addresses, a) {
				card.Addresses = append(card.Addresses, a)
			}
		case "ORG":
			if parts := splitUnescaped(value, ';'); len(parts) > 1 {
				card.Department = strings.TrimSpace(parts[1])
			}
		case "TITLE":
			card.Title = strings.TrimSpace(unescape(value))
		case "CATEGORIES":
			for _, c := range splitUnescaped(value, ',') {
				if strings.EqualFold(strings.TrimSpace(c), "vip") {
					card.VIP = true
				}
			}
		case "X-VIP":
			if vip, ok := parseFlag(strings.TrimSpace(unescape(value))); ok {
				card.VIP = card.VIP || vip
			} else {
				errs.add(at, "X-VIP: not a yes/no value")
			}
		}
	}
	qpSoft := false // the previous physical line ended a quoted-printable soft break
	for {
		raw, err := br.ReadString('\n')
		if raw == "" && err != nil {
			if err != io.EOF {
				return people, fmt.Errorf("read vCards: %w", err)
			}
			break
		}
		lineNo++
		raw = strings.TrimRight(raw, "\r\n")
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		switch {
		case qpSoft:
			// A quoted-printable soft line break: drop the '=' and join.
			joined := strings.TrimSuffix(pending.String(), "=")
			pending.Reset()
			pending.WriteString(joined)
			appendBounded(&pending, raw, &tooLong)
		case len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t') && pending.Len() > 0:
			appendBounded(&pending, raw[1:], &tooLong)
		default:
			flush()
			pendingLine = lineNo
			appendBounded(&pending, raw, &tooLong)
		}
		qpSoft = strings.HasSuffix(raw, "=") && isQuotedPrintable(pending.String())
		if err == io.EOF {
			break
		}
	}
	flush()
	if card != nil {
		errs.add(cardLine, "vCard not ended (no END:VCARD)")
	}
	return people, errs.err()
}

func appendBounded(b *strings.Builder, s string, tooLong *bool) {
	if b.Len()+len(s) > maxVCardLine {
		*tooLong = true
		return
	}
	b.WriteString(s)
}

// splitProperty splits a content line into its upper-cased name (group
// prefix removed), its parameters and its value.
func splitProperty(line string) (name string, params []string, value string, ok bool) {
	quoted := false
	colon := -1
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				colon = i
			}
		}
		if colon >= 0 {
			break
		}
	}
	if colon <= 0 {
		return "", nil, "", false
	}
	head := strings.Split(line[:colon], ";")
	name = strings.ToUpper(strings.TrimSpace(head[0]))
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name, head[1:], line[colon+1:], name != ""
}

func isQuotedPrintable(line string) bool {
	name, params, _, ok := splitProperty(line)
	if !ok || name == "" {
		return false
	}
	for _, p := range params {
		p = strings.ToUpper(strings.TrimSpace(p))
		if p == "QUOTED-PRINTABLE" || p == "ENCODING=QUOTED-PRINTABLE" {
			return true
		}
	}
	return false
}

// decodeValue undoes a 2.1 quoted-printable encoding and a Latin-1 or
// Windows-1252 charset.
func decodeValue(params []string, value string) (string, error) {
	charset := ""
	for _, p := range params {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		k = strings.ToUpper(k)
		if k == "QUOTED-PRINTABLE" { // 2.1 allows the bare value
			k, v = "ENCODING", k
		}
		switch k {
		case "ENCODING":
			if strings.EqualFold(v, "QUOTED-PRINTABLE") {
				b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(value)))
				if err != nil {
					return "", errors.New("bad quoted-printable value")
				}
				value = string(b)
			}
		case "CHARSET":
			charset = strings.ToLower(strings.Trim(v, `"`))
		}
	}
	switch charset {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		if !utf8.ValidString(value) {
			return latin1(value), nil
		}
		return value, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return latin1(value), nil
	}
	return "", fmt.Errorf("unsupported charset")
}

// latin1 reads s as ISO-8859-1.
func latin1(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// unescape undoes vCard text escapes: \n and \N are line breaks, \, \;
// \: and \\ the character itself.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// splitUnescaped splits s at unescaped sep and unescapes the parts.
func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, unescape(s[start:i]))
			start = i + 1
		}
	}
	return append(out, unescape(s[start:]))
}
