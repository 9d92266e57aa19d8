package leakscope

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Copy is one place a message was found: a file, an archive member or a
// stretch of an mbox, in one mailbox of one leak.
type Copy struct {
	MessageID string `json:"message"` // our Message.ID
	Leak      string `json:"leak"`
	Batch     string `json:"batch,omitempty"`
	Run       uint64 `json:"run"`

	Source string `json:"source"`           // absolute path of the file given or walked
	Member string `json:"member,omitempty"` // path inside archives, levels joined by "!"
	Offset int64  `json:"offset"`           // byte offset inside the (decompressed) container; 0 for one-message files
	Part   string `json:"part,omitempty"`   // MIME path of an attached message/rfc822, e.g. "2.1"

	Custodian    string `json:"custodian,omitempty"`
	Folder       string `json:"folder,omitempty"`
	MaildirFlags string `json:"maildir_flags,omitempty"`

	RawSHA256 string `json:"raw_sha256"` // hash of the original bytes (key of the stored original)
	// Converted says the bytes are a conversion of what the dump holds
	// (readpst's output for a PST), not bytes found in it: they may differ
	// from one conversion to the next (readpst draws MIME boundaries at
	// random), so Key leaves their hash out.
	Converted bool      `json:"converted,omitempty"`
	Size      int64     `json:"size"`
	Added     time.Time `json:"added"`
}

// Key identifies the copy: the same bytes found at the same place give the
// same key, so indexing an input twice adds nothing (for a converted copy,
// the same place gives the same key).
func (c *Copy) Key() string {
	h := sha256.New()
	sum := c.RawSHA256
	if c.Converted {
		sum = "converted"
	}
	for _, s := range []string{c.Source, c.Member, strconv.FormatInt(c.Offset, 10), c.Part, sum} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Location formats where the copy is, for reports: source, member, offset.
func (c *Copy) Location() string {
	s := c.Source
	if c.Member != "" {
		s += "!" + c.Member
	}
	if c.Offset > 0 {
		s += "@" + strconv.FormatInt(c.Offset, 10)
	}
	if c.Part != "" {
		s += "#" + c.Part
	}
	return s
}
