package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/app"
)

const showHelp = `
Print one message: its headers, copies, attachments, warnings and text.
ID is the id printed by search, or a Message-ID (with or without <>).
--raw writes the original bytes exactly as found (the first copy's, or
copy N with --copy N), for forensic comparison or export.

Examples:
  leakscope show 3f2a9c0d1e4b5a6f7081
  leakscope show --raw '<20582259.1075855379239.JavaMail.evans@thyme>' > msg.eml
`

func (m *Main) runShow(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("show", "[--json|--raw] ID", showHelp, &c)
	asJSON := fs.Bool("json", false, "print one JSON object: message, text, copies, duplicates, thread")
	raw := fs.Bool("raw", false, "write the original bytes, exactly")
	copyN := fs.Int("copy", 1, "with --raw: which copy's original (1 = first)")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("show: want exactly one ID")
	}
	d, err := m.openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer d.Close()
	id, err := app.ResolveID(ctx, d.Store, args[0])
	if err != nil {
		return err
	}
	if *raw {
		b, err := d.CopyOriginal(ctx, id, *copyN)
		if nc := (*app.NoCopyError)(nil); errors.As(err, &nc) {
			return fmt.Errorf("show: --copy %d: %w", *copyN, err)
		} else if err != nil {
			return err
		}
		_, err = m.stdout.Write(b)
		return err
	}
	rec, err := d.Message(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(struct {
			Message    *leakscope.Message `json:"message"`
			Text       *leakscope.Text    `json:"text"`
			Copies     []leakscope.Copy   `json:"copies"`
			Duplicates []string           `json:"duplicates"`
			Thread     []string           `json:"thread"`
			Tags       []leakscope.Tag    `json:"tags"` // review tags: name, note, user, time
		}{rec.Message, rec.Text, rec.Copies, rec.Duplicates, rec.Thread, rec.Tags})
	}
	m.printMessage(rec)
	return nil
}

// printMessage prints a message for a reader: headers, copies,
// attachments, flags, tags, warnings, then its text.
func (m *Main) printMessage(rec *api.MessageRecord) {
	w := m.stdout
	printHeaders(w, rec)
	fmt.Fprintf(w, "Copies (%d):\n", len(rec.Copies))
	for _, c := range rec.Copies {
		where := c.Custodian
		if c.Folder != "" {
			where += "/" + c.Folder
		}
		fmt.Fprintf(w, "  %s  %s  [%s]\n", where, c.Location(), c.Leak)
	}
	printFindings(w, rec)
	fmt.Fprintf(w, "\n%s\n", strings.TrimRight(rec.Text.Body, "\n"))
	for _, a := range rec.Text.Attachments {
		fmt.Fprintf(w, "\n--- attachment %s ---\n%s\n", a.Name, strings.TrimRight(a.Text, "\n"))
	}
}

// printHeaders prints a message's headers, thread, parent, conflict and
// duplicates, one per line.
func printHeaders(w io.Writer, rec *api.MessageRecord) {
	msg, dups, thread := rec.Message, rec.Duplicates, rec.Thread
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-12s %s\n", k+":", v)
		}
	}
	line("ID", msg.ID)
	line("Message-ID", msg.MessageID)
	if !msg.Date.IsZero() {
		line("Date", msg.Date.Format("2006-01-02 15:04:05 MST")+" (from "+msg.DateSource+")")
	} else {
		line("Date", "unknown")
	}
	line("From", msg.From.String())
	line("To", joinAddrs(msg.To))
	line("Cc", joinAddrs(msg.Cc))
	line("Bcc", joinAddrs(msg.Bcc))
	line("Subject", msg.Subject)
	if len(thread) > 1 {
		line("Thread", fmt.Sprintf("%s (%d messages)", msg.ThreadID, len(thread)))
	}
	line("Attached to", msg.ParentID)
	if msg.IDConflict {
		line("Conflict", "another message with different content has the same Message-ID")
	}
	if len(dups) > 0 {
		line("Duplicates", strings.Join(dups, ", "))
	}
}

// printFindings prints a message's attachments, flags, tags and warnings.
func printFindings(w io.Writer, rec *api.MessageRecord) {
	msg := rec.Message
	if len(msg.Attachments) > 0 {
		fmt.Fprintf(w, "Attachments (%d):\n", len(msg.Attachments))
		for _, a := range msg.Attachments {
			fmt.Fprintf(w, "  %s  %s  %d bytes  sha256 %s", orDash(a.Name), a.ContentType, a.Size, a.SHA256)
			if a.MessageID != "" {
				fmt.Fprintf(w, "  (attached message %s)", a.MessageID)
			}
			fmt.Fprintln(w)
		}
	}
	for _, f := range msg.Flags {
		fmt.Fprintf(w, "Flag:        %s (%s, %s) %s\n", f.Category, f.Severity, f.Where, f.Snippet)
	}
	for _, t := range rec.Tags {
		fmt.Fprintf(w, "Tag:         %s (%s, %s)", t.Name, t.User, t.Time.Format("2006-01-02 15:04"))
		if t.Note != "" {
			fmt.Fprintf(w, " %s", t.Note)
		}
		fmt.Fprintln(w)
	}
	for _, wr := range msg.Warnings {
		fmt.Fprintf(w, "Warning:     %s: %s\n", wr.Code, wr.Detail)
	}
}

func joinAddrs(as []leakscope.Address) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
