package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/leakscope/leakscope"
)

// Exit codes (documented in the README and `leakscope help`).
const (
	exitOK          = 0   // success; an index run that listed problems in its report still exits 0
	exitError       = 1   // the command failed (I/O error, corrupt data directory, ...)
	exitUsage       = 2   // bad flags, arguments or query
	exitNotFound    = 3   // the message asked for does not exist
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM; an index run can be re-run to resume
)

// usageError marks errors caused by how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitCode prints err (if any) and maps it to an exit code.
func (m *Main) exitCode(ctx context.Context, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(m.stderr, "leakscope: %v\n", err)
	var ue *usageError
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, leakscope.ErrDamaged):
		// Before the others: damage found while reading a message asked
		// for, or an argument, is still damage.
		return exitError
	case errors.As(err, &ue), errors.Is(err, leakscope.ErrInvalidQuery), errors.Is(err, leakscope.ErrInvalidInput):
		return exitUsage
	case errors.Is(err, leakscope.ErrNotFound):
		return exitNotFound
	default:
		return exitError
	}
}
