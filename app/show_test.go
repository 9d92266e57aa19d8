package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestResolveID: our ID, a Message-ID with or without <>, an unknown one,
// and one that two different messages share.
func TestResolveID(t *testing.T) {
	a := testApp(t)
	ctx := context.Background()
	id := idOf(t, a, "report@example.com")
	for _, arg := range []string{id, "<report@example.com>", "report@example.com"} {
		if got, err := ResolveID(ctx, a.Store, arg); got != id || err != nil {
			t.Errorf("ResolveID(%q) = %q, %v; want %q", arg, got, err, id)
		}
	}
	if _, err := ResolveID(ctx, a.Store, "none@example.com"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("ResolveID(unknown) = %v, want ErrNotFound", err)
	}
	_, err := ResolveID(ctx, a.Store, "<twin@example.com>")
	var amb *AmbiguousIDError
	if !errors.As(err, &amb) || !errors.Is(err, leakscope.ErrInvalidInput) || len(amb.IDs) != 2 ||
		!strings.HasPrefix(err.Error(), `Message-ID "<twin@example.com>" names 2 different messages: `) {
		t.Errorf("ResolveID(twin) = %v, want an AmbiguousIDError naming 2 messages", err)
	}
}

// TestMessage: everything show prints: the message, its text, copies,
// duplicates (without itself), thread and tags (never nil).
func TestMessage(t *testing.T) {
	a := testApp(t)
	ctx := context.Background()
	id, replyID := idOf(t, a, "report@example.com"), idOf(t, a, "reply@example.com")
	rec, err := a.Message(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Message.ID != id || !strings.Contains(rec.Text.Body, "quarterly numbers") || len(rec.Copies) != 2 {
		t.Errorf("Message(report) = %s, body %q, %d copies; want the report, its body, 2 copies", rec.Message.ID, rec.Text.Body, len(rec.Copies))
	}
	if rec.Duplicates == nil || len(rec.Duplicates) != 0 || rec.Tags == nil || len(rec.Tags) != 0 {
		t.Errorf("Message(report): duplicates %#v, tags %#v; want [] and []", rec.Duplicates, rec.Tags)
	}
	if !slices.Contains(rec.Thread, id) || !slices.Contains(rec.Thread, replyID) || len(rec.Thread) != 2 {
		t.Errorf("Message(report): thread %q, want the report and the reply", rec.Thread)
	}
	fc := idOf(t, a, "forecast@example.com")
	if _, err := a.Store.AddTag(ctx, []string{fc}, leakscope.Tag{Name: "hot", Note: "key", User: "cora"}); err != nil {
		t.Fatal(err)
	}
	rec, err = a.Message(ctx, fc)
	if err != nil {
		t.Fatal(err)
	}
	if copyID := idOf(t, a, "forecast-copy@example.com"); !slices.Equal(rec.Duplicates, []string{copyID}) {
		t.Errorf("Message(forecast): duplicates %q, want its copy %s", rec.Duplicates, copyID)
	}
	if len(rec.Tags) != 1 || rec.Tags[0].Name != "hot" || rec.Tags[0].Note != "key" || rec.Tags[0].User != "cora" {
		t.Errorf("Message(forecast): tags %+v, want hot by cora", rec.Tags)
	}
	if _, err := a.Message(ctx, "0000000000"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Message(unknown) = %v, want ErrNotFound", err)
	}
}

// TestOriginals: each copy's original comes back byte for byte; a copy
// the message lacks is a NoCopyError; an attachment is its decoded part.
func TestOriginals(t *testing.T) {
	a := testApp(t)
	ctx := context.Background()
	id := idOf(t, a, "report@example.com")
	for n := 1; n <= 2; n++ {
		if b, err := a.CopyOriginal(ctx, id, n); err != nil || string(b) != report {
			t.Errorf("CopyOriginal(report, %d) = %d bytes, %v; want the %d written", n, len(b), err, len(report))
		}
	}
	for _, n := range []int{0, 3} {
		_, err := a.CopyOriginal(ctx, id, n)
		var nc *NoCopyError
		if !errors.As(err, &nc) || !errors.Is(err, leakscope.ErrInvalidInput) || err.Error() != "message "+id+" has 2 copies" {
			t.Errorf("CopyOriginal(report, %d) = %v, want a NoCopyError: 2 copies", n, err)
		}
	}
	rec, err := a.Message(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := a.Original(ctx, rec.Copies[0].RawSHA256); err != nil || string(b) != report {
		t.Errorf("Original(report's) = %d bytes, %v", len(b), err)
	}
	fc := idOf(t, a, "forecast@example.com")
	if b, err := a.Attachment(ctx, fc, 0); err != nil || !strings.Contains(string(b), "The quarterly forecast is flat.") {
		t.Errorf("Attachment(forecast, 0) = %q, %v; want forecast.txt", b, err)
	}
	if _, err := a.Attachment(ctx, fc, 1); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Attachment(forecast, 1) = %v, want ErrNotFound", err)
	}
}
