package export

import (
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
)

// Parts of a message a flag can point into (leakscope.Flag.Where).
const (
	partSubject        = "subject"
	partBody           = "body"
	partAttachment     = "attachment"
	partAttachmentName = "attachment_name"
)

// redaction is one value replaced in a produced text. It holds where the
// value was, never the value.
type redaction struct {
	Part       string // subject, body, attachment or attachment_name
	Attachment string // the attachment's name (itself redacted) for attachment parts
	Category   string
	Rule       string
	Start, End int // byte offsets in the part's extracted text
}

// redactor replaces flagged values by "[REDACTED: category]".
type redactor struct {
	cats map[string]bool
}

func newRedactor(categories []string) *redactor {
	r := &redactor{cats: map[string]bool{}}
	for _, c := range categories {
		r.cats[c] = true
	}
	return r
}

// redact returns text with the values of the flags of one part replaced,
// and the redactions made, in order. Overlapping values are replaced as
// one, under the category of the first. Flags whose offsets do not fall
// inside text are ignored.
func (r *redactor) redact(text string, flags []leakscope.Flag, part, attachment string) (string, []redaction) {
	var hits []redaction
	for _, f := range flags {
		if !r.cats[f.Category] || f.Where != part {
			continue
		}
		if (part == partAttachment || part == partAttachmentName) && f.Attachment != attachment {
			continue
		}
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			continue
		}
		hits = append(hits, redaction{Part: part, Category: f.Category, Rule: f.Rule, Start: f.Start, End: f.End})
	}
	if len(hits) == 0 {
		return text, nil
	}
	slices.SortStableFunc(hits, func(a, b redaction) int { return a.Start - b.Start })
	merged := hits[:1]
	for _, h := range hits[1:] {
		last := &merged[len(merged)-1]
		if h.Start < last.End {
			last.End = max(last.End, h.End)
			continue
		}
		merged = append(merged, h)
	}
	var b strings.Builder
	prev := 0
	for _, h := range merged {
		b.WriteString(text[prev:h.Start])
		b.WriteString("[REDACTED: " + h.Category + "]")
		prev = h.End
	}
	b.WriteString(text[prev:])
	return b.String(), merged
}
