package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/api"
)

// The identifier range check of TestServeExposure.

// rangeAnswer is GET /identifiers/range/{kind}/{prefix}.
type rangeAnswer struct {
	Kind       string                 `json:"kind"`
	Prefix     string                 `json:"prefix"`
	MinEntries int                    `json:"min_entries"`
	Entries    []leakscope.RangeEntry `json:"entries"`
}

// clientHash is what a browser computes: hex SHA-256 of kind:value.
func clientHash(kind, value string) string {
	sum := sha256.Sum256([]byte(kind + ":" + value))
	return hex.EncodeToString(sum[:])
}

// serveIdentifierRange: an employee finds her SSN, card, phone and
// address by hash prefix; answers are padded, stable and the same for
// everyone; other prefixes hold none of the leak's identifiers.
func serveIdentifierRange(t *testing.T, f *exposureFixture) {
	get := func(c *apiClient, kind, prefix string) rangeAnswer {
		t.Helper()
		var r rangeAnswer
		c.get("/api/v1/identifiers/range/"+kind+"/"+prefix, &r)
		if len(r.Entries) != api.DefaultRangeMinimum || r.MinEntries != api.DefaultRangeMinimum || r.Kind != kind {
			t.Errorf("%s: range %s/%s = %d entries (min %d), want exactly %d", c.name, kind, prefix, len(r.Entries), r.MinEntries, api.DefaultRangeMinimum)
		}
		for i, e := range r.Entries {
			if len(e.Hash) != 64 || !strings.HasPrefix(e.Hash, strings.ToLower(prefix)) || e.Messages < 1 || e.Batches == nil {
				t.Errorf("%s: range %s/%s entry %+v: want a hash with the prefix, messages and batches", c.name, kind, prefix, e)
			}
			if i > 0 && r.Entries[i-1].Hash >= e.Hash {
				t.Errorf("%s: range %s/%s not sorted by hash", c.name, kind, prefix)
			}
		}
		return r
	}
	find := func(r rangeAnswer, h string) *leakscope.RangeEntry {
		for i := range r.Entries {
			if r.Entries[i].Hash == h {
				return &r.Entries[i]
			}
		}
		return nil
	}
	// Jane's values as she types them, normalised as the UI does.
	day := time.Date(2014, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ kind, typed, normal string }{
		{"ssn", "536-22-1847", "536221847"},
		{"credit_card", "4556 7375 8689 9855", "4556737586899855"},
		{"phone", "(713) 853-1234", "+17138531234"},
		{"email", "Jane.Doe@example.com", "jane.doe@example.com"},
	} {
		h := clientHash(tc.kind, tc.normal)
		r := get(f.jane, tc.kind, h[:5])
		e := find(r, h)
		if e == nil {
			t.Errorf("jane: %s %s (H %s) not found in range %s", tc.kind, tc.typed, h, h[:5])
			continue
		}
		if tc.kind != "email" && (e.Messages != 1 || e.First == nil || !e.First.Equal(day) || !e.Last.Equal(day) ||
			!slices.Equal(e.Batches, []leakscope.BatchRef{{Leak: "hr", Batch: "w1"}})) {
			t.Errorf("jane: %s entry %+v, want 1 message on %s in hr/w1", tc.kind, e, day.Format("2006-01-02"))
		}
		if tc.kind == "email" && e.Messages != 5 {
			t.Errorf("jane: her address found in %d messages, want 5", e.Messages)
		}
	}

	// The answer for a prefix is the same for everyone, every time, in
	// any case.
	h := clientHash("ssn", "536221847")
	first := get(f.jane, "ssn", h[:5])
	for _, c := range []*apiClient{f.jane, f.analyst, f.eve} {
		if again := get(c, "ssn", strings.ToUpper(h[:5])); !reflect.DeepEqual(again.Entries, first.Entries) {
			t.Errorf("%s: range %s differs from jane's first answer", c.name, h[:5])
		}
	}
	// Another prefix holds none of the leak's SSNs, and nothing real for
	// Jane; the other kinds' prefixes are apart.
	planted := []string{h, clientHash("ssn", "536441234"), clientHash("ssn", "536449876")}
	other := "fffff"
	for slices.ContainsFunc(planted, func(p string) bool { return strings.HasPrefix(p, other) }) {
		other = fmt.Sprintf("%05x", len(other)+7)
	}
	for _, r := range []rangeAnswer{get(f.jane, "ssn", other), get(f.jane, "phone", h[:5])} {
		for _, p := range planted {
			if find(r, p) != nil {
				t.Errorf("range %s/%s lists planted SSN hash %s", r.Kind, r.Prefix, p)
			}
		}
	}
	// The other planted SSNs are found by their own prefixes.
	for _, p := range planted[1:] {
		if find(get(f.eve, "ssn", p[:5]), p) == nil {
			t.Errorf("planted SSN with hash %s not in its range", p)
		}
	}
	for _, bad := range []string{"ssn/abcd", "ssn/abcdef", "ssn/ghijk", "passport/abcde", "ssn/abcde/x"} {
		resp, b := f.jane.do("GET", "/api/v1/identifiers/range/"+bad, nil)
		if resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("GET /identifiers/range/%s = %d %s, want 400 or 404", bad, resp.StatusCode, b)
		}
	}

	// Audited with the kind and prefix only.
	var page struct {
		Entries []leakscope.AuditEntry `json:"entries"`
	}
	f.admin.get("/api/v1/audit?limit=1000", &page)
	n := 0
	for _, e := range page.Entries {
		if strings.Contains(e.Target+e.Detail, h[:7]) {
			t.Errorf("audit entry %+v holds more of a hash than its prefix", e)
		}
		if e.Action == leakscope.AuditIdentifierRange && e.User == "jane" && e.Status == 200 {
			n++
			if e.Target != "ssn" && e.Target != "credit_card" && e.Target != "phone" && e.Target != "email" || !strings.HasPrefix(e.Detail, "prefix ") || len(e.Detail) != len("prefix ")+5 {
				t.Errorf("range audit entry %+v: want the kind and 'prefix XXXXX'", e)
			}
		}
	}
	if n < 8 {
		t.Errorf("%d range requests of jane audited, want every one", n)
	}
}

