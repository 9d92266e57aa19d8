package detect

import (
	"github.com/leakscope/leakscope"
)

// Redact returns text with the values of flags masked: the flags whose
// Where is where and, for attachment parts, whose Attachment is
// attachment. Masks keep the length of the text in bytes, so offsets into
// the redacted text stay valid, and depend on the category:
//
//	ssn, credit_card, bank_account, iban, phone  letters and digits become '*' except the last four ("***-**-6789")
//	credential, secret_key                       every byte but white space becomes '*'
//	date_of_birth, passport                      letters and digits become '*'
//	compensation                                 digits become '*' ("$***,***")
//	medical, offensive                           letters after the first become '*' ("c*****")
//	legal_privilege, confidential                unchanged (markers, not values)
//
// Every other copy of a flagged value in text is masked too, as the
// snippets mask them: a value found once (a salary in the first rows of a
// table, before a rule's MaxMatchesPerRule) is hidden wherever the same
// text repeats it. Flags whose offsets fall outside text are ignored.
func Redact(text string, flags []leakscope.Flag, where, attachment string) string {
	var b []byte
	var values []leakscope.Flag
	for _, f := range flags {
		if f.Where != where || (where == WhereAttachment || where == WhereAttachmentName) && f.Attachment != attachment {
			continue
		}
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			continue
		}
		if b == nil {
			b = []byte(text)
		}
		mask(b[f.Start:f.End], f.Category, text[f.Start:f.End], 0)
		if Masked(f.Category) {
			values = append(values, f)
		}
	}
	if b == nil {
		return text
	}
	seen := map[string]bool{}
	for _, f := range values {
		value := text[f.Start:f.End]
		if seen[f.Category+"\x00"+value] {
			continue
		}
		seen[f.Category+"\x00"+value] = true
		find := copyFinder(value)
		for off := 0; off < len(text); {
			k, n := find(text[off:])
			if k < 0 {
				break
			}
			mask(b[off+k:off+k+n], f.Category, text[off+k:off+k+n], 0)
			off += k + max(n, 1)
		}
	}
	return string(b)
}

// mask masks in b, which holds value[off:off+len(b)] or a masked form of
// it, what the category hides of value. It only ever writes '*': bytes
// another finding masked before stay masked, so overlapping findings (an
// SSN inside a password) are masked as the union of their masks, whatever
// their order.
func mask(b []byte, category, value string, off int) {
	m := maskValue(category, value)[off : off+len(b)]
	for i, c := range m {
		if c == '*' {
			b[i] = '*'
		}
	}
}

// maskValue returns value masked for its category, byte for byte.
func maskValue(category, value string) []byte {
	b := []byte(value)
	switch category {
	case leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagBankAccount, leakscope.FlagIBAN, leakscope.FlagPhone:
		keep := 4
		for i := len(b) - 1; i >= 0; i-- {
			if !isAlnum(b[i]) && b[i] < 0x80 {
				continue
			}
			if keep > 0 && isAlnum(b[i]) {
				keep--
				continue
			}
			b[i] = '*'
		}
	case leakscope.FlagCredential, leakscope.FlagSecretKey:
		for i, c := range b {
			if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
				b[i] = '*'
			}
		}
	case leakscope.FlagCompensation:
		for i, c := range b {
			if isDigit(c) {
				b[i] = '*'
			}
		}
	case leakscope.FlagMedical, leakscope.FlagOffensive:
		first := true
		for i, c := range b {
			if isAlnum(c) || c >= 0x80 {
				if first && isAlnum(c) {
					first = false
					continue
				}
				b[i] = '*'
			} else {
				first = true
			}
		}
	case leakscope.FlagLegalPrivilege, leakscope.FlagConfidential:
	default: // date_of_birth, passport and anything else
		for i, c := range b {
			if isAlnum(c) || c >= 0x80 {
				b[i] = '*'
			}
		}
	}
	return b
}
