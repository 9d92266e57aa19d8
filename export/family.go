package export

import (
	"context"
	"errors"
	"fmt"
	"github.com/leakscope/leakscope/mimepart"
	"slices"

	"github.com/leakscope/leakscope"
)

// family is a message with its attachments: the unit an export numbers,
// writes and withholds. Only one is in memory at a time.
type family struct {
	msg    *leakscope.Message
	text   *leakscope.Text
	copies []leakscope.Copy
	tags   []leakscope.Tag
	native []byte // the first copy's original; nil when missing
	// members are the attachments, in the message's order.
	members []member
}

// member is one attachment of a family.
type member struct {
	att  leakscope.Attachment
	data []byte // decoded bytes (an attached message's original); nil when not found
	// text is the attachment's extracted text; for an attached message,
	// the message's own text.
	text *leakscope.AttachmentText
	// An attached message is a message of its own.
	child       *leakscope.Message
	childText   *leakscope.Text
	childCopies []leakscope.Copy
}

// loadFamily reads the original, text, tags and attachments of msg.
func (e *Exporter) loadFamily(ctx context.Context, msg *leakscope.Message) (*family, error) {
	f := &family{msg: msg}
	id := msg.ID
	var err error
	if f.text, err = e.src.Text(ctx, id); err != nil && !unavailable(err) {
		return nil, err
	}
	if f.text == nil {
		f.text = &leakscope.Text{}
	}
	if f.copies, err = e.src.Copies(ctx, id); err != nil {
		return nil, err
	}
	if e.opts.Tags != nil {
		if f.tags, err = e.opts.Tags.MessageTags(ctx, id); err != nil {
			return nil, err
		}
	}
	if len(f.copies) > 0 {
		if f.native, err = e.src.Original(ctx, f.copies[0].RawSHA256); err != nil && !unavailable(err) {
			return nil, err
		}
	}
	return f, e.loadMembers(ctx, f)
}

// loadMembers finds each attachment's bytes and text.
func (e *Exporter) loadMembers(ctx context.Context, f *family) error {
	want := map[string]bool{}
	for _, a := range f.msg.Attachments {
		if a.MessageID == "" && a.SHA256 != "" {
			want[a.SHA256] = true
		}
	}
	var parts map[string][]byte
	if len(want) > 0 && f.native != nil {
		parts = mimepart.Find(f.native, want)
	}
	used := map[string]int{} // attachment texts taken, by name
	for _, a := range f.msg.Attachments {
		m := member{att: a}
		if a.MessageID != "" {
			if err := e.loadChild(ctx, &m); err != nil {
				return fmt.Errorf("attached message %s: %w", a.MessageID, err)
			}
		} else {
			m.data = parts[a.SHA256]
			m.text = attachmentText(f.text, a.Name, used)
		}
		f.members = append(f.members, m)
	}
	return nil
}

// loadChild reads an attached message: its record, text and original.
func (e *Exporter) loadChild(ctx context.Context, m *member) error {
	var err error
	if m.child, err = e.src.Message(ctx, m.att.MessageID); err != nil {
		if errors.Is(err, leakscope.ErrNotFound) {
			return nil // described by the attachment alone
		}
		return err
	}
	if m.childText, err = e.src.Text(ctx, m.att.MessageID); err != nil && !unavailable(err) {
		return err
	}
	if m.childCopies, err = e.src.Copies(ctx, m.att.MessageID); err != nil {
		return err
	}
	if len(m.childCopies) > 0 {
		if m.data, err = e.src.Original(ctx, m.childCopies[0].RawSHA256); err != nil && !unavailable(err) {
			return err
		}
	}
	return nil
}

// attachmentText returns the next unused text of the attachment named
// name (several attachments may share a name).
func attachmentText(t *leakscope.Text, name string, used map[string]int) *leakscope.AttachmentText {
	n := used[name]
	for i := range t.Attachments {
		if t.Attachments[i].Name != name {
			continue
		}
		if n == 0 {
			used[name]++
			return &t.Attachments[i]
		}
		n--
	}
	return nil
}

// privileged returns the privileged tag of the family, if any.
func (f *family) privileged(name string) (leakscope.Tag, bool) {
	i := slices.IndexFunc(f.tags, func(t leakscope.Tag) bool { return t.Name == name })
	if i < 0 {
		return leakscope.Tag{}, false
	}
	return f.tags[i], true
}

// size is the number of Bates numbers the family takes.
func (f *family) size() int { return 1 + len(f.members) }

// unavailable reports whether err says a text or an original is not there
// to be produced: never stored, or lost to damage (`leakscope verify`
// lists it). The document is produced without it and counted as missing.
func unavailable(err error) bool {
	return errors.Is(err, leakscope.ErrNotFound) || errors.Is(err, leakscope.ErrDamaged)
}
