package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/oprf"
)

// The identifier self-check of TestServeExposure: the oblivious PRF
// (POST /identifiers/evaluate) and the look-up by prefix (GET
// /identifiers/lookup/{prefix}).

// lookupAnswer is GET /identifiers/lookup/{prefix}.
type lookupAnswer struct {
	Prefix     string                  `json:"prefix"`
	MinEntries int                     `json:"min_entries"`
	Entries    []leakscope.LookupEntry `json:"entries"`
}

// selfCheck runs the self-check of one identifier as a client does: it
// normalises and blinds the value, has the server evaluate the blinded
// element, finalizes the lookup hash and looks it up. It returns the
// lookup hash and the entry for it (nil when not found).
func selfCheck(t *testing.T, c *apiClient, kind, typed string) (string, *leakscope.LookupEntry) {
	t.Helper()
	v, err := detect.NormalizeIdentifier(kind, typed)
	if err != nil {
		t.Fatal(err)
	}
	in := oprf.Input(kind, v)
	r, err := oprf.Blind(in)
	if err != nil {
		t.Fatal(err)
	}
	resp, b := c.do("POST", "/api/v1/identifiers/evaluate", map[string]any{"elements": [][]byte{r.Element}})
	if resp.StatusCode != 200 {
		t.Fatalf("%s: POST /identifiers/evaluate = %d %s", c.name, resp.StatusCode, b)
	}
	var ev struct {
		Suite     string   `json:"suite"`
		Evaluated [][]byte `json:"evaluated"`
	}
	decodeJSON(t, string(b), &ev)
	if ev.Suite != api.EvaluateSuite || len(ev.Evaluated) != 1 {
		t.Fatalf("%s: evaluate answered %s", c.name, b)
	}
	out, err := r.Finalize(ev.Evaluated[0])
	if err != nil {
		t.Fatalf("%s: finalize: %v", c.name, err)
	}
	h := oprf.Lookup(out)
	var l lookupAnswer
	c.get("/api/v1/identifiers/lookup/"+h[:leakscope.LookupPrefixLen], &l)
	if len(l.Entries) < api.DefaultLookupMinimum || l.MinEntries != api.DefaultLookupMinimum || l.Prefix != h[:5] {
		t.Errorf("%s: lookup %s = %d entries (min %d), want at least %d", c.name, h[:5], len(l.Entries), l.MinEntries, api.DefaultLookupMinimum)
	}
	for i, e := range l.Entries {
		if len(e.Hash) != 32 || !strings.HasPrefix(e.Hash, h[:5]) || e.Batches == nil {
			t.Errorf("%s: lookup %s entry %+v: want a 32-hex hash with the prefix and batches", c.name, h[:5], e)
		}
		if i > 0 && l.Entries[i-1].Hash >= e.Hash {
			t.Errorf("%s: lookup %s not sorted by hash", c.name, h[:5])
		}
	}
	for i := range l.Entries {
		if l.Entries[i].Hash == h {
			return h, &l.Entries[i]
		}
	}
	return h, nil
}

