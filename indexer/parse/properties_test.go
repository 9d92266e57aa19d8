package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
)

// checkProperties returns the first broken invariant of a parsed message
// and the messages attached to it.
func checkProperties(p *Parsed, lim Limits) error {
	if len(p.Message.ID) != 20 {
		return fmt.Errorf("ID %q, want 20 characters", p.Message.ID)
	}
	if p.Raw == nil {
		return errors.New("Raw is nil")
	}
	if err := validText(p); err != nil {
		return err
	}
	if p.parts > lim.MaxParts {
		return fmt.Errorf("%d parts read, want at most MaxParts %d", p.parts, lim.MaxParts)
	}
	if p.depth > lim.MaxDepth {
		return fmt.Errorf("depth %d reached, want at most MaxDepth %d", p.depth, lim.MaxDepth)
	}
	text := len(p.Text.Body)
	for _, a := range p.Text.Attachments {
		text += len(a.Text)
	}
	if text > lim.MaxTextBytes {
		return fmt.Errorf("%d bytes of text, want at most MaxTextBytes %d", text, lim.MaxTextBytes)
	}
	for i, a := range p.Message.Attachments {
		if a.Size > lim.MaxPartBytes {
			return fmt.Errorf("attachment %d has %d bytes, want at most MaxPartBytes %d", i, a.Size, lim.MaxPartBytes)
		}
		if len(a.SHA256) != 64 {
			return fmt.Errorf("attachment %d SHA256 %q", i, a.SHA256)
		}
	}
	// The attachments that are messages are the attached messages, in order.
	var msgAtts []leakscope.Attachment
	for _, a := range p.Message.Attachments {
		if a.MessageID != "" {
			msgAtts = append(msgAtts, a)
		}
	}
	if len(msgAtts) != len(p.Attached) {
		return fmt.Errorf("%d attachments name a message, %d messages attached", len(msgAtts), len(p.Attached))
	}
	for i, c := range p.Attached {
		if c.Message.ParentID != p.Message.ID {
			return fmt.Errorf("attached %s has ParentID %q, want %q", c.Part, c.Message.ParentID, p.Message.ID)
		}
		if !strings.HasPrefix(c.Part, p.Part) || c.Part == p.Part {
			return fmt.Errorf("attached part %q is not below %q", c.Part, p.Part)
		}
		a := msgAtts[i]
		sum := sha256.Sum256(c.Raw)
		if a.MessageID != c.Message.ID || a.Size != int64(len(c.Raw)) || a.SHA256 != hex.EncodeToString(sum[:]) {
			return fmt.Errorf("attached %s (%s, %d bytes, SHA-256 %x) is listed as %+v", c.Part, c.Message.ID, len(c.Raw), sum, a)
		}
		c.parts, c.depth = p.parts, p.depth
		if err := checkProperties(c, lim); err != nil {
			return fmt.Errorf("attached %s: %w", c.Part, err)
		}
	}
	return nil
}

// validText checks that every string of a message is valid UTF-8 and that
// the text holds no NUL or CR.
func validText(p *Parsed) error {
	m := &p.Message
	strs := map[string]string{
		"Subject": m.Subject, "MessageID": m.MessageID, "DateRaw": m.DateRaw, "InReplyTo": m.InReplyTo,
		"From.Raw": m.From.Raw, "From.Name": m.From.Name, "From.Email": m.From.Email,
	}
	for i, id := range m.References {
		strs[fmt.Sprintf("References[%d]", i)] = id
	}
	if m.Sender != nil {
		strs["Sender"] = m.Sender.Raw + m.Sender.Name + m.Sender.Email
	}
	for k, as := range [][]leakscope.Address{m.To, m.Cc, m.Bcc, m.ReplyTo} {
		for i, a := range as {
			strs[fmt.Sprintf("address %d.%d", k, i)] = a.Raw + a.Name + a.Email
		}
	}
	for i, a := range m.Attachments {
		strs[fmt.Sprintf("Attachments[%d].Name", i)] = a.Name
		strs[fmt.Sprintf("Attachments[%d].ContentType", i)] = a.ContentType
	}
	for i, w := range m.Warnings {
		strs[fmt.Sprintf("Warnings[%d]", i)] = w.Code + w.Detail
	}
	for k, s := range strs {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%s %q is not valid UTF-8", k, s)
		}
	}
	texts := []string{p.Text.Body}
	for _, a := range p.Text.Attachments {
		texts = append(texts, a.Text, a.Name)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r") {
			return fmt.Errorf("text %.40q is not valid UTF-8 without NUL and CR", s)
		}
	}
	return nil
}
