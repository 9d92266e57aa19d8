package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/datadir"
	"github.com/leakscope/leakscope/mailgen"
	"github.com/leakscope/leakscope/password"
	"github.com/leakscope/leakscope/search"
	"github.com/leakscope/leakscope/store"
)

// demoOptions configure buildDemo; the zero value works.
type demoOptions struct {
	// Seed of the generated company. Default 1.
	Seed uint64
	// Threads is the number of ordinary mail threads of the company.
	// Default mailgen's (about 2,100 leaked messages); tests use fewer.
	Threads int
	// Log receives one line per step. Default: discard.
	Log io.Writer
	// LogLevel and LogFormat are passed to the commands the demo runs
	// (--log-level, --log-format). Default "error" and "text".
	LogLevel, LogFormat string
}

// demoResult is what buildDemo built or found, and what demo --json
// prints.
type demoResult struct {
	URL          string       `json:"url,omitempty"` // set when serving
	Data         string       `json:"data"`
	Company      string       `json:"company"`
	Seed         uint64       `json:"seed"`
	Reused       bool         `json:"reused"`
	Messages     int          `json:"messages"`           // distinct leaked messages, both waves
	Reference    int          `json:"reference_messages"` // messages of the company's archive
	Published    int          `json:"published"`          // archive messages found in the leak
	Altered      int          `json:"altered"`            // of which some leaked copy was doctored
	NotInArchive int          `json:"not_in_archive"`     // leaked messages from the company matching no archive message
	Waves        []demoWave   `json:"waves"`
	Employee     demoEmployee `json:"employee"`
	Users        []demoUser   `json:"users"`
	BuildSeconds float64      `json:"build_seconds"` // generation, indexing and reconciliation (0 when reused)
}

// demoWave is one batch of the demo leak.
type demoWave struct {
	Label     string  `json:"label"`
	Published string  `json:"published"`
	Generated int     `json:"generated"`    // distinct messages the generator put in the wave
	Expected  int     `json:"expected_new"` // of which no earlier wave had
	Read      int     `json:"read"`         // copies the index run read
	New       int     `json:"new"`          // messages the index run added
	Path      string  `json:"path"`         // where its files are
	Mailboxes string  `json:"mailboxes"`    // custodians, comma-separated
	Seconds   float64 `json:"seconds"`      // the index run's time
}

// demoEmployee is the exposed employee the employee user logs in as.
type demoEmployee struct {
	Name      string   `json:"name"`
	Addresses []string `json:"addresses"`
}

// demoUser is one login of the demo.
type demoUser struct {
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Password  string   `json:"password"`
	Addresses []string `json:"addresses,omitempty"`
}

// demoMarkerName is the file that marks a data directory as a demo's.
const demoMarkerName = "leakscope-demo.json"

// demoMarker is its content: the options the demo was built with and,
// once complete, what it holds (without passwords).
type demoMarker struct {
	Seed     uint64      `json:"seed"`
	Threads  int         `json:"threads,omitempty"`
	Complete bool        `json:"complete"`
	Result   *demoResult `json:"result,omitempty"`
}

// buildDemo builds the demo in dir (generation, org, reference, both
// waves, reconciliation), or reuses the one built there before with the
// same options, and gives the demo users fresh passwords. A dir that holds
// anything else is refused with a usage error.
func (m *Main) buildDemo(ctx context.Context, dir string, opts demoOptions) (*demoResult, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "error"
	}
	if opts.LogFormat == "" {
		opts.LogFormat = "text"
	}
	log := discardIfNil(opts.Log)
	mk, err := readDemoMarker(dir, opts)
	if err != nil {
		return nil, err
	}
	var res *demoResult
	if mk != nil && mk.Complete && mk.Result != nil {
		res = mk.Result
		res.Reused, res.BuildSeconds = true, 0
		fmt.Fprintf(log, "demo: reusing the demo built in %s (seed %d)\n", dir, opts.Seed)
		if err := m.refreshDemoIndex(ctx, dir, opts, log); err != nil {
			return nil, err
		}
	} else {
		if mk != nil {
			// An earlier build stopped half-way: start again from nothing
			// (everything in dir was made by that build, after its marker).
			fmt.Fprintf(log, "demo: the build in %s did not finish; building it again\n", dir)
			if err := clearDir(dir); err != nil {
				return nil, err
			}
		}
		if res, err = m.buildDemoData(ctx, dir, opts, log); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	if res.Users, err = m.demoUsers(ctx, dir, res, opts); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "  users         %d, one per role, with new passwords (%.1fs)\n", len(res.Users), time.Since(start).Seconds())
	return res, nil
}

