package password

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"

	"github.com/leakscope/leakscope"
)

// Limits of a password.
const (
	MinLength      = 12   // characters
	MaxBytes       = 1024 // bytes
	MinScore       = 3    // zxcvbn score, 0-4
	EvaluatedRunes = 100  // characters zxcvbn scores (see the package doc)
)

// WeakError refuses a password. Its text says why and never holds the
// password; it wraps leakscope.ErrInvalidInput.
type WeakError struct {
	Reason string // lower-case, no trailing period
}

func (e *WeakError) Error() string { return e.Reason }

func (e *WeakError) Unwrap() error { return leakscope.ErrInvalidInput }

// Check returns nil when password is long and hard enough to guess, and a
// *WeakError otherwise. userInputs are what an attacker knows of the
// account (its name, its addresses): a password built from them is weak.
func Check(password string, userInputs ...string) error {
	if !utf8.ValidString(password) {
		return &WeakError{"password is not valid UTF-8 text"}
	}
	if n := utf8.RuneCountInString(password); n < MinLength {
		return &WeakError{fmt.Sprintf("password too short: want at least %d characters", MinLength)}
	}
	if len(password) > MaxBytes {
		return &WeakError{fmt.Sprintf("password too long: at most %d bytes", MaxBytes)}
	}
	scored := password
	if utf8.RuneCountInString(scored) > EvaluatedRunes {
		scored = string([]rune(scored)[:EvaluatedRunes])
	}
	res := zxcvbn.PasswordStrength(scored, inputs(userInputs))
	if res.Score >= MinScore {
		return nil
	}
	return &WeakError{"password too easy to guess: " + feedback(res.Sequence) +
		"; use four or more uncommon words, or a password manager's random password"}
}

// inputs are the words of the account an attacker would try: each input
// lower-cased, and an address's local part and its pieces too.
func inputs(userInputs []string) []string {
	var out []string
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		out = append(out, in)
		local, _, isAddress := strings.Cut(in, "@")
		if isAddress {
			out = append(out, local)
		}
		for _, w := range strings.FieldsFunc(local, func(r rune) bool { return strings.ContainsRune(".-_+", r) }) {
			if w != local && utf8.RuneCountInString(w) >= 3 {
				out = append(out, w)
			}
		}
	}
	return out
}

// feedback says what makes a password guessable: the longest pattern
// zxcvbn found in it (brute-forced parts are not patterns), as zxcvbn's
// own feedback does.
func feedback(seq []*match.Match) string {
	var worst *match.Match
	for _, m := range seq {
		if m.Pattern != "bruteforce" && (worst == nil || len(m.Token) > len(worst.Token)) {
			worst = m
		}
	}
	if worst == nil {
		return "it is short for random characters"
	}
	switch worst.Pattern {
	case "dictionary":
		return dictionaryFeedback(worst)
	case "spatial":
		return "keyboard patterns such as qwerty or zxcvbn are easy to guess"
	case "repeat":
		return "repeated words or characters, such as abcabc or aaa, are easy to guess"
	case "sequence":
		return "sequences such as abcd or 6543 are easy to guess"
	case "regex":
		return "recent years are easy to guess"
	case "date":
		return "dates are easy to guess"
	}
	return "it follows a common pattern"
}

func dictionaryFeedback(m *match.Match) string {
	var say string
	switch {
	case m.DictionaryName == "user_inputs":
		say = "it contains the account's name or address"
	case m.DictionaryName == "passwords" && m.Rank <= 10 && !m.L33t && !m.Reversed:
		say = "it is one of the 10 most common passwords"
	case m.DictionaryName == "passwords" && m.Rank <= 100 && !m.L33t && !m.Reversed:
		say = "it is one of the 100 most common passwords"
	case m.DictionaryName == "passwords":
		say = "it contains a common password"
	case m.DictionaryName == "english_wikipedia" || m.DictionaryName == "us_tv_and_film":
		say = "it rests on a common word, which is easy to guess"
	default:
		say = "names and surnames are easy to guess"
	}
	switch {
	case m.L33t:
		say += " (substitutions such as @ for a do not help much)"
	case m.Reversed:
		say += " (words written backwards do not help much)"
	case m.Token != strings.ToLower(m.Token):
		say += " (capital letters do not help much)"
	}
	return say
}