// serveIdentifierLookup: an employee finds her SSN, card, phone and
// address with the figures of her own messages; another employee asking
// about them learns they are in the leak, and nothing of messages that
// are not hers; staff see every message.
func serveIdentifierLookup(t *testing.T, f *exposureFixture) {
	day := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	w1 := []leakscope.BatchRef{{Leak: "hr", Batch: "w1"}}
	for _, tc := range []struct{ kind, typed string }{
		{"ssn", "536-22-1847"},
		{"credit_card", "4556 7375 8689 9855"},
		{"phone", "(713) 853-1234"},
	} {
		_, e := selfCheck(t, f.jane, tc.kind, tc.typed)
		if e == nil || e.Messages != 1 || e.First == nil || !e.First.Equal(day) || !e.Last.Equal(day) || !slices.Equal(e.Batches, w1) {
			t.Errorf("jane: %s %s = %+v, want 1 message on %s in hr/w1", tc.kind, tc.typed, e, day.Format("2006-01-02"))
		}
		// Eve, whose scope holds none of Jane's messages: present, no
		// figures.
		if _, e := selfCheck(t, f.eve, tc.kind, tc.typed); e == nil || e.Messages != 0 || e.First != nil || len(e.Batches) != 0 {
			t.Errorf("eve: jane's %s = %+v, want present without messages, dates or batches", tc.kind, e)
		}
		if _, e := selfCheck(t, f.analyst, tc.kind, tc.typed); e == nil || e.Messages != 1 {
			t.Errorf("analyst: %s %s = %+v, want 1 message", tc.kind, tc.typed, e)
		}
	}
	// A made-up SSN is not found, and the answer is all decoys.
	if _, e := selfCheck(t, f.jane, "ssn", "536-22-1848"); e != nil {
		t.Errorf("jane: made-up SSN found: %+v", e)
	}
	// The same value typed differently is the same identifier.
	h1, _ := selfCheck(t, f.jane, "ssn", "536 22 1847")
	h2, _ := selfCheck(t, f.jane, "ssn", "536221847")
	if h1 != h2 {
		t.Errorf("one SSN written two ways: lookup hashes %s and %s", h1, h2)
	}
	for _, bad := range []string{"abcd", "abcdef", "ghijk", "abcde/x"} {
		resp, b := f.jane.do("GET", "/api/v1/identifiers/lookup/"+bad, nil)
		if resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("GET /identifiers/lookup/%s = %d %s, want 400 or 404", bad, resp.StatusCode, b)
		}
	}
	for name, body := range map[string]any{
		"no elements":  map[string]any{"elements": [][]byte{}},
		"five":         map[string]any{"elements": [][]byte{{1}, {2}, {3}, {4}, {5}}},
		"short":        map[string]any{"elements": [][]byte{make([]byte, 31)}},
		"identity":     map[string]any{"elements": [][]byte{make([]byte, 32)}},
		"not an elem":  map[string]any{"elements": [][]byte{bytes.Repeat([]byte{0xff}, 32)}},
		"the value":    map[string]any{"elements": []string{"536221847"}},
		"extra fields": map[string]any{"elements": [][]byte{make([]byte, 32)}, "kind": "ssn"},
	} {
		if resp, b := f.jane.do("POST", "/api/v1/identifiers/evaluate", body); resp.StatusCode != 400 {
			t.Errorf("POST /identifiers/evaluate (%s) = %d %s, want 400", name, resp.StatusCode, b)
		}
	}

	// Audited: evaluations by their number, look-ups without the prefix;
	// no entry holds a value, a lookup hash or an unkeyed hash.
	var page struct {
		Entries []leakscope.AuditEntry `json:"entries"`
	}
	f.admin.get("/api/v1/audit?limit=1000", &page)
	evals, lookups := 0, 0
	for _, e := range page.Entries {
		text := e.Target + " " + e.Detail
		if strings.Contains(text, "536221847") || strings.Contains(text, h1[:5]) || strings.Contains(text, clientSHA256("ssn", "536221847")[:5]) {
			t.Errorf("audit entry %+v holds the SSN, its lookup hash or its SHA-256", e)
		}
		if e.User != "jane" || e.Status != 200 {
			continue
		}
		switch e.Action {
		case leakscope.AuditIdentifierEvaluate:
			evals++
			if e.Target != "" || e.Detail != "1 element" {
				t.Errorf("evaluate audit entry %+v: want Detail %q only", e, "1 element")
			}
		case leakscope.AuditIdentifierLookup:
			lookups++
			if e.Target != "" || e.Detail != "" {
				t.Errorf("lookup audit entry %+v: want no target or detail", e)
			}
		}
	}
	if evals != 6 || lookups != 6 {
		t.Errorf("jane's self-checks audited: %d evaluations, %d look-ups; want 6 of each", evals, lookups)
	}
}

// clientSHA256 is the unkeyed hash the self-check used to send:
// hex SHA-256 of kind:value.
func clientSHA256(kind, value string) string {
	sum := sha256.Sum256([]byte(kind + ":" + value))
	return hex.EncodeToString(sum[:])
}

// traffic records the requests and answers of a client.
type traffic struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent [][]byte // method, URL and body of each request
	got  [][]byte // each answer's body
}

func (tr *traffic) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := tr.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	ans, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(ans))
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.sent = append(tr.sent, fmt.Appendf(nil, "%s %s\n%s", req.Method, req.URL, body))
	tr.got = append(tr.got, ans)
	return resp, nil
}

