package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/store"
)

// The show use case: one message with everything stored about it (the
// command's show, the server's GET /messages/{id}), its originals and the
// bytes of its attachments (attachment.go).

var _ api.Messages = (*App)(nil)

var ourID = regexp.MustCompile(`^[0-9a-f]{20}$`)

// ResolveID maps an argument to the ID of a message of st: our own ID, or
// a Message-ID (with or without <>). A Message-ID no message has is
// leakscope.ErrNotFound; one that several different messages share is an
// *AmbiguousIDError.
func ResolveID(ctx context.Context, st *store.DB, arg string) (string, error) {
	if ourID.MatchString(arg) {
		if _, err := st.Message(ctx, arg); err == nil {
			return arg, nil
		}
	}
	ids, err := st.ByMessageID(ctx, arg)
	if err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no message %q: %w", arg, leakscope.ErrNotFound)
	case 1:
		return ids[0], nil
	default:
		return "", &AmbiguousIDError{MessageID: arg, IDs: ids}
	}
}

// AmbiguousIDError says that a Message-ID names several different
// messages (see leakscope.Message.IDConflict). It is an
// leakscope.ErrInvalidInput error.
type AmbiguousIDError struct {
	MessageID string
	IDs       []string // the messages' IDs
}

func (e *AmbiguousIDError) Error() string {
	return fmt.Sprintf("Message-ID %q names %d different messages: %s", e.MessageID, len(e.IDs), strings.Join(e.IDs, ", "))
}

// Unwrap makes errors.Is(err, leakscope.ErrInvalidInput) hold.
func (e *AmbiguousIDError) Unwrap() error { return leakscope.ErrInvalidInput }

// Message reads everything stored about message id: the message, its
// text, copies, the other messages with the same content, the messages of
// its thread (itself included) and its review tags (never nil). A message
// whose text damage made unreadable comes with a text_lost warning.
func (a *App) Message(ctx context.Context, id string) (*api.MessageRecord, error) {
	e, err := a.Store.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	rec := &api.MessageRecord{Message: e.Message, Text: e.Text, Copies: e.Copies, Duplicates: without(e.Duplicates, id)}
	if rec.Tags, err = a.Store.MessageTags(ctx, id); err != nil {
		return nil, err
	}
	if rec.Tags == nil {
		rec.Tags = []leakscope.Tag{}
	}
	if e.Message.ThreadID != "" {
		if rec.Thread, err = a.Store.ThreadMembers(ctx, e.Message.ThreadID); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// without returns ids without id, never nil.
func without(ids []string, id string) []string {
	out := []string{}
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// Original returns the original bytes with the given SHA-256, exactly.
func (a *App) Original(ctx context.Context, sha string) ([]byte, error) {
	return a.Store.Original(ctx, sha)
}

// CopyOriginal returns the original bytes of copy n (1 = the first) of
// message id, exactly as found. A copy the message does not have is a
// *NoCopyError.
func (a *App) CopyOriginal(ctx context.Context, id string, n int) ([]byte, error) {
	if _, err := a.Store.Message(ctx, id); err != nil {
		return nil, err
	}
	copies, err := a.Store.Copies(ctx, id)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > len(copies) {
		return nil, &NoCopyError{ID: id, Copies: len(copies)}
	}
	return a.Store.Original(ctx, copies[n-1].RawSHA256)
}

// NoCopyError says that a message has fewer copies than the one asked
// for. It is a leakscope.ErrInvalidInput error.
type NoCopyError struct {
	ID     string
	Copies int // copies the message has
}

func (e *NoCopyError) Error() string {
	return fmt.Sprintf("message %s has %d copies", e.ID, e.Copies)
}

// Unwrap makes errors.Is(err, leakscope.ErrInvalidInput) hold.
func (e *NoCopyError) Unwrap() error { return leakscope.ErrInvalidInput }
