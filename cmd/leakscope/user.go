package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/password"
	"github.com/leakscope/leakscope/store"
)

const userHelp = `
Manage the users of "leakscope serve". Stop the server first: it holds the
store while it runs (admins can also manage users through the API).

  leakscope user add --role ROLE [--email A[,B]] [--password-stdin] NAME
                                    create a user; prints a generated password
                                    unless --password-stdin reads one
  leakscope user list               every user, role, addresses, state, tokens
  leakscope user disable NAME       block logins; ends sessions, revokes tokens
  leakscope user enable NAME        allow password logins again (the tokens and
                                    sessions revoked stay revoked: make new ones)
  leakscope user token NAME         make an API token (printed once; the store
                                    keeps only its hash)
  leakscope user revoke TOKEN-ID    revoke a token (ids are in user list)
  leakscope user password NAME [--password-stdin]
                                    set a new password (generated unless read)

Passwords need at least 12 characters and must be hard to guess: they are
scored with zxcvbn (common passwords, names and words, keyboard rows,
repeats, sequences, dates, and the user's own name and addresses) and must
score 3 of 4. A weak one is refused with the reason.

Roles: admin (everything, user management), analyst (the whole leak,
sensitive values redacted), counsel (everything unredacted, originals
included), employee (only the messages they sent or received or that
mention one of their --email addresses, redacted). An employee's addresses
must be verified by whoever adds them: they decide what the employee sees.

Every change is recorded in the audit log as done by "cli:" and your OS user name.

Examples:
  leakscope user add --role admin root
  leakscope user add --role employee --email jane.doe@example.com,jd@example.org jane
  printf '%s\n' "$PW" | leakscope user add --role counsel --password-stdin cora
  leakscope user token ann
`

func (m *Main) runUser(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	var c common
	fs := m.newFlags("user", "add|list|disable|enable|token|revoke|password ...", userHelp, &c)
	role := fs.String("role", "", "with add: `ROLE`: admin, analyst, counsel or employee")
	emails := fs.String("email", "", "with add: the user's verified `ADDRESSES`, comma-separated")
	fromStdin := fs.Bool("password-stdin", false, "with add and password: read the password from the first line of stdin")
	asJSON := fs.Bool("json", false, "with list: print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	one := func() (string, error) {
		if len(rest) != 1 {
			return "", usagef("user %s: want exactly one NAME", sub)
		}
		return rest[0], nil
	}
	switch sub {
	case "add":
		name, err := one()
		if err != nil {
			return err
		}
		r, err := leakscope.ParseRole(*role)
		if err != nil {
			return usagef("user add: --role: %v", strings.TrimSuffix(err.Error(), ": invalid input"))
		}
		password, generated, err := m.password(*fromStdin, name)
		if err != nil {
			return err
		}
		return m.withStore(ctx, &c, true, func(st *store.DB) error {
			u, err := st.AddUser(ctx, leakscope.User{Name: name, Role: r, Emails: emailList(*emails)}, password)
			if err != nil {
				return err
			}
			if err := cliAudit(ctx, st, leakscope.AuditUserAdd, u.Name, "role "+string(u.Role)); err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "user %s (%s) created, id %s\n", u.Name, u.Role, u.ID)
			if generated {
				fmt.Fprintf(m.stdout, "password: %s\n", password)
			}
			return nil
		})
	case "list":
		return m.withStore(ctx, &c, false, func(st *store.DB) error { return m.listUsers(ctx, st, *asJSON) })
	case "disable", "enable":
		name, err := one()
		if err != nil {
			return err
		}
		return m.withStore(ctx, &c, true, func(st *store.DB) error {
			u, err := st.SetDisabled(ctx, name, sub == "disable")
			if err != nil {
				return err
			}
			action := leakscope.AuditUserDisable
			if sub == "enable" {
				action = leakscope.AuditUserEnable
			}
			if err := cliAudit(ctx, st, action, u.Name, ""); err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "user %s %sd\n", u.Name, sub)
			return nil
		})
	case "token":
		name, err := one()
		if err != nil {
			return err
		}
		return m.withStore(ctx, &c, true, func(st *store.DB) error {
			secret, tok, err := st.CreateToken(ctx, name)
			if err != nil {
				return err
			}
			if err := cliAudit(ctx, st, leakscope.AuditTokenCreate, name, "token "+tok.ID); err != nil {
				return err
			}
			fmt.Fprintf(m.stderr, "token %s for %s (shown once; send it as \"Authorization: Bearer TOKEN\"):\n", tok.ID, name)
			fmt.Fprintln(m.stdout, secret)
			return nil
		})
	case "revoke":
		id, err := one()
		if err != nil {
			return err
		}
		return m.withStore(ctx, &c, true, func(st *store.DB) error {
			if _, err := st.RevokeToken(ctx, id); err != nil {
				return err
			}
			if err := cliAudit(ctx, st, leakscope.AuditTokenRevoke, id, ""); err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "token %s revoked\n", id)
			return nil
		})
	case "password":
		name, err := one()
		if err != nil {
			return err
		}
		password, generated, err := m.password(*fromStdin, name)
		if err != nil {
			return err
		}
		return m.withStore(ctx, &c, true, func(st *store.DB) error {
			if err := st.SetPassword(ctx, name, password); err != nil {
				return err
			}
			if err := cliAudit(ctx, st, leakscope.AuditUserPassword, name, ""); err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "password of %s changed; their sessions ended\n", name)
			if generated {
				fmt.Fprintf(m.stdout, "password: %s\n", password)
			}
			return nil
		})
	}
	return usagef("user: want add, list, disable, enable, token, revoke or password (leakscope user --help)")
}

