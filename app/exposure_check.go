package app

import (
	"context"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// IdentifierCheck is the outcome for one identifier (`leakscope exposure
// check --json`).
type IdentifierCheck struct {
	Kind     string           `json:"kind"`
	Value    string           `json:"value"` // masked
	Found    int              `json:"found"`
	Messages []ExposedMessage `json:"messages"`
}

// ExposedMessage is a message an identifier was found in.
type ExposedMessage struct {
	ID         string            `json:"id"`
	Date       *time.Time        `json:"date"`
	From       leakscope.Address `json:"from"`
	Subject    string            `json:"subject"`
	Flags      []string          `json:"flags"`
	Snippets   []string          `json:"snippets,omitempty"` // redacted flag snippets of the identifier's category
	Custodians []string          `json:"custodians"`
	Leaks      []string          `json:"leaks"`
}

// CheckIdentifiers lists, for each identifier (normalised as detection
// normalises it: detect.NormalizeIdentifier), the messages it was found
// in. The values are shown masked.
func (a *App) CheckIdentifiers(ctx context.Context, ids []leakscope.Identifier) ([]IdentifierCheck, error) {
	var out []IdentifierCheck
	for _, id := range ids {
		found, err := a.Store.FindIdentifier(ctx, id)
		if err != nil {
			return nil, err
		}
		ch := IdentifierCheck{Kind: id.Kind, Value: maskIdentifier(id), Found: len(found), Messages: []ExposedMessage{}}
		for _, mid := range found {
			em, err := a.exposedMessage(ctx, mid, id.Kind)
			if err != nil {
				return nil, err
			}
			ch.Messages = append(ch.Messages, em)
		}
		out = append(out, ch)
	}
	return out, nil
}

// exposedMessage describes message id, with the snippets of its flags of
// category kind.
func (a *App) exposedMessage(ctx context.Context, id, kind string) (ExposedMessage, error) {
	e, err := a.Store.Entry(ctx, id)
	if err != nil {
		return ExposedMessage{}, err
	}
	msg := e.Message
	em := ExposedMessage{ID: msg.ID, From: msg.From, Subject: msg.Subject, Flags: flagNames(msg.Flags)}
	if !msg.Date.IsZero() {
		em.Date = &msg.Date
	}
	for _, f := range msg.Flags {
		if f.Category == kind && f.Snippet != "" {
			em.Snippets = appendUnique(em.Snippets, f.Snippet)
		}
	}
	for _, cp := range e.Copies {
		em.Custodians = appendUnique(em.Custodians, cp.Custodian)
		em.Leaks = appendUnique(em.Leaks, cp.Leak)
	}
	return em, nil
}

// maskIdentifier shows an identifier for output: an email address as it
// is (the person typed it), anything else starred but for its last four
// characters.
func maskIdentifier(id leakscope.Identifier) string {
	if id.Kind == leakscope.IdentEmail || len(id.Value) <= 4 {
		return id.Value
	}
	return strings.Repeat("*", len(id.Value)-4) + id.Value[len(id.Value)-4:]
}