// refreshDemoIndex rebuilds the index of a reused demo when this version
// of leakscope indexes differently from the one that built it.
func (m *Main) refreshDemoIndex(ctx context.Context, dir string, opts demoOptions, log io.Writer) error {
	ix, err := search.Open(filepath.Join(dir, "index"), search.Options{ReadOnly: true})
	if err == nil {
		return ix.Close()
	}
	if !errors.Is(err, search.ErrOutdated) {
		return fmt.Errorf("demo: %w", err)
	}
	start := time.Now()
	logger, err := m.logger(&common{logLevel: opts.LogLevel, logFormat: opts.LogFormat})
	if err != nil {
		return err
	}
	rep, err := datadir.Reindex(ctx, datadir.Dir(dir), datadir.Options{Logger: logger})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(log, "  index         rebuilt for this version of leakscope: %d messages (%.1fs)\n", rep.Messages, time.Since(start).Seconds())
	return nil
}

// readDemoMarker reads dir's marker: nil when dir is missing or empty (a
// new demo), a usage error when dir holds something else or another
// seed's demo.
func readDemoMarker(dir string, opts demoOptions) (*demoMarker, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, demoMarkerName))
	if err != nil {
		return nil, usagef("demo: %s exists and is not a Leakscope demo directory: refusing to touch it (pass --data with a new or empty directory)", dir)
	}
	var mk demoMarker
	if err := json.Unmarshal(b, &mk); err != nil {
		return nil, usagef("demo: %s: unreadable %s (%v): remove the directory to rebuild the demo", dir, demoMarkerName, err)
	}
	if mk.Seed != opts.Seed {
		return nil, usagef("demo: %s holds a demo built with --seed %d: pass that seed, or another --data directory", dir, mk.Seed)
	}
	if mk.Threads != opts.Threads {
		return nil, usagef("demo: %s holds a demo of another size (%d threads): pass another --data directory", dir, mk.Threads)
	}
	return &mk, nil
}

// clearDir removes everything in dir.
func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

func writeDemoMarker(dir string, mk demoMarker) error {
	b, err := json.MarshalIndent(mk, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, demoMarkerName), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// buildDemoData generates the company and runs the commands a real case
// runs on it, printing one line per step.
func (m *Main) buildDemoData(ctx context.Context, dir string, opts demoOptions, log io.Writer) (*demoResult, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	mk := demoMarker{Seed: opts.Seed, Threads: opts.Threads}
	if err := writeDemoMarker(dir, mk); err != nil {
		return nil, err
	}
	step := func(name string, run func() (string, error)) error {
		t := time.Now()
		detail, err := run()
		if err != nil {
			return fmt.Errorf("demo %s: %w", name, err)
		}
		fmt.Fprintf(log, "  %-13s %s (%.1fs)\n", name, detail, time.Since(t).Seconds())
		return nil
	}
	fmt.Fprintf(log, "demo: building Northwind Pictures in %s (seed %d)\n", dir, opts.Seed)
	company := mailgen.NewCompany(mailgen.CompanyOptions{Seed: opts.Seed, Threads: opts.Threads})
	var leak *mailgen.CompanyLeak
	err := step("generate", func() (string, error) {
		var err error
		leak, err = company.Write(filepath.Join(dir, "demo-src"))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d people, %s archive messages, %d waves, in %s", len(company.People()),
			thousands(leak.ArchiveMessages), len(leak.Waves), filepath.Join(dir, "demo-src")), nil
	})
	if err != nil {
		return nil, err
	}
	res := &demoResult{Data: dir, Company: company.Name(), Seed: opts.Seed,
		Employee: demoEmployee{Name: leak.Exposed.Name, Addresses: []string{leak.Exposed.Email, leak.Exposed.Personal}}}
	base := []string{"--data", dir, "--log-level", opts.LogLevel, "--log-format", opts.LogFormat}
	err = step("org", func() (string, error) {
		_, err := m.runQuiet(ctx, (*Main).runOrg, append(slices.Clone(base), "--domains", strings.Join(leak.Domains, ","),
			"--people", leak.People, "--counsel", strings.Join(leak.Counsel, ","))...)
		return fmt.Sprintf("domain %s, %d people, %d counsel", strings.Join(leak.Domains, ","), len(company.People()), len(leak.Counsel)), err
	})
	if err != nil {
		return nil, err
	}
	err = step("reference", func() (string, error) {
		s, err := m.runQuiet(ctx, (*Main).runReference, append(slices.Clone(base), "--no-progress", "--json", leak.Archive)...)
		res.Reference = s.Counts.New
		return fmt.Sprintf("%s messages from %d executives' mailboxes", thousands(s.Counts.New), len(leak.Mailboxes)), err
	})
	if err != nil {
		return nil, err
	}
	for _, w := range leak.Waves {
		dw := demoWave{Label: w.Label, Published: w.Published.Format(time.DateOnly), Generated: w.Messages, Expected: w.New,
			Path: w.Path, Mailboxes: strings.Join(w.Mailboxes, ",")}
		err = step("index "+w.Label, func() (string, error) {
			s, err := m.runQuiet(ctx, (*Main).runIndex, append(slices.Clone(base), "--leak", demoLeakName, "--batch", w.Label,
				"--published", dw.Published, "--no-progress", "--json", w.Path)...)
			dw.Read, dw.New, dw.Seconds = s.Counts.Messages, s.Counts.New, s.ElapsedSeconds
			return fmt.Sprintf("%s messages read, %s new (%s)", thousands(s.Counts.Messages), thousands(s.Counts.New), dw.Mailboxes), err
		})
		if err != nil {
			return nil, err
		}
		res.Waves = append(res.Waves, dw)
		res.Messages += dw.New
	}
	err = step("reconcile", func() (string, error) { return m.demoReconcile(ctx, dir, opts, res) })
	if err != nil {
		return nil, err
	}
	res.BuildSeconds = time.Since(start).Seconds()
	mk.Complete, mk.Result = true, res
	return res, writeDemoMarker(dir, mk)
}

