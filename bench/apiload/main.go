package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK     = 0
	exitErrors = 1 // some requests failed
	exitUsage  = 2
	exitFailed = 3 // the run itself failed (interrupted, no /proc)
)

const usage = `Usage: apiload -url URL -token TOKEN [flags]

Drive GET /api/v1/search with concurrent clients, one level after another,
and print throughput and latency per level. Exits 1 when any request failed.
The token may also come from $APILOAD_TOKEN (kept out of the process list).

Flags:
`

// run is the whole command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("apiload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	rawURL := fs.String("url", "", "the server's API `URL` (http://HOST:PORT/api/v1/, as `leakscope serve` prints it)")
	token := fs.String("token", "", "API `TOKEN` sent as Authorization: Bearer (default $APILOAD_TOKEN)")
	levels := fs.String("clients", "1,4,16", "concurrency `LEVELS`, comma-separated, run in order")
	duration := fs.Duration("duration", 20*time.Second, "measured time per level")
	warmup := fs.Duration("warmup", 3*time.Second, "time per level before measuring (requests made then are not counted)")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit of one request")
	queries := fs.String("queries", "", "query mix `FILE`: one query per line, optionally a tab and URL parameters (default: the built-in mix)")
	pid := fs.Int("pid", 0, "the server's process `ID`: report its CPU time (from /proc)")
	jsonOut := fs.String("json", "", "also write the figures as JSON to `FILE` (\"-\": to stdout, instead of the table)")
	byQuery := fs.Bool("by-query", false, "also print each query's latencies at the last level")
	list := fs.Bool("list", false, "print the query mix (query, params, notmuch query, notmuch sort; tab-separated) and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usagef := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "apiload: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}

	mix := builtinMix
	if *queries != "" {
		f, err := os.Open(*queries)
		if err != nil {
			return usagef("-queries: %v", err)
		}
		mix, err = readQueries(f)
		f.Close()
		if err != nil {
			return usagef("-queries %s: %v", *queries, err)
		}
	}
	if *list {
		if err := writeMix(stdout, mix); err != nil {
			fmt.Fprintf(stderr, "apiload: %v\n", err)
			return exitFailed
		}
		return exitOK
	}

	if *token == "" {
		*token = os.Getenv("APILOAD_TOKEN")
	}
	switch {
	case *rawURL == "":
		return usagef("-url is required")
	case *token == "":
		return usagef("-token (or $APILOAD_TOKEN) is required")
	case *duration <= 0 || *warmup < 0 || *timeout <= 0:
		return usagef("-duration and -timeout must be positive, -warmup not negative")
	}
	base, err := apiBase(*rawURL)
	if err != nil {
		return usagef("-url: %v", err)
	}
	clients, err := parseLevels(*levels)
	if err != nil {
		return usagef("-clients: %v", err)
	}
	if *pid != 0 {
		if _, err := readCPU(*pid); err != nil {
			return usagef("-pid: %v", err)
		}
	}

	cfg := config{base: base, token: *token, mix: mix, warmup: *warmup, duration: *duration, timeout: *timeout, pid: *pid}
	rep := &Report{URL: base.String(), Queries: len(mix), Warmup: warmup.String(), Duration: duration.String()}
	table := *jsonOut != "-"
	if table {
		fmt.Fprintf(stdout, "%s: %d queries, %s warm-up + %s per level\n", base.String()+"search", len(mix), *warmup, *duration)
	}
	failed := false
	for _, n := range clients {
		lv, err := runLevel(ctx, cfg, n)
		if err != nil {
			fmt.Fprintf(stderr, "apiload: %d clients: %v\n", n, err)
			return exitFailed
		}
		rep.Levels = append(rep.Levels, *lv)
		failed = failed || lv.Errors > 0
	}
	if table {
		if err := writeTable(stdout, rep, *byQuery); err != nil {
			fmt.Fprintf(stderr, "apiload: %v\n", err)
			return exitFailed
		}
	}
	if *jsonOut != "" {
		if err := writeReport(*jsonOut, stdout, rep); err != nil {
			fmt.Fprintf(stderr, "apiload: -json: %v\n", err)
			return exitFailed
		}
	}
	if failed {
		fmt.Fprintln(stderr, "apiload: some requests failed")
		return exitErrors
	}
	return exitOK
}

// parseLevels reads "1,4,16".
func parseLevels(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 10_000 {
			return nil, fmt.Errorf("%q is not a number of clients from 1 to 10000", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// writeReport writes the JSON report to name, or to stdout for "-".
func writeReport(name string, stdout io.Writer, r *Report) error {
	if name == "-" {
		return writeJSON(stdout, r)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := writeJSON(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
