package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/store"
)

const notifyHelp = `
The breach-notification report: every person whose personal data the leak
exposes, with the categories of data (identity: SSN, passport, date of
birth; financial: card, IBAN, bank account; medical; credentials: passwords,
keys; employment: pay; contact: phone numbers), the number of messages, the
first wave that published them and, with --production, their Bates numbers.
This is what counsel needs for notification letters.

People come from the people directory ("leakscope org --people FILE"); without
one, every address of the company's domains ("leakscope org --domains") is a
person. A flagged value is attributed to the people named (full name or
address) on its line, else within 300 bytes of it; when nobody is named near
it, to the message's sender and recipients. The "basis" column says how each
person's messages were attributed (named, sender, recipient), so that the
weaker attributions can be reviewed. Identifiers themselves are never
printed.

Output: a table (default), --csv or --json; --out FILE writes it to a file
(written beside it and renamed when complete). The report is recorded in
the audit log.

Examples:
  leakscope notify
  leakscope notify --csv --production acme-vol1 --out notify.csv
  leakscope notify --json > notify.json
`

func (m *Main) runNotify(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("notify", "[--json|--csv] [--production NAME] [--out FILE]", notifyHelp, &c)
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	asCSV := fs.Bool("csv", false, "print the report as CSV, one row per person")
	prod := fs.String("production", "", "add each person's Bates numbers in production `NAME`")
	out := fs.String("out", "", "write the report to `FILE` instead of standard output")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("notify: unexpected argument %q", rest[0])
	}
	if *asJSON && *asCSV {
		return usagef("notify: --json and --csv exclude each other")
	}
	return m.withStore(ctx, &c, true, func(st *store.DB) error {
		rep, err := app.Notify(ctx, st, *prod)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		switch {
		case *asJSON:
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			err = enc.Encode(rep)
		case *asCSV:
			err = rep.WriteCSV(&buf)
		default:
			err = writeNotifyTable(&buf, rep)
		}
		if err != nil {
			return err
		}
		if *out != "" {
			err = writeFileAtomic(*out, buf.Bytes())
		} else {
			_, err = m.stdout.Write(buf.Bytes())
		}
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%d people, %d flagged messages of %d", len(rep.People), rep.Flagged, rep.Messages)
		return cliAudit(ctx, st, auditNotify, *prod, detail)
	})
}

func writeNotifyTable(w io.Writer, rep *export.NotifyReport) error {
	fmt.Fprintf(w, "%d people affected; %d of %d messages hold personal data\n\n", len(rep.People), rep.Flagged, rep.Messages)
	if len(rep.People) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tCATEGORIES\tMESSAGES\tBASIS\tFIRST WAVE\tBATES")
	for _, p := range rep.People {
		who := p.Address
		if p.Name != "" {
			who = p.Name + " <" + p.Address + ">"
		}
		wave := "-"
		if fw := p.FirstWave; fw != nil {
			wave = fw.Leak
			if fw.Batch != "" {
				wave += "/" + fw.Batch
			}
			if fw.Published != nil {
				wave += " " + fw.Published.Format("2006-01-02")
			}
		}
		bates := strings.Join(p.Bates, ", ")
		if len(p.Bates) > 3 {
			bates = strings.Join(p.Bates[:3], ", ") + fmt.Sprintf(" +%d", len(p.Bates)-3)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", who, strings.Join(p.Categories, ", "), p.Messages, basisSummary(p.Basis), wave, bates)
	}
	return tw.Flush()
}

func basisSummary(b map[string]int) string {
	var parts []string
	for _, k := range []string{export.BasisNamed, export.BasisSender, export.BasisRecipient} {
		if b[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, b[k]))
		}
	}
	return strings.Join(parts, ", ")
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it over path once synced.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
