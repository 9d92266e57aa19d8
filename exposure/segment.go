package exposure

import (
	"strings"
)

// segment is one part of a message body: the author's own text (the first
// segment, possibly empty) or the text of one quoted or forwarded message.
// Lines have their quote prefixes removed; quote headers, attribution
// lines, signatures and disclaimers are left out; "" separates paragraphs.
type segment struct {
	quoted bool
	lines  []string
}

// maxDepth caps the quote depth told apart; deeper quotes join the deepest.
const maxDepth = 8

// segmentBody splits a body into the author's own text and the messages it
// quotes. A quoted message starts at
//   - a line of '>' prefixes deeper than the text around it, each depth of
//     a nested quote being its own message;
//   - a separator line: "-----Original Message-----", "---------- Forwarded
//     message ---------", "Begin forwarded message:", Lotus Notes'
//     "----- Forwarded by X on DATE -----", a line of underscores before a
//     header block, or an Outlook header block (From: ... Sent: or Date:
//     ... Subject:) without a separator;
//   - an attribution line ("On DATE, X wrote:") that is not followed by
//     deeper quoted lines (the quote lost its prefixes, as in HTML-to-text);
//   - a Lotus Notes reply header ("Name@ORG" or a date, then To:, cc:,
//     Subject: lines).
//
// The header block after a separator is dropped. Own text between quoted
// lines (an inline reply) stays the author's own.
func segmentBody(body string) []segment {
	lines := strings.Split(body, "\n")
	segs := []segment{{}}
	keys := []segKey{{}}
	var sep [maxDepth + 1]int
	prevDepth := 0
	skipUntil := -1 // lines up to this index are a header block
	var sig [maxDepth + 1]bool
	for i := 0; i < len(lines); i++ {
		depth, text := unquote(lines[i])
		if depth < prevDepth {
			for d := depth + 1; d <= maxDepth; d++ {
				sep[d] = 0
				sig[d] = false
			}
		}
		prevDepth = depth
		if i <= skipUntil {
			continue
		}
		t := strings.TrimSpace(text)
		switch {
		case isSeparator(t) || isOutlookBlock(lines, i) || isNotesHeader(lines, i):
			sep[depth]++
			for d := depth + 1; d <= maxDepth; d++ {
				sep[d] = 0
			}
			sig[depth] = false
			skipUntil = headerEnd(lines, i)
			continue
		case isAttribution(lines, i):
			n := 0
			if !strings.HasSuffix(t, ":") {
				n = 1 // the attribution was wrapped over two lines
			}
			if nextDepth(lines, i+1+n) > depth {
				i += n
				continue
			}
			sep[depth]++
			sig[depth] = false
			skipUntil = i + n
			continue
		case t == "--" || t == "-- " || strings.TrimRight(text, "\r") == "-- ":
			sig[depth] = true
			continue
		}
		if sig[depth] {
			continue
		}
		k := segKey{depth: depth}
		copy(k.sep[:], sep[:depth+1])
		j := -1
		for n, kk := range keys {
			if kk == k {
				j = n
				break
			}
		}
		if j < 0 {
			keys = append(keys, k)
			segs = append(segs, segment{quoted: true})
			j = len(segs) - 1
		}
		if t == "" {
			if n := len(segs[j].lines); n > 0 && segs[j].lines[n-1] != "" {
				segs[j].lines = append(segs[j].lines, "")
			}
			continue
		}
		segs[j].lines = append(segs[j].lines, t)
	}
	for i := range segs {
		segs[i].lines = stripBoilerplate(segs[i].lines)
	}
	return segs
}

type segKey struct {
	depth int
	sep   [maxDepth + 1]int
}

// unquote returns a line's quote depth (the number of '>' prefixes,
// spaces allowed between them) and the text after them.
func unquote(line string) (int, string) {
	line = strings.TrimRight(line, "\r")
	depth := 0
	i := 0
	for i < len(line) {
		switch line[i] {
		case '>':
			depth++
			i++
			continue
		case ' ', '\t':
			if depth > 0 {
				i++
				continue
			}
		}
		break
	}
	if depth == 0 {
		return 0, line
	}
	return min(depth, maxDepth), line[i:]
}

func nextDepth(lines []string, i int) int {
	for ; i < len(lines); i++ {
		d, t := unquote(lines[i])
		if strings.TrimSpace(t) != "" || d > 0 {
			return d
		}
	}
	return 0
}

// isSeparator reports whether a trimmed line starts a quoted or forwarded
// message.
func isSeparator(t string) bool {
	if len(t) < 10 || len(t) > 200 {
		return false
	}
	if hasPrefixFold(t, "begin forwarded message") {
		return true
	}
	if t[0] != '-' && t[0] != '_' && t[0] != '=' && t[0] != '*' {
		return false
	}
	core := strings.ToLower(strings.TrimSpace(strings.Trim(t, "-_=* ")))
	for _, p := range []string{"original message", "forwarded message", "forwarded by ", "message d'origine",
		"ursprüngliche nachricht", "mensaje original", "messaggio originale", "oorspronkelijk bericht",
		"message transféré", "weitergeleitete nachricht", "original meddelelse", "opprinnelig melding"} {
		if strings.HasPrefix(core, p) {
			return true
		}
	}
	return false
}

