package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/store"
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
	id, err := resolveID(ctx, d.Store, args[0])
	if err != nil {
		return err
	}
	msg, err := d.Store.Message(ctx, id)
	if err != nil {
		return err
	}
	copies, err := d.Store.Copies(ctx, id)
	if err != nil {
		return err
	}
	if *raw {
		if *copyN < 1 || *copyN > len(copies) {
			return usagef("show: --copy %d: message %s has %d copies", *copyN, id, len(copies))
		}
		b, err := d.Store.Original(ctx, copies[*copyN-1].RawSHA256)
		if err != nil {
			return err
		}
		_, err = m.stdout.Write(b)
		return err
	}
	// The entry keeps a message whose text damage made unreadable, with a
	// text_lost warning that printMessage shows.
	entry, err := d.Store.Entry(ctx, id)
	if err != nil {
		return err
	}
	msg, text, dups := entry.Message, entry.Text, entry.Duplicates
	thread, err := d.Store.ThreadMembers(ctx, msg.ThreadID)
	if err != nil {
		return err
	}
	tags, err := d.Store.MessageTags(ctx, id)
	if err != nil {
		return err
	}
	if tags == nil {
		tags = []leakscope.Tag{}
	}
	if *asJSON {
		return m.printJSON(struct {
			Message    *leakscope.Message `json:"message"`
			Text       *leakscope.Text    `json:"text"`
			Copies     []leakscope.Copy   `json:"copies"`
			Duplicates []string           `json:"duplicates"`
			Thread     []string           `json:"thread"`
			Tags       []leakscope.Tag    `json:"tags"` // review tags: name, note, user, time
		}{msg, text, copies, without(dups, id), thread, tags})
	}
	m.printMessage(msg, text, copies, without(dups, id), thread, tags)
	return nil
}

var ourID = regexp.MustCompile(`^[0-9a-f]{20}$`)

// resolveID maps an argument to a message ID: our own ID, or a Message-ID.
func resolveID(ctx context.Context, st *store.DB, arg string) (string, error) {
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
		return "", usagef("Message-ID %q names %d different messages: %s", arg, len(ids), strings.Join(ids, ", "))
	}
}

func without(ids []string, id string) []string {
	out := []string{}
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func (m *Main) printMessage(msg *leakscope.Message, text *leakscope.Text, copies []leakscope.Copy, dups, thread []string, tags []leakscope.Tag) {
	w := m.stdout
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
	fmt.Fprintf(w, "Copies (%d):\n", len(copies))
	for _, c := range copies {
		where := c.Custodian
		if c.Folder != "" {
			where += "/" + c.Folder
		}
		fmt.Fprintf(w, "  %s  %s  [%s]\n", where, c.Location(), c.Leak)
	}
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
	for _, t := range tags {
		fmt.Fprintf(w, "Tag:         %s (%s, %s)", t.Name, t.User, t.Time.Format("2006-01-02 15:04"))
		if t.Note != "" {
			fmt.Fprintf(w, " %s", t.Note)
		}
		fmt.Fprintln(w)
	}
	for _, wr := range msg.Warnings {
		fmt.Fprintf(w, "Warning:     %s: %s\n", wr.Code, wr.Detail)
	}
	fmt.Fprintf(w, "\n%s\n", strings.TrimRight(text.Body, "\n"))
	for _, a := range text.Attachments {
		fmt.Fprintf(w, "\n--- attachment %s ---\n%s\n", a.Name, strings.TrimRight(a.Text, "\n"))
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
