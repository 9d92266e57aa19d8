package leakscope

import "strings"

// replyPrefixes are the reply and forward markers of common mail clients in
// several languages (lower-case, without the colon).
var replyPrefixes = map[string]bool{
	"re": true, "fw": true, "fwd": true, "aw": true, "sv": true, "vs": true,
	"wg": true, "tr": true, "rif": true, "ref": true, "antw": true, "odp": true,
	"res": true, "enc": true, "r": true, "rv": true, "vb": true, "doorst": true,
	"ynt": true, "ilt": true, "pd": true, "továbbítás": true, "回复": true, "答复": true,
	"转发": true,
}

// NormalizeSubject strips reply and forward prefixes (Re:, Fwd:, AW:, SV:,
// Re[2]:, ...) and bracketed list tags from the front of a subject, collapses
// white space and lower-cases it. It also reports whether a prefix was
// found, i.e. whether the subject looks like a reply or forward.
func NormalizeSubject(s string) (norm string, reply bool) {
	s = strings.TrimSpace(s)
	for {
		t := strings.TrimLeft(s, " \t")
		// A bracketed tag such as "[list-name]" before or after a prefix.
		if strings.HasPrefix(t, "[") {
			if j := strings.IndexByte(t, ']'); j > 0 && j < 40 && strings.TrimSpace(t[j+1:]) != "" {
				t = t[j+1:]
				s = t
				continue
			}
		}
		i := strings.IndexAny(t, ":：")
		if i <= 0 || i > 16 {
			break
		}
		word := strings.ToLower(strings.TrimSpace(t[:i]))
		// "Re[2]" and "Re(2)" count replies.
		if j := strings.IndexAny(word, "[("); j > 0 {
			word = word[:j]
		}
		if !replyPrefixes[word] {
			break
		}
		reply = true
		if t[i] == ':' {
			s = t[i+1:]
		} else {
			s = t[i+len("："):]
		}
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " ")), reply
}
