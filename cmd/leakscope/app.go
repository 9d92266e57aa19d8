package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Main is the program: its streams and environment, so that tests run it
// in-process.
type Main struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     func(io.Writer) bool
	// flags are the common flags of the command being run (newFlags),
	// for app.MendHint.
	flags *common
}

// NewMain returns a Main reading the real environment.
func NewMain(stdin io.Reader, stdout, stderr io.Writer) *Main {
	return &Main{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: isTerminal}
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "[--data DIR] [--addr A]", "build a synthetic company leak and serve it (the quick start)", (*Main).runDemo},
		{"index", "--leak NAME [flags] PATH...", "ingest leaked mail (mbox, maildir, .eml, zip/tar, PST)", (*Main).runIndex},
		{"org", "[--domains L] [--people F] ...", "the company: domains, counsel, people directory", (*Main).runOrg},
		{"reference", "[flags] PATH...", "ingest the company's own archive, for reconciliation", (*Main).runReference},
		{"search", "[flags] QUERY", "search the leak", (*Main).runSearch},
		{"show", "[--json|--raw] ID", "print one message, or its original bytes", (*Main).runShow},
		{"stats", "[--json]", "totals of the data directory", (*Main).runStats},
		{"report", "[--run N] [--json]", "ingest runs with every failed, warned or skipped input", (*Main).runReport},
		{"diff", "--batch LABEL [--json]", "what a wave added: messages, newly exposed people, risk", (*Main).runDiff},
		{"watch", "add|list|check|remove ...", "saved queries reported on after every index run", (*Main).runWatch},
		{"tag", "add|remove|list|show ...", "review tags and notes for counsel (tag:NAME in queries)", (*Main).runTag},
		{"production", "create|list ...", "counsel's production sets: Bates prefix and next number", (*Main).runProduction},
		{"export", "(--query Q|--tag T) --production P", "export natives, text, load files with Bates numbers", (*Main).runExport},
		{"notify", "[--json|--csv] [--production P]", "breach notification: affected people, data, waves", (*Main).runNotify},
		{"reindex", "", "rebuild the search index from the store", (*Main).runReindex},
		{"verify", "[--json]", "check the whole data directory for damage (read-only)", (*Main).runVerify},
		{"repair", "[--json]", "mend a damaged data directory; list what could not be mended", (*Main).runRepair},
		{"redetect", "[--rules FILE] [--counsel LIST]", "re-run sensitive-content detection on stored mail", (*Main).runRedetect},
		{"exposure", "[--json|--html F] | check --ssn ...", "what of ours was published, who is exposed; check an SSN...", (*Main).runExposure},
		{"serve", "[--addr HOST:PORT] [--tls-cert F]", "serve the web UI and the JSON API to users with roles", (*Main).runServe},
		{"user", "add|list|disable|token|... NAME", "users of the server, their roles and API tokens", (*Main).runUser},
		{"audit", "[--verify] [--json]", "the audit log of the server, and its integrity check", (*Main).runAudit},
		{"version", "", "print the version", (*Main).runVersion},
	}
}

// Run runs the command named by args[0]. A panic on the calling goroutine
// (a bug) is returned as an error after its stack is written to stderr:
// the command fails (exit 1) with what a report needs, and deferred
// clean-ups (closing the store) have run.
func (m *Main) Run(ctx context.Context, args []string) (err error) {
	defer m.recoverPanic(&err)
	return m.run(ctx, args)
}

// recoverPanic is Run's last resort. Panics on other goroutines still end
// the process; the ingest contains those on leaked bytes itself.
func (m *Main) recoverPanic(err *error) {
	v := recover()
	if v == nil {
		return
	}
	pe := leakscope.Recovered("leakscope", v)
	fmt.Fprintf(m.stderr, "leakscope: internal error; please report it with this stack:\n%s\n", pe.Stack)
	*err = fmt.Errorf("internal error: %w", pe)
}

func (m *Main) run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return m.run(ctx, []string{args[1], "--help"})
		}
		m.usage(m.stdout)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(m, ctx, args[1:])
			if m.flags != nil {
				err = app.MendHint(err, m.flags.data)
			}
			return err
		}
	}
	m.usage(m.stderr)
	return usagef("unknown command %q", args[0])
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintf(w, "leakscope: search and assess leaked mail.\n\nUsage:\n")
	nameW, argsW := 0, 0
	for _, c := range commands() {
		nameW, argsW = max(nameW, len(c.name)), max(argsW, len(c.args))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  leakscope %-*s %-*s %s\n", nameW, c.name, argsW, c.args, c.summary)
	}
	fmt.Fprint(w, `
Every command takes --data DIR (default $LEAKSCOPE_DATA, else ./leakscope-data),
--log-level debug|info|warn|error and --log-format text|json.
Run "leakscope COMMAND --help" for a command's flags, "leakscope search --help" for the query language.

Exit codes: 0 success (an index run whose report lists problems still exits 0),
1 failure, 2 bad usage or query, 3 not found, 130 interrupted (re-run to resume).
`)
}

// common are the flags every command takes.
type common struct {
	data      string
	logLevel  string
	logFormat string
}

// newFlags returns a flag set with the common flags bound to c.
func (m *Main) newFlags(name, args, help string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.stderr)
	m.flags = c
	def := m.getenv("LEAKSCOPE_DATA")
	if def == "" {
		def = "leakscope-data"
	}
	fs.StringVar(&c.data, "data", def, "data `DIR` (store and index); $LEAKSCOPE_DATA sets the default")
	fs.StringVar(&c.logLevel, "log-level", "warn", "log `level`: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log `format`: text or json")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: leakscope %s %s\n\n%s\n\nFlags:\n", name, args, strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("leakscope search 'q' --json"); "--" ends flag parsing.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v (put -- before a query that starts with '-')", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (m *Main) logger(c *common) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usagef("bad --log-level %q: %v", c.logLevel, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(m.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(m.stderr, opts)), nil
	default:
		return nil, usagef("bad --log-format %q: want text or json", c.logFormat)
	}
}

// data is an open data directory (package app).
type data = app.App

// openData opens the store and the index in c.data. write creates the
// directory when missing; read-only commands fail with a clear message.
func (m *Main) openData(ctx context.Context, c *common, write bool) (*data, error) {
	mode := app.ReadOnly
	if write {
		mode = app.Write
	}
	return m.open(ctx, c, mode)
}

// openStore opens the store of c.data only, read-only, for commands that
// do not search (report, show): they work on a damaged index too.
func (m *Main) openStore(ctx context.Context, c *common) (*data, error) {
	return m.open(ctx, c, app.StoreOnly)
}

func (m *Main) open(ctx context.Context, c *common, mode app.Mode) (*data, error) {
	log, err := m.logger(c)
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, c.data, app.Options{Mode: mode, Logger: log})
}

func (m *Main) runVersion(ctx context.Context, args []string) error {
	fmt.Fprintf(m.stdout, "leakscope %s\n", version)
	return nil
}