// headerFields are the field names of quote header blocks (English,
// French, German, Spanish, Dutch, Scandinavian Outlook).
var headerFields = []string{"from", "sent", "to", "cc", "bcc", "subject", "date", "reply-to", "importance",
	"attachments", "de", "envoyé", "à", "objet", "von", "gesendet", "an", "betreff", "enviado", "para", "asunto",
	"van", "verzonden", "aan", "onderwerp", "fra", "sendt", "til", "emne", "från", "skickat", "ämne"}

// headerName returns the lower-cased field name when the trimmed line t
// looks like a quote header field ("Subject: ..."), else "".
func headerName(t string) string {
	i := strings.IndexByte(t, ':')
	if i <= 0 || i > 12 {
		return ""
	}
	name := strings.TrimSpace(t[:i])
	for _, f := range headerFields {
		if strings.EqualFold(name, f) {
			return f
		}
	}
	return ""
}

// isOutlookBlock reports whether line i starts a quote header block
// without a separator line: "From:" followed within a few lines by "Sent:"
// or "Date:" and by "Subject:"; or a line of underscores followed by such a
// block.
func isOutlookBlock(lines []string, i int) bool {
	_, t := unquote(lines[i])
	t = strings.TrimSpace(t)
	if len(t) >= 10 && strings.Trim(t, "_") == "" {
		for j := i + 1; j < len(lines) && j <= i+2; j++ {
			if _, u := unquote(lines[j]); headerName(strings.TrimSpace(u)) == "from" {
				return true
			}
		}
		return false
	}
	if h := headerName(t); h != "from" && h != "de" && h != "von" && h != "van" && h != "fra" && h != "från" {
		return false
	}
	sent, subject := false, false
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		_, u := unquote(lines[j])
		switch headerName(strings.TrimSpace(u)) {
		case "sent", "date", "envoyé", "gesendet", "enviado", "verzonden", "sendt", "skickat":
			sent = true
		case "subject", "objet", "betreff", "asunto", "onderwerp", "emne", "ämne":
			subject = true
		}
	}
	return sent && subject
}

// isNotesHeader reports whether line i starts a Lotus Notes reply header:
// a short line naming a person ("Jeff Dasovich@ENRON", `"J" <j@x> on
// 05/09/2001 03:53 PM`) or a date, followed within four lines by "To:" and
// then "Subject:".
func isNotesHeader(lines []string, i int) bool {
	_, t := unquote(lines[i])
	t = strings.TrimSpace(t)
	if len(t) == 0 || len(t) > 100 || headerName(t) != "" {
		return false
	}
	if !strings.Contains(t, "@") && !looksLikeDate(t) {
		return false
	}
	to := -1
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		_, u := unquote(lines[j])
		if headerName(strings.TrimSpace(u)) == "to" {
			to = j
			break
		}
	}
	if to < 0 {
		return false
	}
	for j := to + 1; j < len(lines) && j <= to+12; j++ {
		_, u := unquote(lines[j])
		if headerName(strings.TrimSpace(u)) == "subject" {
			return true
		}
	}
	return false
}

// looksLikeDate reports whether t holds a numeric date such as 05/09/2001.
func looksLikeDate(t string) bool {
	i := strings.IndexByte(t, '/')
	return i > 0 && i+1 < len(t) && isDigit(t[i-1]) && isDigit(t[i+1]) && strings.Count(t, "/") >= 2
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// headerEnd returns the index of the last line of the header block that
// follows a separator at line i: through the "Subject:" line when one comes
// within twelve non-blank lines (and the header lines right after it),
// else through the header lines and blank lines that follow directly.
func headerEnd(lines []string, i int) int {
	end := i
	nonBlank := 0
	for j := i + 1; j < len(lines) && nonBlank < 12; j++ {
		_, u := unquote(lines[j])
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		nonBlank++
		switch headerName(u) {
		case "subject", "objet", "betreff", "asunto", "onderwerp", "emne", "ämne":
			end = j
			nonBlank = 12
		}
	}
	for j := end + 1; j < len(lines); j++ {
		_, u := unquote(lines[j])
		u = strings.TrimSpace(u)
		if u != "" && headerName(u) == "" {
			break
		}
		end = j
	}
	return end
}

// isAttribution reports whether line i (or lines i and i+1) is a reply
// attribution such as "On Mon, Jan 7, 2013 at 10:11 AM, Alice <a@x> wrote:".
func isAttribution(lines []string, i int) bool {
	_, t := unquote(lines[i])
	t = strings.TrimSpace(t)
	if len(t) == 0 || len(t) > 300 {
		return false
	}
	if attributionEnd(t) {
		return true
	}
	if i+1 < len(lines) && (hasPrefixFold(t, "on ") || hasPrefixFold(t, "le ") || hasPrefixFold(t, "am ")) {
		_, u := unquote(lines[i+1])
		u = strings.TrimSpace(u)
		return len(u) < 200 && attributionEnd(u)
	}
	return false
}

// attributionEnd reports whether t ends like an attribution line, in
// any case.
func attributionEnd(t string) bool {
	if !strings.HasSuffix(t, ":") {
		return false
	}
	for _, s := range []string{"wrote:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "ha scritto:", "skrev:", "schreef:"} {
		if len(t) >= len(s) && strings.EqualFold(t[len(t)-len(s):], s) {
			return true
		}
	}
	return false
}
