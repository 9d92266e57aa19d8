package app

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestRedetect(t *testing.T) {
	ctx := context.Background()
	a := openTest(t)
	ingest(t, a, "", false, hrMbox)
	if n := total(t, a, "flag:ssn"); n != 0 {
		t.Fatalf("NoDetect: flag:ssn has %d hits, want 0", n)
	}
	rules := filepath.Join("testdata", "ours.toml")
	sum, err := a.Redetect(ctx, DetectSettings{RulesFile: rules})
	if err != nil || sum.Messages != 4 || sum.Flagged != 3 || sum.Categories["confidential"] != 1 {
		t.Errorf("Redetect(rules) = %+v, %v; want 4 messages, 3 flagged, 1 confidential", sum, err)
	}
	for q, want := range map[string]int{"flag:ssn": 1, "flag:credential": 1, "flag:confidential": 1} {
		if n := total(t, a, q); n != want {
			t.Errorf("after Redetect(rules), %q has %d hits, want %d", q, n, want)
		}
	}
	if pending, err := a.Store.Pending(ctx); err != nil || len(pending) != 0 {
		t.Errorf("after Redetect, pending = %v, %v; want none", pending, err)
	}

	// The rules stay with the data directory: a later run keeps them, and
	// a second redetect changes nothing.
	if sum, err = a.Redetect(ctx, DetectSettings{}); err != nil || sum.Changed != 0 || sum.Flagged != 3 {
		t.Errorf("second Redetect = %+v, %v; want 0 changed, 3 flagged", sum, err)
	}
	if _, err := a.Redetect(ctx, DetectSettings{BuiltinOnly: true}); err != nil {
		t.Fatal(err)
	}
	if n := total(t, a, "flag:confidential"); n != 0 {
		t.Errorf("after Redetect(BuiltinOnly), flag:confidential has %d hits, want 0", n)
	}

	// A bad rule file is an invalid-input error naming the file, and
	// changes nothing.
	bad := filepath.Join("testdata", "bad.toml")
	if _, err := a.Redetect(ctx, DetectSettings{RulesFile: bad}); !errors.Is(err, leakscope.ErrInvalidInput) || !strings.Contains(err.Error(), "bad.toml") {
		t.Errorf("Redetect(bad rules) = %v, want ErrInvalidInput naming bad.toml", err)
	}
	if n := total(t, a, "flag:ssn"); n != 1 {
		t.Errorf("after a failed Redetect, flag:ssn has %d hits, want 1", n)
	}
}

// TestDetectorOwnAddresses: a message's own addresses (sender,
// recipients, Reply-To, Sender) are email identifiers, lower-cased.
func TestDetectorOwnAddresses(t *testing.T) {
	ctx := context.Background()
	a := openTest(t)
	det, err := a.Detector(ctx, DetectSettings{Counsel: []string{"legal@example.com", "@outside.example"}})
	if err != nil {
		t.Fatal(err)
	}
	sender := leakscope.Address{Email: "Boss@Example.com"}
	m := &leakscope.Message{From: leakscope.Address{Email: "Jane.Doe@example.com"}, To: []leakscope.Address{{Email: "legal@example.com"}},
		ReplyTo: []leakscope.Address{{Email: "reply@example.com"}}, Sender: &sender}
	flags, _, ids := det.Detect(m, &leakscope.Text{Body: "hello"})
	var emails []string
	for _, id := range ids {
		if id.Kind == leakscope.IdentEmail {
			emails = append(emails, id.Value)
		}
	}
	want := []string{"legal@example.com", "jane.doe@example.com", "reply@example.com", "boss@example.com"}
	if strings.Join(emails, " ") != strings.Join(want, " ") {
		t.Errorf("Detect identifiers = %v, want %v", emails, want)
	}
	if len(categories(flags)) != 1 || categories(flags)[0] != "legal_privilege" {
		t.Errorf("Detect(mail to counsel) flags = %v, want legal_privilege", categories(flags))
	}
	// The counsel list is kept: a detector built later flags the same.
	det, err = a.Detector(ctx, DetectSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if flags, _, _ := det.Detect(m, &leakscope.Text{Body: "hello"}); len(flags) == 0 {
		t.Errorf("Detect with the kept counsel list: no flags, want legal_privilege")
	}
}
