// Command apiload drives Leakscope's search API (GET /api/v1/search) with
// concurrent clients and reports throughput and latency, one concurrency
// level after another. bench/api/run builds a server over the Enron subset
// and runs it; it can be pointed at any server:
//
//	apiload -url http://127.0.0.1:8080/api/v1/ -token lsk_... -clients 1,4,16 -duration 20s
//
// Each client loops over the query mix (the built-in one, see mix.go, or
// -queries FILE), starting at its own offset so that clients do not ask
// the same query at the same moment, and for each request reads the whole
// body and checks that the status is 200 and that the body is a JSON object
// with a "total" field. Anything else is an error, counted by kind
// ("status 503", "transport", "json"); the command exits with status 1 when
// any request failed.
//
// Per level it prints the requests made in the measured window (after
// -warmup), errors, throughput, p50/p90/p99/max latency of the successful
// requests, and, with -pid, the server process's CPU time over the window
// read from /proc/PID/stat. The driver's own CPU is printed too: on a small
// machine it competes with the server. -json FILE writes the same figures
// (and per-query latencies) as JSON for scripts ("-" for stdout instead of
// the table).
//
// The driver uses only the standard library: an http.Client whose
// transport keeps one idle connection per client alive, so that the
// figures measure the server, not TCP handshakes.
//
// # Known divergences
//
// CPU times are read in clock ticks and converted with USER_HZ = 100, the
// value Linux exposes to user space on every common architecture (Go's
// standard library cannot ask sysconf without cgo).
package main
