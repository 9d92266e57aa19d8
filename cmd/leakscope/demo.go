package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/leakscope/leakscope/api"
)

const demoHelp = `
Build a synthetic company leak and serve it: the quick start. Nothing else
needs to be installed.

The demo generates Northwind Pictures, a fictional film studio on the
reserved domain northwind-pictures.example: about sixty people (a people
directory), the company's own mail archive (one maildir per executive), and
a leak published in two waves: wave 1 holds three executives' mailboxes
(maildir, mbox and a zip), wave 2, a month later, four more, some wave-1
mail again, a few doctored copies and a few fabricated messages. SSNs, card
numbers, IBANs, passwords, keys, medical and pay details, privileged mail
and more are planted in mail to and from particular people. Every name and
number is made up; identifiers are generated to pass the checks detection
applies, and belong to no one.

It then runs what a real case runs, with the same code: org (domains,
people, counsel), reference (the archive), index (each wave, as a batch of
the leak "northwind-leak"), and the reconciliation of the archive with the
leak. It creates four users, one per role (admin, analyst, counsel, and an
employee whose verified addresses are one exposed employee's work and
personal address), gives them fresh random passwords on every start, and
serves the web UI (at /) and the API (under /api/v1), printing the URL and
the logins.

The demo lives in its own data directory (default ./leakscope-demo, never
$LEAKSCOPE_DATA or ./leakscope-data); the generated mail is in its
demo-src folder. Run again on the same directory with the same seed, the
demo is reused: only the passwords change. A directory that exists and
holds something else is refused.

Examples:
  leakscope demo
  leakscope demo --addr 127.0.0.1:9000
  leakscope demo --no-serve --json --data /tmp/demo
`

// demoLeakName is the leak the demo's waves are indexed as.
const demoLeakName = "northwind-leak"

func (m *Main) runDemo(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("demo", "[--data DIR] [--addr HOST:PORT] [--seed N] [--no-serve] [--json]", demoHelp, &c)
	data := fs.Lookup("data")
	data.DefValue, data.Usage = "leakscope-demo", "data `DIR` of the demo (the normal data directory is never used)"
	c.data = data.DefValue
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`; when it is taken, a free port of 127.0.0.1 is used")
	seed := fs.Uint64("seed", 1, "generate the company from seed `N` (the same seed gives the same mail)")
	noServe := fs.Bool("no-serve", false, "build (or reuse) the demo and print the logins, without serving")
	asJSON := fs.Bool("json", false, "print one JSON object: url, data, users, messages, waves...")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("demo: unexpected argument %q", rest[0])
	}
	if *seed == 0 {
		return usagef("demo: --seed must be at least 1")
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usagef("demo: bad --addr %q: %v", *addr, err)
	}
	progress := m.stderr
	res, err := m.buildDemo(ctx, c.data, demoOptions{Seed: *seed, Log: progress, LogLevel: c.logLevel, LogFormat: c.logFormat})
	if err != nil {
		return err
	}
	if *noServe {
		if *asJSON {
			return m.printJSON(res)
		}
		m.printDemo(res, false)
		return nil
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fallback, ferr := net.Listen("tcp", "127.0.0.1:0")
		if ferr != nil {
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprintf(m.stderr, "leakscope: cannot listen on %s (%v); using %s instead\n", *addr, err, fallback.Addr())
		ln = fallback
	}
	var printErr error
	err = m.serveOn(ctx, &c, api.Options{}, ln, func(url string) {
		res.URL = url + "/"
		if *asJSON {
			printErr = m.printJSON(res)
			return
		}
		m.printDemo(res, true)
	})
	if err == nil {
		err = printErr
	}
	return err
}

// roleNotes say what each demo user sees.
var roleNotes = map[string]string{
	"admin":    "everything, and user management",
	"analyst":  "the whole leak, sensitive values redacted",
	"counsel":  "everything unredacted, originals included",
	"employee": "own mail only, redacted",
}

// printDemo prints what was built and how to log in.
func (m *Main) printDemo(r *demoResult, serving bool) {
	w := m.stdout
	how := fmt.Sprintf("built in %.1fs", r.BuildSeconds)
	if r.Reused {
		how = "reused"
	}
	fmt.Fprintf(w, "Leakscope demo: %s, %s messages in %d waves (%s; data in %s)\n", r.Company, thousands(r.Messages), len(r.Waves), how, r.Data)
	if serving {
		fmt.Fprintf(w, "Open %s and log in as:\n", r.URL)
	} else {
		fmt.Fprintf(w, "Serve it with `leakscope demo --data %s` (new passwords), or `leakscope serve --data %s` and log in as:\n", r.Data, r.Data)
	}
	for _, u := range r.Users {
		note := roleNotes[u.Role]
		if len(u.Addresses) > 0 {
			note = fmt.Sprintf("%s: %s (%s)", r.Employee.Name, note, strings.Join(u.Addresses, ", "))
		}
		fmt.Fprintf(w, "  %-9s %s   %s\n", u.Name, u.Password, note)
	}
	if serving {
		fmt.Fprintf(w, "The API is under %sapi/v1 (see %sapi/v1/openapi.json). Stop with Ctrl-C.\n", r.URL, r.URL)
	}
}

// thousands writes n with comma separators: 3,214.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// discardIfNil returns w, or io.Discard when w is nil.
func discardIfNil(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
