package query

import (
	"fmt"
	"strings"

	"github.com/leakscope/leakscope"
)

// Pseudo-fields that build a DateRange like date: does.
const (
	fieldBefore = "before"
	fieldAfter  = "after"
)

// fieldNames maps every accepted field name, in lower case, to the
// canonical field it stands for.
var fieldNames = map[string]string{
	"from":       leakscope.FieldFrom,
	"to":         leakscope.FieldTo,
	"cc":         leakscope.FieldCc,
	"bcc":        leakscope.FieldBcc,
	"subject":    leakscope.FieldSubject,
	"body":       leakscope.FieldBody,
	"attachment": leakscope.FieldAttachment,
	"attach":     leakscope.FieldAttachment,
	"filename":   leakscope.FieldAttachment,
	"id":         leakscope.FieldID,
	"mid":        leakscope.FieldID,
	"thread":     leakscope.FieldThread,
	"leak":       leakscope.FieldLeak,
	"batch":      leakscope.FieldBatch,
	"custodian":  leakscope.FieldCustodian,
	"mailbox":    leakscope.FieldCustodian,
	"folder":     leakscope.FieldFolder,
	"flag":       leakscope.FieldFlag,
	"severity":   leakscope.FieldSeverity,
	"tag":        leakscope.FieldTag,
	"has":        leakscope.FieldHas,
	"date":       leakscope.FieldDate,
	"before":     fieldBefore,
	"after":      fieldAfter,
}

func init() {
	// The value fields: one per masked flag category (ssn:, credit_card:, ...).
	for _, f := range leakscope.MaskedFlags {
		fieldNames[f] = f
	}
}

// knownFields lists the field names for error messages, aliases in
// parentheses, in the order of the documentation.
const knownFields = "from, to, cc, bcc, subject, body, attachment (attach, filename), id (mid), " +
	"thread, leak, batch, custodian (mailbox), folder, flag, severity, tag, has, date, before, after, " +
	"and the value fields ssn, credit_card, iban, bank_account, phone, date_of_birth, passport, credential, secret_key, " +
	"compensation, medical, offensive"

// severities are the values severity: accepts.
var severities = []string{"low", "medium", "high", "critical"}

// field builds the leaf of "name:rest" (name already split off the word
// starting at start). When rest is empty the value may be a quoted phrase
// that starts at the lexer's position.
func (l *lexer) field(start int, name, rest string) token {
	field, ok := fieldNames[strings.ToLower(name)]
	if !ok {
		return l.errorf(start, fmt.Sprintf("unknown field %q; known fields: %s", name, knownFields))
	}
	vpos := start + len(name) + 1
	v, phrase := rest, false
	if rest == "" {
		switch {
		case l.i < len(l.src) && l.src[l.i] == '"':
			var tok token
			if v, tok, ok = l.phrase(); !ok {
				return tok
			}
			if strings.TrimSpace(v) == "" {
				return l.errorf(vpos, fmt.Sprintf("%s: has an empty value", name))
			}
			vpos++ // the value starts after the quote
			phrase = true
		case l.i < len(l.src) && l.src[l.i] == '(':
			return l.errorf(l.i, fmt.Sprintf("%s:(...) groups are not supported; write (%s:a OR %s:b)", name, name, name))
		default:
			return l.errorf(vpos, fmt.Sprintf("%s: has no value; write %s:value with no space after the colon", name, name))
		}
	}

	switch field {
	case leakscope.FieldDate, fieldBefore, fieldAfter:
		dr, bad := parseDateValue(field, v, vpos, l.now)
		if bad != nil {
			return l.errorf(bad.pos, bad.msg)
		}
		dr.Pos = start
		return leafToken(start, dr)
	case leakscope.FieldSeverity:
		s := strings.ToLower(v)
		for _, known := range severities {
			if s == known {
				return leafToken(start, leakscope.Term{Field: field, Value: s, Pos: start})
			}
		}
		return l.errorf(vpos, fmt.Sprintf("unknown severity %q; use low, medium, high or critical", v))
	case leakscope.FieldHas:
		if s := strings.ToLower(v); s == "attachment" || s == "attachments" {
			return leafToken(start, leakscope.Term{Field: field, Value: "attachment", Pos: start})
		}
		return l.errorf(vpos, fmt.Sprintf("has: does not take %q; the only value is has:attachment", v))
	}

	prefix := false
	if !phrase {
		var starPos int
		v, prefix, starPos = trimStar(v)
		if starPos >= 0 {
			return l.errorf(vpos+starPos, "'*' is only allowed at the end of a word")
		}
		if v == "" {
			return l.errorf(vpos, fmt.Sprintf("%s: needs at least one character before '*'", name))
		}
		if prefix && leakscope.IsValueField(field) {
			return l.errorf(vpos+len(v), fmt.Sprintf("%s: takes a whole value, never a prefix: flagged values are looked up exactly (quote a value that ends in '*')", name))
		}
	}
	if field == leakscope.FieldID {
		v = stripAngles(v)
		if strings.TrimSpace(v) == "" {
			return l.errorf(vpos, fmt.Sprintf("%s: has an empty value", name))
		}
	}
	return leafToken(start, leakscope.Term{Field: field, Value: v, Phrase: phrase, Prefix: prefix, Pos: start})
}

// stripAngles removes the angle brackets around a Message-ID, as many
// pairs as there are, so that the result never starts with '<' and ends
// with '>' (which keeps Term.String canonical).
func stripAngles(v string) string {
	for len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>' {
		v = v[1 : len(v)-1]
	}
	return v
}
