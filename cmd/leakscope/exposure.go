package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

const exposureCheckHelp = `
Check whether personal identifiers are in the leak, and where. Detection
records every SSN, card number, IBAN, bank account number, phone number and
email address it finds (addresses in headers included) as a keyed hash, so
the data directory holds no list of them; this command hashes the values
given the same way and lists the messages they appear in.

Values are normalised as detection normalises them: "123 45 6789" and
"123-45-6789" are one SSN, "(713) 853-1234" and "+1 713 853 1234" one
phone number. A value that cannot be valid (an SSN with area 000, a card
number failing its check digit) is refused (exit 2). Output shows values
masked but for their last four characters.

Examples:
  leakscope exposure check --ssn 536-22-1847
  leakscope exposure check --email jane.doe@example.com --phone '713 853 1234' --json
`

// identFlag collects the values of one repeated identifier flag.
type identFlag struct {
	kind   string
	values *[]leakscope.Identifier
}

func (f identFlag) String() string { return "" }

func (f identFlag) Set(v string) error {
	*f.values = append(*f.values, leakscope.Identifier{Kind: f.kind, Value: v})
	return nil
}

// exposureCheck is the outcome for one identifier (exposure check --json).
type exposureCheck struct {
	Kind     string           `json:"kind"`
	Value    string           `json:"value"` // masked
	Found    int              `json:"found"`
	Messages []exposedMessage `json:"messages"`
}

type exposedMessage struct {
	ID         string            `json:"id"`
	Date       *time.Time        `json:"date"`
	From       leakscope.Address `json:"from"`
	Subject    string            `json:"subject"`
	Flags      []string          `json:"flags"`
	Snippets   []string          `json:"snippets,omitempty"` // redacted flag snippets of the identifier's category
	Custodians []string          `json:"custodians"`
	Leaks      []string          `json:"leaks"`
}

func (m *Main) runExposure(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "check" {
		return m.runExposureCheck(ctx, args[1:])
	}
	return m.runExposureReport(ctx, args)
}

func (m *Main) runExposureCheck(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("exposure check", "[--json] --ssn|--card|--iban|--bank-account|--phone|--email VALUE...", exposureCheckHelp, &c)
	var ids []leakscope.Identifier
	for _, k := range []struct{ flag, kind, what string }{
		{"ssn", leakscope.IdentSSN, "a US Social Security number"},
		{"card", leakscope.IdentCreditCard, "a payment card number"},
		{"iban", leakscope.IdentIBAN, "an IBAN"},
		{"bank-account", leakscope.IdentBankAccount, "a bank account number"},
		{"phone", leakscope.IdentPhone, "a phone number (with country code when not North American)"},
		{"email", leakscope.IdentEmail, "an email address"},
	} {
		fs.Var(identFlag{k.kind, &ids}, k.flag, "check `VALUE`, "+k.what+" (repeatable)")
	}
	asJSON := fs.Bool("json", false, "print one JSON object")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("exposure check: unexpected argument %q", rest[0])
	}
	if len(ids) == 0 {
		return usagef("exposure check: give at least one of --ssn, --card, --iban, --bank-account, --phone, --email")
	}
	for i := range ids {
		v, err := detect.NormalizeIdentifier(ids[i].Kind, ids[i].Value)
		if err != nil {
			return usagef("exposure check: %v", strings.TrimSuffix(err.Error(), ": "+leakscope.ErrInvalidInput.Error()))
		}
		ids[i].Value = v
	}
	d, err := m.openData(ctx, &c, false)
	if err != nil {
		return err
	}
	defer d.Close()
	var out []exposureCheck
	for _, id := range ids {
		found, err := d.Store.FindIdentifier(ctx, id)
		if err != nil {
			return err
		}
		ch := exposureCheck{Kind: id.Kind, Value: maskIdentifier(id), Found: len(found), Messages: []exposedMessage{}}
		for _, mid := range found {
			e, err := d.Store.Entry(ctx, mid)
			if err != nil {
				return err
			}
			msg := e.Message
			em := exposedMessage{ID: msg.ID, From: msg.From, Subject: msg.Subject, Flags: flagNames(msg.Flags)}
			if !msg.Date.IsZero() {
				em.Date = &msg.Date
			}
			for _, f := range msg.Flags {
				if f.Category == id.Kind && f.Snippet != "" {
					em.Snippets = appendUnique(em.Snippets, f.Snippet)
				}
			}
			for _, cp := range e.Copies {
				em.Custodians = appendUnique(em.Custodians, cp.Custodian)
				em.Leaks = appendUnique(em.Leaks, cp.Leak)
			}
			ch.Messages = append(ch.Messages, em)
		}
		out = append(out, ch)
	}
	if *asJSON {
		return m.printJSON(map[string]any{"checks": out})
	}
	w := m.stdout
	for i, ch := range out {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if ch.Found == 0 {
			fmt.Fprintf(w, "%s %s: not found in the leak\n", ch.Kind, ch.Value)
			continue
		}
		fmt.Fprintf(w, "%s %s: found in %d message%s\n", ch.Kind, ch.Value, ch.Found, plural(ch.Found, "", "s"))
		for _, em := range ch.Messages {
			date := "????-??-??      "
			if em.Date != nil {
				date = em.Date.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "  %s  %s  %s  [id %s]\n", date, em.From.String(), em.Subject, em.ID)
			for _, s := range em.Snippets {
				fmt.Fprintf(w, "      %s\n", s)
			}
		}
	}
	return nil
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
