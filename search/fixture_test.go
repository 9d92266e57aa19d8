package search

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

// fixtureDoc is one synthetic message of a data-driven test set, written in
// JSON with the message fields, the extracted text and the copies in one
// flat object (testdata/queries/<set>/docs.json).
type fixtureDoc struct {
	ID          string              `json:"id"`
	MessageID   string              `json:"message_id"`
	Date        string              `json:"date"` // RFC 3339, any zone; empty for an undated message
	From        fixtureAddress      `json:"from"`
	To          []fixtureAddress    `json:"to"`
	Cc          []fixtureAddress    `json:"cc"`
	Bcc         []fixtureAddress    `json:"bcc"`
	Subject     string              `json:"subject"`
	Body        string              `json:"body"`
	Thread      string              `json:"thread"`
	Attachments []fixtureAttachment `json:"attachments"`
	Copies      []fixtureCopy       `json:"copies"`
	Flags       []fixtureFlag       `json:"flags"`
	Risk        float64             `json:"risk"`
	Tags        []string            `json:"tags"` // review tag names, as the store gives them
}

// fixtureAddress is written either as a string ("Name <addr>", read with
// net/mail) or as an object with raw, name and email, for the malformed
// addresses net/mail refuses and the indexer reads leniently.
type fixtureAddress leakscope.Address

func (a *fixtureAddress) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		var v struct{ Raw, Name, Email string }
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*a = fixtureAddress{Raw: v.Raw, Name: v.Name, Email: strings.ToLower(v.Email)}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*a = fixtureAddress{}
		return nil
	}
	p, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Errorf("address %q: %w (write it as an object)", s, err)
	}
	*a = fixtureAddress{Raw: s, Name: p.Name, Email: strings.ToLower(p.Address)}
	return nil
}

type fixtureAttachment struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Text    string `json:"text"`
	Inline  bool   `json:"inline"`
	Message string `json:"message"` // our ID of an attached message
}

type fixtureCopy struct {
	Leak      string `json:"leak"`
	Batch     string `json:"batch"`
	Custodian string `json:"custodian"`
	Folder    string `json:"folder"`
}

type fixtureFlag struct {
	Category string `json:"category"`
	Severity string `json:"severity"`
}

// document turns the fixture into what the indexer hands to Put.
func (f fixtureDoc) document() (leakscope.Document, error) {
	m := &leakscope.Message{
		ID:         f.ID,
		MessageID:  f.MessageID,
		Collection: leakscope.CollectionLeak,
		DateSource: leakscope.DateNone,
		From:       leakscope.Address(f.From),
		To:         addresses(f.To),
		Cc:         addresses(f.Cc),
		Bcc:        addresses(f.Bcc),
		Subject:    f.Subject,
		ThreadID:   f.Thread,
		Risk:       f.Risk,
	}
	if f.Date != "" {
		d, err := time.Parse(time.RFC3339Nano, f.Date)
		if err != nil {
			return leakscope.Document{}, fmt.Errorf("document %s: %w", f.ID, err)
		}
		m.Date, m.DateSource = d, leakscope.DateFromHeader
	}
	text := &leakscope.Text{Body: f.Body}
	for _, a := range f.Attachments {
		typ := a.Type
		if typ == "" {
			typ = "application/octet-stream"
		}
		m.Attachments = append(m.Attachments, leakscope.Attachment{
			Name: a.Name, ContentType: typ, Inline: a.Inline, MessageID: a.Message, HasText: a.Text != "",
		})
		if a.Text != "" {
			text.Attachments = append(text.Attachments, leakscope.AttachmentText{Name: a.Name, Text: a.Text})
		}
	}
	for _, fl := range f.Flags {
		m.Flags = append(m.Flags, leakscope.Flag{Category: fl.Category, Severity: fl.Severity, Confidence: 1, Where: "body"})
	}
	var copies []leakscope.Copy
	for i, c := range f.Copies {
		copies = append(copies, leakscope.Copy{
			MessageID: f.ID, Leak: c.Leak, Batch: c.Batch, Run: 1,
			Source: fmt.Sprintf("/leaks/%s/%d", f.ID, i), Custodian: c.Custodian, Folder: c.Folder,
		})
	}
	return leakscope.Document{Message: m, Text: text, Copies: copies, Tags: f.Tags}, nil
}

func addresses(list []fixtureAddress) []leakscope.Address {
	var out []leakscope.Address
	for _, a := range list {
		out = append(out, leakscope.Address(a))
	}
	return out
}

// readJSON decodes a fixture file strictly: an unknown key is a typo.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
}

// loadDocs reads a docs.json file into documents.
func loadDocs(t testing.TB, path string) []leakscope.Document {
	t.Helper()
	var fds []fixtureDoc
	readJSON(t, path, &fds)
	seen := map[string]bool{}
	docs := make([]leakscope.Document, 0, len(fds))
	for _, fd := range fds {
		if seen[fd.ID] {
			t.Fatalf("%s: document id %q twice", path, fd.ID)
		}
		seen[fd.ID] = true
		d, err := fd.document()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// openMem opens an in-memory index holding docs; it is closed with the test.
func openMem(t testing.TB, docs []leakscope.Document) *Index {
	t.Helper()
	ix, err := Open("", Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatalf("Put: %v", err)
	}
	return ix
}

// hitIDs returns the IDs of a result's hits in order.
func hitIDs(r *Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}
