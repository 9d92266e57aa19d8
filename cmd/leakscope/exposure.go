package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
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
	out, err := d.CheckIdentifiers(ctx, ids)
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(map[string]any{"checks": out})
	}
	m.printChecks(out)
	return nil
}

func (m *Main) printChecks(out []app.IdentifierCheck) {
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
}
