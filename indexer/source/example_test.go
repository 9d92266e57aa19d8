package source_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer/source"
)

// A leak laid out as one directory per custodian: every message comes with
// where it was found, and every file that is not mail is reported.
func ExampleWalker_Walk() {
	dir, err := os.MkdirTemp("", "leakscope-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	write("alice/Sent.mbox", "From alice@example.com Mon Jan  1 00:00:00 2001\n"+
		"From: alice@example.com\nSubject: first\n\nHello\n\n"+
		"From alice@example.com Tue Jan  2 00:00:00 2001\n"+
		"From: alice@example.com\nSubject: second\n\n>From here on\n\n")
	write("bob/cur/1700000000.M1.host:2,RS", "From: bob@example.com\nSubject: hi\n\nHi\n")
	write("bob/notes.txt", "not mail\n")

	w := source.New(source.Options{})
	err = w.Walk(context.Background(), []string{dir}, func(m *source.Message) error {
		c := m.Copy
		fmt.Printf("%s@%d custodian=%q folder=%q flags=%q %d bytes\n",
			filepath.Base(c.Source), c.Offset, c.Custodian, c.Folder, c.MaildirFlags, c.Size)
		return nil
	}, func(p leakscope.Problem) {
		fmt.Printf("%s %s %s: %s\n", p.Severity, p.Code, filepath.Base(p.Location), p.Detail)
	})
	fmt.Println("error:", err)
	// Output:
	// Sent.mbox@0 custodian="alice" folder="Sent" flags="" 46 bytes
	// Sent.mbox@95 custodian="alice" folder="Sent" flags="" 55 bytes
	// 1700000000.M1.host:2,RS@0 custodian="bob" folder="" flags="RS" 38 bytes
	// skipped not_mail notes.txt: text without mail headers
	// error: <nil>
}
