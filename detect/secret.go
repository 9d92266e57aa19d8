package detect

import "strings"

// notSecrets are words that follow "password is" or "password:" in prose
// and instructions rather than a password itself.
var notSecrets = toSet(`a an the this that these those it its is are was were be been being will
would should can could may might must shall do does did done has have had not no none nothing null nil
n/a na tbd same blank empty your you yours my mine his her hers our ours their theirs them they we us
he she him me i and or but if then than to of for from in on at by with without as into onto about
above below here there where when what which who whom whose why how all any each every some same
case sensitive required optional needed incorrect correct valid invalid wrong expired changed change
reset updated new old current temporary initial default standard usual normal same regular different
also still now already again only just simply enter entered type typed use used using provided
sent below above following attached included listed shown given set created assigned issued
password passwords passwd pwd pin pins passcode passphrase login logon user username userid id
secure security protected encrypted hidden private personal confidential secret strong weak
date birth email e-mail address name number phone ssn social account first last letter characters
character digits digit word words please thanks thank see call contact ask going gonna necessary
noted mentioned described indicated printed written displayed located stored available upper lower
uppercase lowercase caps capital capitals forthcoming pending unchanged expiring once when after before
until while click follow go visit log sign`)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// secretLen accepts the value given after "password:" when it looks like a
// password: 3 to 64 bytes once trailing punctuation is dropped, not a
// common word or placeholder ("********", "<password>", "xxxx"), not a
// URL, address or query-string fragment.
func secretLen(v string) (int, bool) {
	n := len(v)
	for n > 0 && strings.IndexByte(".,;:!?)]}>'\"", v[n-1]) >= 0 {
		n--
	}
	s := v[:n]
	if len(s) < 3 || len(s) > 64 {
		return 0, false
	}
	if strings.IndexByte("&<([{*#=", s[0]) >= 0 || strings.Contains(s, "://") || strings.Contains(s, "@") || strings.Contains(s, "=") {
		return 0, false
	}
	lower := strings.ToLower(s)
	if notSecrets[lower] || strings.Count(lower, lower[:1]) == len(lower) {
		return 0, false
	}
	if strings.Trim(lower, "x*.-_") == "" {
		return 0, false
	}
	return n, true
}
