package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// action is one action of a command that has several (user add, watch
// list): its own flags, arguments and help, parsed by its run with
// m.newFlags("COMMAND ACTION", ...).
type action struct {
	name, args, summary string
	run                 func(m *Main, ctx context.Context, args []string) error
}

// runAction runs the action of command cmd named by args[0]. No action, or
// one that does not exist, is a usage error listing them; "help", -h and
// --help list them with the command's help text.
func (m *Main) runAction(ctx context.Context, cmd, help string, actions []action, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "--help", "-help":
			if len(args) > 1 {
				return m.runAction(ctx, cmd, help, actions, []string{args[1], "--help"})
			}
			m.actionUsage(m.stderr, cmd, help, actions)
			return flag.ErrHelp
		}
		for _, a := range actions {
			if a.name == args[0] {
				return a.run(m, ctx, args[1:])
			}
		}
	}
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.name
	}
	if len(args) == 0 {
		return usagef("%s: want an action: %s (leakscope %s --help)", cmd, strings.Join(names, ", "), cmd)
	}
	return usagef("%s: unknown action %q: want %s (leakscope %s --help)", cmd, args[0], strings.Join(names, ", "), cmd)
}

// actionUsage lists the actions of cmd, then its help text.
func (m *Main) actionUsage(w io.Writer, cmd, help string, actions []action) {
	fmt.Fprintf(w, "Usage: leakscope %s ACTION [flags] ...\n\nActions:\n", cmd)
	for _, a := range actions {
		fmt.Fprintf(w, "  %s %s\n        %s\n", a.name, a.args, a.summary)
	}
	fmt.Fprintf(w, "\n%s\n\nRun \"leakscope %s ACTION --help\" for an action's flags.\n", strings.TrimSpace(help), cmd)
}
