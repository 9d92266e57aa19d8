package export_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/export"
)

// memSource is a one-message Source for the fuzz target.
type memSource struct {
	msg  *leakscope.Message
	text *leakscope.Text
	raw  []byte
}

func (s *memSource) Message(_ context.Context, id string) (*leakscope.Message, error) {
	if id != s.msg.ID {
		return nil, leakscope.ErrNotFound
	}
	return s.msg, nil
}
func (s *memSource) Text(context.Context, string) (*leakscope.Text, error) { return s.text, nil }
func (s *memSource) Copies(context.Context, string) ([]leakscope.Copy, error) {
	return []leakscope.Copy{{Leak: "l", Source: "/dump/a.eml", RawSHA256: "00", Custodian: "c", Added: time.Unix(0, 0)}}, nil
}
func (s *memSource) Original(_ context.Context, sha string) ([]byte, error) {
	if sha != "00" {
		return nil, errors.New("no such original")
	}
	return s.raw, nil
}

// FuzzLoadFileValues writes a message whose subject and sender name are
// arbitrary through the exporter and reads the DAT file back: every value
// must survive, up to the documented substitutions (line breaks as ®,
// delimiters as U+FFFD), and the EDRM XML must stay well-formed.
func FuzzLoadFileValues(f *testing.F) {
	f.Add("Budget\r\nQ3", "Jane")
	f.Add("þorn\x14®", "=cmd|' /C calc'!A0")
	f.Add("\x00\x01<&>\"'", "\xff\xfe")
	f.Fuzz(func(t *testing.T, subject, name string) {
		msg := &leakscope.Message{ID: "m1", MessageID: "a@b", Subject: subject, From: leakscope.Address{Name: name, Email: "x@example.com"}}
		src := &memSource{msg: msg, text: &leakscope.Text{Body: subject}, raw: []byte("Subject: x\r\n\r\nbody\r\n")}
		out := filepath.Join(t.TempDir(), "p")
		sum, err := export.New(src, export.Options{Prefix: "F"}).Run(context.Background(), []string{"m1"}, out)
		if err != nil {
			t.Fatal(err)
		}
		dat := readDAT(t, filepath.Join(out, "DATA", sum.Volume+".dat"))
		if len(dat.rows) != 1 {
			t.Fatalf("%d rows, want 1", len(dat.rows))
		}
		if got, want := dat.rows[0]["SUBJECT"], datExpected(subject); got != want {
			t.Errorf("SUBJECT read back %q, want %q (written %q)", got, want, subject)
		}
		if got, want := dat.rows[0]["FROM"], datExpected(msg.From.String()); got != want {
			t.Errorf("FROM read back %q, want %q", got, want)
		}
		readEDRM(t, filepath.Join(out, "DATA", sum.Volume+".xml"))
	})
}

// datExpected is what a value reads back as from a DAT file.
func datExpected(s string) string {
	s = strings.NewReplacer("þ", "\ufffd", "\x14", "\ufffd", "®", "\ufffd").Replace(s)
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	return s
}