// record makes c's requests and answers recorded.
func record(c *apiClient) *traffic {
	tr := &traffic{next: http.DefaultTransport}
	if c.hc.Transport != nil {
		tr.next = c.hc.Transport
	}
	c.hc.Transport = tr
	return tr
}

// captured returns every byte string an eavesdropper (or the client
// itself) holds of the traffic: the raw bytes, and the decoding of every
// hex and base64 string in them.
func (tr *traffic) captured() [][]byte {
	var out [][]byte
	hexRE := regexp.MustCompile(`[0-9a-fA-F]{10,}`)
	b64RE := regexp.MustCompile(`[A-Za-z0-9+/]{20,}={0,2}`)
	for _, b := range slices.Concat(tr.sent, tr.got) {
		out = append(out, b)
		for _, m := range hexRE.FindAll(b, -1) {
			if d, err := hex.DecodeString(string(m[:len(m)/2*2])); err == nil {
				out = append(out, d)
			}
		}
		for _, m := range b64RE.FindAll(b, -1) {
			if d, err := base64.StdEncoding.DecodeString(string(m)); err == nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// serveLookupBruteForce is the attack of issue 13 (2): capture what the
// self-check of an SSN sends and answers, then try every SSN of a small
// space offline against it. The unkeyed range (SHA-256 of "ssn:" and the
// digits, 5 hex characters sent, full hashes answered) gave the SSN away
// in 10^4 hashes; now no request holds the value or an unkeyed hash of it,
// and no answer holds anything that can be computed without the server's
// key.
func serveLookupBruteForce(t *testing.T, f *exposureFixture) {
	c := f.ts.client(t, "eve")
	c.login("eve")
	tr := record(c)
	const victim = "536221847"
	_, e := selfCheck(t, c, "ssn", "536-22-1847")
	if e == nil {
		t.Fatalf("the victim's SSN is not found: nothing to attack")
	}
	for _, s := range tr.sent {
		for _, form := range []string{victim, "536-22-1847", "536 22 1847", clientSHA256("ssn", victim)[:5]} {
			if bytes.Contains(s, []byte(form)) {
				t.Errorf("a request holds the SSN as %q:\n%s", form, s)
			}
		}
	}
	// The requests hold blinded elements only: one 32-byte element in the
	// evaluate body, a prefix in the look-up's path.
	for _, s := range tr.sent {
		if bytes.HasPrefix(s, []byte("POST ")) && bytes.Contains(s, []byte("/identifiers/evaluate")) {
			if !regexp.MustCompile(`\n\{"elements":\["[A-Za-z0-9+/]{43}="\]\}$`).Match(s) {
				t.Errorf("evaluate request holds more than one blinded element:\n%s", s)
			}
		}
	}
	captured := tr.captured()
	recovered := []string{}
	for n := range 10000 {
		cand := fmt.Sprintf("53622%04d", n)
		sum := sha256.Sum256([]byte("ssn:" + cand))
		hx := hex.EncodeToString(sum[:])
		for _, b := range captured {
			if bytes.Contains(b, []byte(hx[:16])) || bytes.Contains(b, sum[:8]) || bytes.Contains(b, []byte(cand)) {
				recovered = append(recovered, cand)
				break
			}
		}
	}
	if len(recovered) > 0 {
		t.Errorf("offline brute force of 10^4 SSNs against the captured self-check recovered %v", recovered)
	}
	// Nor does the lookup hash, the only thing that identifies the entry,
	// come from anything but the server's key: the same protocol under
	// another key gives another hash.
	other, _ := oprf.NewKey(bytes.Repeat([]byte{1}, 32))
	out, _ := other.Output(oprf.Input("ssn", victim))
	if e.Hash == oprf.Lookup(out) {
		t.Errorf("the lookup hash does not depend on the server's key")
	}
}

// serveLookupEmail is the attack of issue 13 (3): an employee asks about a
// colleague's address. The range answered the number of messages holding
// it, their dates and waves; now the answer says it is in the leak and
// counts only the asker's own messages (Eve's scope holds none of
// Jane's).
func serveLookupEmail(t *testing.T, f *exposureFixture) {
	_, all := selfCheck(t, f.analyst, "email", "jane.doe@example.com")
	if all == nil || all.Messages < 2 || all.First == nil {
		t.Fatalf("analyst: jane's address = %+v, want it in several messages", all)
	}
	_, own := selfCheck(t, f.jane, "email", "Jane.Doe@example.com")
	if own == nil || own.Messages != all.Messages {
		t.Errorf("jane: her address = %+v, want the %d messages that hold it, all hers", own, all.Messages)
	}
	_, e := selfCheck(t, f.eve, "email", "jane.doe@example.com")
	if e == nil || e.Messages != 0 || e.First != nil || e.Last != nil || len(e.Batches) != 0 {
		t.Errorf("eve: jane's address = %+v, want present with no messages, dates or waves (analyst sees %d)", e, all.Messages)
	}
}

// serveLookupStore: the store file holds no SSN, in clear or as an
// unkeyed hash.
func serveLookupStore(t *testing.T, f *exposureFixture) {
	raw, err := os.ReadFile(filepath.Join(f.data, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ssn := range []string{"536221847", "536441234", "536449876"} {
		h := clientSHA256("ssn", ssn)
		bin, _ := hex.DecodeString(h)
		dashed := ssn[:3] + "-" + ssn[3:5] + "-" + ssn[5:]
		for what, b := range map[string][]byte{"digits": []byte(ssn), "as written": []byte(dashed), "hex hash": []byte(h),
			"hash": bin, "hash prefix": bin[:3], "hash tail": bin[3:]} {
			if bytes.Contains(raw, b) {
				t.Errorf("store.db holds SSN %s: %s", dashed, what)
			}
		}
	}
}

// serveLookupLimit: evaluations have their own limit, a minute's and a
// day's, each element counting; look-ups theirs.
func serveLookupLimit(t *testing.T, f *exposureFixture) {
	rs := startAPIServer(t, f.data, api.Options{LoginRate: 1000, RateBurst: 1000, EvaluateRate: 3, EvaluateDaily: 1000, LookupRate: 2})
	defer rs.stop()
	c := rs.client(t, "jane")
	c.login("jane")
	el, _ := oprf.Blind([]byte("ssn:536221847"))
	eval := func(n int) (*http.Response, []byte) {
		return c.do("POST", "/api/v1/identifiers/evaluate", map[string]any{"elements": slices.Repeat([][]byte{el.Element}, n)})
	}
	if resp, b := eval(2); resp.StatusCode != 200 {
		t.Fatalf("2 evaluations = %d %s", resp.StatusCode, b)
	}
	resp, b := eval(2)
	if resp.StatusCode != 429 || apiErrorCode(t, b) != "rate_limited" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("2 more evaluations with a limit of 3 a minute = %d %s, want 429 with Retry-After", resp.StatusCode, b)
	}
	if resp, b := eval(1); resp.StatusCode != 200 {
		t.Errorf("the 3rd evaluation = %d %s, want 200", resp.StatusCode, b)
	}
	for i := range 2 {
		if resp, b := c.do("GET", "/api/v1/identifiers/lookup/0abcd", nil); resp.StatusCode != 200 {
			t.Fatalf("look-up %d = %d %s", i+1, resp.StatusCode, b)
		}
	}
	if resp, b := c.do("GET", "/api/v1/identifiers/lookup/0abcd", nil); resp.StatusCode != 429 {
		t.Errorf("3rd look-up with a limit of 2 a minute = %d %s, want 429", resp.StatusCode, b)
	}
	if resp, _ := c.do("GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Errorf("other requests after the limits = %d, want 200", resp.StatusCode)
	}

	rs.stop()
	daily := startAPIServer(t, f.data, api.Options{LoginRate: 1000, RateBurst: 1000, EvaluateRate: 100, EvaluateDaily: 4})
	defer daily.stop()
	d := daily.client(t, "eve")
	d.login("eve")
	for i := range 4 {
		if resp, b := d.do("POST", "/api/v1/identifiers/evaluate", map[string]any{"elements": [][]byte{el.Element}}); resp.StatusCode != 200 {
			t.Fatalf("evaluation %d of 4 a day = %d %s", i+1, resp.StatusCode, b)
		}
	}
	resp, b = d.do("POST", "/api/v1/identifiers/evaluate", map[string]any{"elements": [][]byte{el.Element}})
	if wait, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != 429 || wait < 3600 {
		t.Errorf("5th evaluation with 4 a day = %d %s (Retry-After %s), want 429 with hours to wait", resp.StatusCode, b, resp.Header.Get("Retry-After"))
	}
}