// serveRangeStore: the store file holds no SSN, in clear or as an
// unkeyed hash.
func serveRangeStore(t *testing.T, f *exposureFixture) {
	raw, err := os.ReadFile(filepath.Join(f.data, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ssn := range []string{"536221847", "536441234", "536449876"} {
		h := clientHash("ssn", ssn)
		bin, _ := hex.DecodeString(h)
		dashed := ssn[:3] + "-" + ssn[3:5] + "-" + ssn[5:]
		for what, b := range map[string][]byte{"digits": []byte(ssn), "as written": []byte(dashed), "hex hash": []byte(h),
			"hex hash tail": []byte(h[5:]), "hash": bin, "hash tail": bin[3:]} {
			if bytes.Contains(raw, b) {
				t.Errorf("store.db holds SSN %s: %s", dashed, what)
			}
		}
	}
}

// serveRangeLimit: range requests have their own, lower limit.
func serveRangeLimit(t *testing.T, f *exposureFixture) {
	rs := startAPIServer(t, f.data, api.Options{LoginRate: 1000, RateBurst: 1000, RangeRate: 2})
	defer rs.stop()
	c := rs.client(t, "jane")
	c.login("jane")
	for i := range 2 {
		if resp, b := c.do("GET", "/api/v1/identifiers/range/ssn/0abcd", nil); resp.StatusCode != 200 {
			t.Fatalf("range request %d = %d %s", i+1, resp.StatusCode, b)
		}
	}
	resp, b := c.do("GET", "/api/v1/identifiers/range/ssn/0abcd", nil)
	if resp.StatusCode != 429 || apiErrorCode(t, b) != "rate_limited" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("3rd range request with a limit of 2 a minute = %d %s, want 429 with Retry-After", resp.StatusCode, b)
	}
	if resp, _ := c.do("GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Errorf("other requests after the range limit = %d, want 200", resp.StatusCode)
	}
}
