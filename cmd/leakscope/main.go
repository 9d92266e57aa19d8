// Command leakscope ingests leaked mailboxes, searches them and reports on
// them. Run `leakscope help` for the commands.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// LEAKSCOPE_CPUPROFILE=FILE writes a CPU profile of the command (for
	// `go tool pprof`), for developers measuring a hot path.
	if path := os.Getenv("LEAKSCOPE_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		} else {
			fmt.Fprintf(os.Stderr, "leakscope: cannot write CPU profile to %s\n", path)
		}
	}
	// bleve writes what it works around ("unable to load snapshot, ...,
	// continuing") through the standard logger; leakscope reports damage
	// as errors of its own, in one line (see package search, Damage).
	log.SetOutput(io.Discard)
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	code := m.exitCode(ctx, m.Run(ctx, os.Args[1:]))
	if code != exitOK {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
}
