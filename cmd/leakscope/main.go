// Command leakscope ingests leaked mailboxes, searches them and reports on
// them. Run `leakscope help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	err := m.Run(ctx, os.Args[1:])
	code := m.exitCode(ctx, err)
	stopProf()
	os.Exit(code)
}
var stopProf = func() {}
