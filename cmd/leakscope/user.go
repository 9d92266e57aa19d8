package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/password"
	"github.com/leakscope/leakscope/store"
)

const userHelp = `
Manage the users of "leakscope serve". Stop the server first: it holds the
store while it runs (admins can also manage users through the API).

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

// userActions are the actions of leakscope user.
func userActions() []action {
	return []action{
		{"add", "--role ROLE [--email A[,B]] [--password-stdin] NAME", "create a user; prints a generated password unless --password-stdin reads one", (*Main).runUserAdd},
		{"list", "[--json]", "every user, role, addresses, state, tokens", (*Main).runUserList},
		{"disable", "NAME", "block logins; ends sessions, revokes tokens", (*Main).runUserDisable},
		{"enable", "NAME", "allow password logins again (revoked tokens and sessions stay revoked: make new ones)", (*Main).runUserEnable},
		{"token", "NAME", "make an API token (printed once; the store keeps only its hash)", (*Main).runUserToken},
		{"revoke", "TOKEN-ID", "revoke a token (ids are in user list)", (*Main).runUserRevoke},
		{"password", "[--password-stdin] NAME", "set a new password (generated unless read)", (*Main).runUserPassword},
	}
}

func (m *Main) runUser(ctx context.Context, args []string) error {
	return m.runAction(ctx, "user", userHelp, userActions(), args)
}

// userFlags returns the flag set of a user action, with the common flags
// bound to c.
func (m *Main) userFlags(name string, c *common) *flag.FlagSet {
	for _, a := range userActions() {
		if a.name == name {
			return m.newFlags("user "+name, a.args, a.summary+".\n"+userHelp, c)
		}
	}
	panic("no user action " + name)
}

// oneArg parses the flags of an action that takes one argument (what
// names it) and returns the argument.
func oneArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	rest, err := parseFlags(fs, args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", usagef("%s: want exactly one %s", fs.Name(), what)
	}
	return rest[0], nil
}

func (m *Main) runUserAdd(ctx context.Context, args []string) error {
	var c common
	fs := m.userFlags("add", &c)
	role := fs.String("role", "", "`ROLE`: admin, analyst, counsel or employee")
	emails := fs.String("email", "", "the user's verified `ADDRESSES`, comma-separated")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	name, err := oneArg(fs, args, "NAME")
	if err != nil {
		return err
	}
	r, err := leakscope.ParseRole(*role)
	if err != nil {
		return usagef("user add: --role: %v", strings.TrimSuffix(err.Error(), ": invalid input"))
	}
	pw, generated, err := m.password(*fromStdin, name)
	if err != nil {
		return err
	}
	return m.withApp(ctx, &c, app.StoreWrite, func(a *app.App) error {
		u, err := a.AddUser(ctx, cliActor(), leakscope.User{Name: name, Role: r, Emails: emailList(*emails)}, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "user %s (%s) created, id %s\n", u.Name, u.Role, u.ID)
		if generated {
			fmt.Fprintf(m.stdout, "password: %s\n", pw)
		}
		return nil
	})
}

func (m *Main) runUserList(ctx context.Context, args []string) error {
	var c common
	fs := m.userFlags("list", &c)
	asJSON := fs.Bool("json", false, "print JSON")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("user list: unexpected argument %q", rest[0])
	}
	return m.withApp(ctx, &c, app.StoreOnly, func(a *app.App) error {
		users, err := a.Users(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return m.printJSON(users)
		}
		return m.printUsers(users)
	})
}

func (m *Main) runUserDisable(ctx context.Context, args []string) error {
	return m.setDisabled(ctx, "disable", args)
}

func (m *Main) runUserEnable(ctx context.Context, args []string) error {
	return m.setDisabled(ctx, "enable", args)
}

func (m *Main) setDisabled(ctx context.Context, sub string, args []string) error {
	var c common
	name, err := oneArg(m.userFlags(sub, &c), args, "NAME")
	if err != nil {
		return err
	}
	return m.withApp(ctx, &c, app.StoreWrite, func(a *app.App) error {
		u, err := a.SetDisabled(ctx, cliActor(), name, sub == "disable")
		if err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "user %s %sd\n", u.Name, sub)
		return nil
	})
}

func (m *Main) runUserToken(ctx context.Context, args []string) error {
	var c common
	name, err := oneArg(m.userFlags("token", &c), args, "NAME")
	if err != nil {
		return err
	}
	return m.withApp(ctx, &c, app.StoreWrite, func(a *app.App) error {
		secret, tok, err := a.CreateToken(ctx, cliActor(), name)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.stderr, "token %s for %s (shown once; send it as \"Authorization: Bearer TOKEN\"):\n", tok.ID, name)
		fmt.Fprintln(m.stdout, secret)
		return nil
	})
}

func (m *Main) runUserRevoke(ctx context.Context, args []string) error {
	var c common
	id, err := oneArg(m.userFlags("revoke", &c), args, "TOKEN-ID")
	if err != nil {
		return err
	}
	return m.withApp(ctx, &c, app.StoreWrite, func(a *app.App) error {
		if err := a.RevokeToken(ctx, cliActor(), id); err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "token %s revoked\n", id)
		return nil
	})
}

func (m *Main) runUserPassword(ctx context.Context, args []string) error {
	var c common
	fs := m.userFlags("password", &c)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	name, err := oneArg(fs, args, "NAME")
	if err != nil {
		return err
	}
	pw, generated, err := m.password(*fromStdin, name)
	if err != nil {
		return err
	}
	return m.withApp(ctx, &c, app.StoreWrite, func(a *app.App) error {
		if err := a.SetPassword(ctx, cliActor(), name, pw, ""); err != nil {
			return err
		}
		fmt.Fprintf(m.stdout, "password of %s changed; their sessions ended\n", name)
		if generated {
			fmt.Fprintf(m.stdout, "password: %s\n", pw)
		}
		return nil
	})
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

// printUsers prints the users as a table.
func (m *Main) printUsers(users []app.UserTokens) error {
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
		for _, t := range u.Tokens {
			s := t.ID
			if !t.Revoked.IsZero() {
				s += " (revoked)"
			}
			toks = append(toks, s)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, state, orDash(strings.Join(u.Emails, ",")), orDash(strings.Join(toks, ", ")))
	}
	return tw.Flush()
}

// withApp opens the data directory in mode, calls fn and closes it.
func (m *Main) withApp(ctx context.Context, c *common, mode app.Mode, fn func(a *app.App) error) error {
	a, err := m.open(ctx, c, mode)
	if err != nil {
		return err
	}
	err = fn(a)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	return err
}

// withStore opens only the store of the data directory (write creates
// it, so that users can be made before anything is indexed) and calls fn.
func (m *Main) withStore(ctx context.Context, c *common, write bool, fn func(st *store.DB) error) error {
	mode := app.StoreOnly
	if write {
		mode = app.StoreWrite
	}
	return m.withApp(ctx, c, mode, func(a *app.App) error { return fn(a.Store) })
}

// cliAudit records an action done from the command line.
func cliAudit(ctx context.Context, st *store.DB, action, target, detail string) error {
	_, err := st.AppendAudit(ctx, auditEntry(action, target, detail))
	return err
}
