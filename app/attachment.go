package app

import (
	"context"
	"fmt"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mimepart"
)

// The store keeps attachments' descriptions (name, type, size, SHA-256)
// but not their bytes, which stay inside the stored original. Attachment
// returns the decoded part whose SHA-256 is the one recorded at ingest
// (package mimepart), so a download is exactly what was indexed or
// nothing. Where the standard library cannot read a badly broken message
// that the lenient parser could, the part is not found (and the download
// is refused) rather than guessed.

// Attachment recovers the decoded bytes of attachment n (an index into
// Message.Attachments) of message id from the message's originals. An
// attached message is its own original.
func (a *App) Attachment(ctx context.Context, id string, n int) ([]byte, error) {
	msg, err := a.Store.Message(ctx, id)
	if err != nil {
		return nil, err
	}
	if n < 0 || n >= len(msg.Attachments) {
		return nil, fmt.Errorf("message %s has no attachment %d: %w", id, n, leakscope.ErrNotFound)
	}
	att := msg.Attachments[n]
	if att.MessageID != "" {
		// An attached message is stored as an original of its own.
		if raw, err := a.Store.Original(ctx, att.SHA256); err == nil {
			return raw, nil
		}
	}
	copies, err := a.Store.Copies(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, cp := range copies {
		raw, err := a.Store.Original(ctx, cp.RawSHA256)
		if err != nil {
			return nil, err
		}
		if part, ok := mimepart.Find(raw, map[string]bool{att.SHA256: true})[att.SHA256]; ok {
			return part, nil
		}
	}
	return nil, fmt.Errorf("attachment %d of %s: no part of the original decodes to its recorded SHA-256: %w", n, id, leakscope.ErrNotFound)
}
