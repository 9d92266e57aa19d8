package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// config is what every level of a run shares.
type config struct {
	base     *url.URL
	token    string
	mix      []Query
	warmup   time.Duration
	duration time.Duration
	timeout  time.Duration // of one request
	pid      int           // the server's process, for its CPU time; 0: not measured
}

// outcome is what one client saw in the measured window.
type outcome struct {
	lat     []time.Duration   // successful requests
	byQuery [][]time.Duration // successful requests, by index in the mix
	errs    map[string]int    // failed requests by kind
	sample  map[string]string // one error message per kind
	bytes   int64
}

func newOutcome(queries int) *outcome {
	return &outcome{byQuery: make([][]time.Duration, queries), errs: map[string]int{}, sample: map[string]string{}}
}

// runLevel runs clients concurrent clients for cfg.warmup and then
// cfg.duration, and measures the requests that start after the warm-up.
// Requests in flight when the window ends are waited for and counted.
func runLevel(ctx context.Context, cfg config, clients int) (*Level, error) {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        clients,
		MaxIdleConnsPerHost: clients,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true, // the API sends none; measure plain bodies
	}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: cfg.timeout}

	urls := make([]string, len(cfg.mix))
	for i, q := range cfg.mix {
		urls[i] = searchURL(cfg.base, q)
	}

	start := time.Now()
	from := start.Add(cfg.warmup)
	stop := make(chan struct{})
	outs := make([]*outcome, clients)
	var wg sync.WaitGroup
	for i := range clients {
		outs[i] = newOutcome(len(urls))
		wg.Add(1)
		go func(o *outcome, offset int) {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				case <-ctx.Done():
					return
				default:
				}
				qi := (offset + k) % len(urls)
				t0 := time.Now()
				n, kind, msg := fetch(ctx, hc, urls[qi], cfg.token)
				lat := time.Since(t0)
				if t0.Before(from) {
					continue
				}
				o.bytes += n
				if kind != "" {
					o.errs[kind]++
					if _, ok := o.sample[kind]; !ok {
						o.sample[kind] = msg
					}
					continue
				}
				o.lat = append(o.lat, lat)
				o.byQuery[qi] = append(o.byQuery[qi], lat)
			}
		}(outs[i], i*len(urls)/clients)
	}

	timer := time.NewTimer(time.Until(from))
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	cpu0, err0 := readCPU(cfg.pid)
	self0, _ := readCPU(0)
	t0 := time.Now()
	timer.Reset(cfg.duration)
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	close(stop)
	wg.Wait()
	elapsed := time.Since(t0)
	cpu1, err1 := readCPU(cfg.pid)
	self1, _ := readCPU(0)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	lv := summarize(clients, elapsed, outs, cfg.mix)
	lv.DriverCPU = (self1 - self0).Seconds()
	if cfg.pid != 0 {
		if err0 != nil || err1 != nil {
			return nil, fmt.Errorf("server CPU of pid %d: %w", cfg.pid, firstErr(err0, err1))
		}
		lv.ServerCPU = (cpu1 - cpu0).Seconds()
	}
	return lv, nil
}

// fetch makes one request and checks its answer: status 200 and a JSON
// object with a "total" field. It returns the bytes read and, for a
// failure, its kind and a message.
func fetch(ctx context.Context, hc *http.Client, u, token string) (n int64, kind, msg string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "request", err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "transport", err.Error()
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	n = int64(len(body))
	if err != nil {
		return n, "transport", "read body: " + err.Error()
	}
	if resp.StatusCode != http.StatusOK {
		return n, "status " + strconv.Itoa(resp.StatusCode), errorCode(body)
	}
	var out struct {
		Total *uint64           `json:"total"`
		Hits  []json.RawMessage `json:"hits"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return n, "json", err.Error()
	}
	if out.Total == nil {
		return n, "json", `no "total" field`
	}
	return n, "", ""
}

// errorCode reads the code of an API error body ({"error": {"code": ...}}
// or {"code": ...}), which says why without repeating anything personal.
func errorCode(body []byte) string {
	var e struct {
		Code  string `json:"code"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil {
		if e.Error.Code != "" {
			return e.Error.Code
		}
		if e.Code != "" {
			return e.Code
		}
	}
	if len(body) > 80 {
		body = body[:80]
	}
	return strconv.Quote(string(body))
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
