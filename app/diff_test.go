package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestBatchDiff: a second wave's new messages, newly exposed addresses
// and riskiest messages, against what the generator wrote.
func TestBatchDiff(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := openTest(t)
	ingest(t, a, "w1", true, generate(t, dir, "wave1", 50, 3, ""))
	// wave 2 republishes wave 1 (the same mail in other files) and adds
	// its own, plus an SSN.
	ingest(t, a, "w2", true, generate(t, dir, "again", 50, 3, ""), generate(t, dir, "wave2", 40, 4, "example.net"), hrMbox)

	o, err := a.BatchDiff(ctx, "", "w2", 10)
	if err != nil {
		t.Fatal(err)
	}
	w1, all := total(t, a, "batch:w1"), total(t, a, "*")
	if o.Messages != all-w1 || o.Republished != w1 || o.Messages == 0 {
		t.Errorf("BatchDiff(w2): %d new, %d republished; want %d new, %d republished", o.Messages, o.Republished, all-w1, w1)
	}
	if len(o.Earlier) != 1 || o.Earlier[0] != "w1" {
		t.Errorf("BatchDiff(w2): earlier batches %v, want [w1]", o.Earlier)
	}
	found := false
	for _, p := range o.NewPeople {
		found = found || p.Address == "jane.doe@example.com"
		if strings.HasSuffix(p.Address, "@example.com") && p.Address != "jane.doe@example.com" && p.Address != "hr@example.com" {
			if n := total(t, a, "batch:w1 (from:"+p.Address+" OR to:"+p.Address+")"); n > 0 {
				t.Errorf("BatchDiff(w2) lists %s as newly exposed; it is on %d messages of w1", p.Address, n)
			}
		}
	}
	if !found || len(o.NewPeople) < 2 {
		t.Errorf("BatchDiff(w2): newly exposed %v, want jane.doe@example.com and the example.net people", o.NewPeople)
	}
	if len(o.HighestRisk) == 0 || o.HighestRisk[0].Risk < 50 || o.Flags["ssn"] != 1 {
		t.Errorf("BatchDiff(w2): highest risk %+v, flags %v; want the SSN message first", o.HighestRisk, o.Flags)
	}
	first, err := a.BatchDiff(ctx, "", "w1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if first.Messages != w1 || first.Republished != 0 || len(first.Earlier) != 0 {
		t.Errorf("BatchDiff(w1) = %d new, %d republished, earlier %v; want %d, 0, none", first.Messages, first.Republished, first.Earlier, w1)
	}
	if _, err := a.BatchDiff(ctx, "", "w9", 10); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("BatchDiff(unknown batch) = %v, want ErrNotFound", err)
	}
	if _, err := a.BatchDiff(ctx, "other", "w2", 10); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("BatchDiff(w2 of another leak) = %v, want ErrNotFound", err)
	}
}

// TestBatchDiffUnquotableAddress: addresses holding a double quote or a
// backslash, which the query language cannot write unquoted, are looked
// up like any other (the diff built its queries as text and skipped
// them): one exposed by an earlier batch is not new, one exposed first
// by this batch is.
func TestBatchDiffUnquotableAddress(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	eml := func(name, id, to string) string {
		path := filepath.Join(dir, name, id+".eml")
		msg := "From: Alice <alice@example.com>\r\nTo: " + to + "\r\nSubject: " + id + "\r\n" +
			"Date: Mon, 24 Nov 2014 10:00:00 +0000\r\nMessage-ID: <" + id + "@example.com>\r\n\r\nHello.\r\n"
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(msg), 0o600); err != nil {
			t.Fatal(err)
		}
		return filepath.Dir(path)
	}
	wave1 := eml("wave1", "one", `"b\"ob"@example.com`)
	wave2 := eml("wave2", "two", `"b\"ob"@example.com, "c\\x"@example.com, "d \"q\" e"@example.com`)
	a := openTest(t)
	ingest(t, a, "w1", false, wave1)
	ingest(t, a, "w2", false, wave2)
	for _, leak := range []string{"", "l"} {
		o, err := a.BatchDiff(ctx, leak, "w2", 10)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, p := range o.NewPeople {
			got[p.Address] = p.Messages
		}
		want := map[string]int{`c\x@example.com`: 1, `d "q" e@example.com`: 1}
		if len(got) != len(want) || got[`c\x@example.com`] != 1 || got[`d "q" e@example.com`] != 1 {
			t.Errorf("BatchDiff(%q, w2).NewPeople = %v, want %v (b\"ob and alice were exposed by w1)", leak, o.NewPeople, want)
		}
	}
}