// runQuiet runs a command with its output captured: the summary it
// prints with --json is returned (zero for commands that print none),
// and what it wrote to stderr is passed on when it fails.
func (m *Main) runQuiet(ctx context.Context, cmd func(*Main, context.Context, []string) error, args ...string) (summary, error) {
	var out, errb bytes.Buffer
	sub := &Main{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: m.getenv,
		isTerminal: func(io.Writer) bool { return false }}
	var s summary
	if err := cmd(sub, ctx, args); err != nil {
		if errb.Len() > 0 {
			m.stderr.Write(errb.Bytes())
		}
		return s, err
	}
	if bytes.HasPrefix(bytes.TrimSpace(out.Bytes()), []byte("{")) {
		if err := json.Unmarshal(out.Bytes(), &s); err != nil {
			return s, fmt.Errorf("read the summary: %w", err)
		}
	}
	return s, nil
}

// demoReconcile matches the archive against the leak (as `leakscope
// exposure` does, keeping the result for the reports) and counts what it
// found.
func (m *Main) demoReconcile(ctx context.Context, dir string, opts demoOptions, res *demoResult) (string, error) {
	d, err := m.openData(ctx, &common{data: dir, logLevel: opts.LogLevel, logFormat: opts.LogFormat}, false)
	if err != nil {
		return "", err
	}
	defer d.Close()
	org, err := d.Org(ctx)
	if err != nil {
		return "", err
	}
	ref, err := d.OpenReference(ctx, false)
	if err != nil {
		return "", err
	}
	defer ref.Close()
	rec, err := d.Reconcile(ctx, ref, org.Domains, false)
	if err != nil {
		return "", err
	}
	res.Published, res.Altered, res.NotInArchive = len(rec.Published), countAltered(rec.Published), len(rec.NotInArchive)
	return fmt.Sprintf("%s of %s archive messages published (%d altered); %d leaked messages not in the archive",
		thousands(res.Published), thousands(rec.ReferenceTotal), res.Altered, res.NotInArchive), nil
}

// demoUsers gives each demo user a new password, creating the users the
// first time.
func (m *Main) demoUsers(ctx context.Context, dir string, res *demoResult, opts demoOptions) ([]demoUser, error) {
	users := []demoUser{{Name: "admin", Role: string(leakscope.RoleAdmin)}, {Name: "analyst", Role: string(leakscope.RoleAnalyst)},
		{Name: "counsel", Role: string(leakscope.RoleCounsel)},
		{Name: "employee", Role: string(leakscope.RoleEmployee), Addresses: res.Employee.Addresses}}
	err := m.withStore(ctx, &common{data: dir, logLevel: opts.LogLevel, logFormat: opts.LogFormat}, true, func(st *store.DB) error {
		existing, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for i, u := range users {
			password, err := demoPassword(append([]string{u.Name}, u.Addresses...)...)
			if err != nil {
				return err
			}
			users[i].Password = password
			if slices.ContainsFunc(existing, func(e leakscope.User) bool { return e.Name == u.Name }) {
				if err := st.SetPassword(ctx, u.Name, password); err != nil {
					return err
				}
				if err := cliAudit(ctx, st, leakscope.AuditUserPassword, u.Name, "demo"); err != nil {
					return err
				}
				continue
			}
			if _, err := st.AddUser(ctx, leakscope.User{Name: u.Name, Role: leakscope.Role(u.Role), Emails: u.Addresses}, password); err != nil {
				return err
			}
			if err := cliAudit(ctx, st, leakscope.AuditUserAdd, u.Name, "role "+u.Role+" (demo)"); err != nil {
				return err
			}
		}
		return nil
	})
	return users, err
}

// demoPassword returns 80 random bits as 16 lower-case base-32 characters
// in groups of four: "k7qm-2xwd-p4ra-h6tn". It draws again in the rare
// case that password.Check, given the user's name and addresses
// (userInputs), finds the draw guessable, so that the store accepts it.
func demoPassword(userInputs ...string) (string, error) {
	for range 100 {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("demo password: %w", err)
		}
		s := strings.ToLower(base32.StdEncoding.EncodeToString(b))
		p := s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
		if password.Check(p, userInputs...) == nil {
			return p, nil
		}
	}
	return "", errors.New("demo password: 100 random draws found guessable")
}
