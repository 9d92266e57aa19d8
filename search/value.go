package search

import (
	"encoding/hex"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

// A flagged value whose category the redaction masks (detect.Masked) is
// indexed only as its mask, in the text fields, and as a token in the
// value field of its part (valueFields): the hex of the keyed hash of its
// category and normal form (detect.NormalizeValue), under the data
// directory's identifier secret (Keyer). A search that may look values up
// (Request.Values) hashes what was typed the same way and matches the
// token. A token is a MAC: without the secret, which the index never holds,
// no one can tell which value it stands for, nor test a guess; and no
// part of a token tells anything about a part of the value, so prefixes of
// tokens are worthless.

// valueToken returns the token of a normalised value: "" when the keyer
// has no key.
func valueToken(keyer Keyer, id leakscope.Identifier) string {
	k := keyer.IdentifierKey(id)
	if len(k) == 0 {
		return ""
	}
	return hex.EncodeToString(k)
}

// valueTokens returns the tokens of the masked values flagged in m, by
// value field.
func valueTokens(m *leakscope.Message, t *leakscope.Text, keyer Keyer) map[string][]string {
	var out map[string][]string
	for _, f := range m.Flags {
		if !detect.Masked(f.Category) {
			continue
		}
		part, field := flaggedPart(m, t, f)
		if field == "" || f.Start < 0 || f.End > len(part) || f.Start >= f.End {
			continue
		}
		n := detect.NormalizeValue(f.Category, part[f.Start:f.End])
		if n == "" {
			continue
		}
		tok := valueToken(keyer, leakscope.Identifier{Kind: f.Category, Value: n})
		if tok == "" {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[field] = appendUnique(out[field], tok)
	}
	return out
}

// flaggedPart returns the text a flag's offsets point into and the value
// field of its part ("" for flags on no text, such as header flags).
func flaggedPart(m *leakscope.Message, t *leakscope.Text, f leakscope.Flag) (string, string) {
	switch f.Where {
	case detect.WhereSubject:
		return m.Subject, fieldSubjectValue
	case detect.WhereBody:
		if t != nil {
			return t.Body, fieldBodyValue
		}
	case detect.WhereAttachmentName:
		return f.Attachment, fieldAttachmentValue
	case detect.WhereAttachment:
		if t != nil {
			for _, a := range t.Attachments {
				if a.Name == f.Attachment && f.End <= len(a.Text) {
					return a.Text, fieldAttachmentValue
				}
			}
		}
	}
	return "", ""
}