// password reads a password from the first line of stdin, or generates
// one. A password read is checked as the store will check it (with the
// user's addresses too), so that a weak one is a usage error saying why
// before the store is opened.
func (m *Main) password(fromStdin bool, name string) (string, bool, error) {
	if !fromStdin {
		return api.NewPassword(), true, nil
	}
	line, err := bufio.NewReader(m.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, usagef("--password-stdin: no password on stdin")
	}
	line = strings.TrimRight(line, "\r\n")
	if err := password.Check(line, name); err != nil {
		return "", false, usagef("--password-stdin: %v", err)
	}
	return line, false, nil
}

func (m *Main) listUsers(ctx context.Context, st *store.DB, asJSON bool) error {
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	tokens, err := st.Tokens(ctx, "")
	if err != nil {
		return err
	}
	if asJSON {
		type userOutput struct {
			leakscope.User
			Tokens []leakscope.Token `json:"tokens"`
		}
		out := []userOutput{}
		for _, u := range users {
			uo := userOutput{User: u, Tokens: []leakscope.Token{}}
			for _, t := range tokens {
				if t.UserID == u.ID {
					uo.Tokens = append(uo.Tokens, t)
				}
			}
			out = append(out, uo)
		}
		return m.printJSON(out)
	}
	if len(users) == 0 {
		fmt.Fprintln(m.stdout, "no users (add one with: leakscope user add --role admin NAME)")
		return nil
	}
	tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tSTATE\tEMAILS\tTOKENS")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		var toks []string
		for _, t := range tokens {
			if t.UserID == u.ID {
				s := t.ID
				if !t.Revoked.IsZero() {
					s += " (revoked)"
				}
				toks = append(toks, s)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, state, orDash(strings.Join(u.Emails, ",")), orDash(strings.Join(toks, ", ")))
	}
	return tw.Flush()
}

// withStore opens only the store of the data directory (write creates
// it, so that users can be made before anything is indexed) and calls fn.
func (m *Main) withStore(ctx context.Context, c *common, write bool, fn func(st *store.DB) error) error {
	log, err := m.logger(c)
	if err != nil {
		return err
	}
	path := filepath.Join(c.data, "store.db")
	if !write {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no data directory at %q (pass --data): %w", c.data, leakscope.ErrNotFound)
		}
	} else if err := os.MkdirAll(c.data, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	st, err := store.Open(ctx, path, store.Options{Logger: log, ReadOnly: !write})
	if err != nil {
		return err
	}
	err = fn(st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

// cliAudit records an action done from the command line.
func cliAudit(ctx context.Context, st *store.DB, action, target, detail string) error {
	_, err := st.AppendAudit(ctx, auditEntry(action, target, detail))
	return err
}

// emailList splits a comma-separated list of addresses, dropping empty
// items.
func emailList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
