package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what -json writes.
type Report struct {
	URL      string  `json:"url"`
	Queries  int     `json:"queries"`  // size of the mix
	Warmup   string  `json:"warmup"`   // per level
	Duration string  `json:"duration"` // measured window per level
	Levels   []Level `json:"levels"`
}

// Level is the figures of one concurrency level. Latencies are of the
// successful requests, in milliseconds.
type Level struct {
	Clients    int            `json:"clients"`
	Requests   int            `json:"requests"` // started in the measured window
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"error_kinds,omitempty"` // "status 503", "transport", "json"
	// ErrorSamples holds one message per kind (the API's error code for a
	// status).
	ErrorSamples map[string]string `json:"error_samples,omitempty"`
	Seconds      float64           `json:"seconds"` // from the window's start until the last request ended
	RPS          float64           `json:"rps"`     // successful requests per second
	MeanMS       float64           `json:"mean_ms"`
	P50MS        float64           `json:"p50_ms"`
	P90MS        float64           `json:"p90_ms"`
	P99MS        float64           `json:"p99_ms"`
	MaxMS        float64           `json:"max_ms"`
	BytesPerReq  float64           `json:"bytes_per_request"`
	// ServerCPU is the server's user+system CPU seconds over the window
	// (with -pid); DriverCPU this process's.
	ServerCPU float64      `json:"server_cpu_seconds,omitempty"`
	DriverCPU float64      `json:"driver_cpu_seconds"`
	ByQuery   []QueryLevel `json:"by_query"`
}

// QueryLevel is one query's latencies at a level.
type QueryLevel struct {
	Q        string  `json:"q"`
	Params   string  `json:"params,omitempty"`
	Requests int     `json:"requests"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
}

// summarize merges the clients' outcomes into a level's figures.
func summarize(clients int, elapsed time.Duration, outs []*outcome, mix []Query) *Level {
	lv := &Level{Clients: clients, Seconds: elapsed.Seconds(), ErrorKinds: map[string]int{}, ErrorSamples: map[string]string{}}
	var all []time.Duration
	var bytes int64
	byQuery := make([][]time.Duration, len(mix))
	for _, o := range outs {
		all = append(all, o.lat...)
		bytes += o.bytes
		for i, l := range o.byQuery {
			byQuery[i] = append(byQuery[i], l...)
		}
		for k, n := range o.errs {
			lv.ErrorKinds[k] += n
			lv.Errors += n
			if _, ok := lv.ErrorSamples[k]; !ok {
				lv.ErrorSamples[k] = o.sample[k]
			}
		}
	}
	lv.Requests = len(all) + lv.Errors
	if lv.Requests > 0 {
		lv.BytesPerReq = float64(bytes) / float64(lv.Requests)
	}
	if elapsed > 0 {
		lv.RPS = float64(len(all)) / elapsed.Seconds()
	}
	slices.Sort(all)
	lv.MeanMS = ms(mean(all))
	lv.P50MS, lv.P90MS, lv.P99MS = ms(percentile(all, 50)), ms(percentile(all, 90)), ms(percentile(all, 99))
	lv.MaxMS = ms(percentile(all, 100))
	for i, l := range byQuery {
		slices.Sort(l)
		lv.ByQuery = append(lv.ByQuery, QueryLevel{Q: mix[i].Q, Params: mix[i].Params, Requests: len(l),
			P50MS: ms(percentile(l, 50)), P99MS: ms(percentile(l, 99)), MaxMS: ms(percentile(l, 100))})
	}
	return lv
}

// percentile returns the nearest-rank p-th percentile of sorted
// durations: the smallest one that at least p% of them do not exceed.
// It returns 0 for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

// ms is d in milliseconds, rounded to microseconds.
func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// writeTable prints the levels as a table, the error kinds of any level
// that had errors, and with byQuery each query's latencies at the last
// level.
func writeTable(w io.Writer, r *Report, byQuery bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "clients\trequests\terrors\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tKB/req\tserver CPU\tdriver CPU\t")
	for _, lv := range r.Levels {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%s\t\n", lv.Clients, lv.Requests, lv.Errors, lv.RPS,
			lv.P50MS, lv.P90MS, lv.P99MS, lv.MaxMS, lv.BytesPerReq/1024, cpuText(lv.ServerCPU, lv), cpuText(lv.DriverCPU, lv))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, lv := range r.Levels {
		for _, k := range slices.Sorted(maps.Keys(lv.ErrorKinds)) {
			fmt.Fprintf(w, "  %d clients: %d x %s (%s)\n", lv.Clients, lv.ErrorKinds[k], k, lv.ErrorSamples[k])
		}
	}
	if byQuery && len(r.Levels) > 0 {
		lv := r.Levels[len(r.Levels)-1]
		fmt.Fprintf(w, "\nby query at %d clients:\n", lv.Clients)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "query\tparams\trequests\tp50 ms\tp99 ms\tmax ms")
		for _, q := range lv.ByQuery {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\n", q.Q, orDash(q.Params), q.Requests, q.P50MS, q.P99MS, q.MaxMS)
		}
		return tw.Flush()
	}
	return nil
}

// cpuText shows CPU seconds over a level as cores busy and milliseconds
// per request ("-" when not measured).
func cpuText(secs float64, lv Level) string {
	if secs == 0 || lv.Seconds == 0 || lv.Requests == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f cores %.1f ms/req", secs/lv.Seconds, secs*1000/float64(lv.Requests))
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
