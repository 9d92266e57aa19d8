package main

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/query"
)

// TestBuiltinMixParses keeps the built-in mix valid as the query language
// evolves: a query the server refuses would make every run fail.
func TestBuiltinMixParses(t *testing.T) {
	for _, q := range builtinMix {
		if _, err := query.Parse(q.Q); err != nil {
			t.Errorf("query.Parse(%q) = %v, want a valid query", q.Q, err)
		}
		v, err := url.ParseQuery(q.Params)
		if err != nil {
			t.Errorf("params of %q: %q: %v", q.Q, q.Params, err)
		}
		for k := range v {
			if k != "sort" && k != "facets" && k != "limit" {
				t.Errorf("params of %q: unknown parameter %q", q.Q, k)
			}
		}
	}
}

func TestReadQueries(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Query
		wantErr string
	}{
		{"plain", "california\n\"power plant\"\n", []Query{{Q: "california"}, {Q: `"power plant"`}}, ""},
		{"params", "gas\tsort=relevance&facets=true\n", []Query{{Q: "gas", Params: "sort=relevance&facets=true"}}, ""},
		{"comments and blanks", "# mix\n\n  \ngas\r\n", []Query{{Q: "gas"}}, ""},
		{"bad params", "gas\tsort=%zz\n", nil, "line 1"},
		{"tab first", "\tsort=date\n", nil, "line 1: no query"},
		{"empty", "# nothing\n", nil, "no queries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readQueries(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("readQueries(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("readQueries(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestAPIBase(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"as serve prints it", "http://127.0.0.1:8080/api/v1/", "http://127.0.0.1:8080/api/v1/"},
		{"no slash", "http://127.0.0.1:8080/api/v1", "http://127.0.0.1:8080/api/v1/"},
		{"host only", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v1/"},
		{"behind a prefix", "https://example.org/leaks/", "https://example.org/leaks/api/v1/"},
		{"query and fragment dropped", "http://h/api/v1/?x=1#f", "http://h/api/v1/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := apiBase(tc.in)
			if err != nil || u.String() != tc.want {
				t.Errorf("apiBase(%q) = %v, %v; want %s", tc.in, u, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"127.0.0.1:8080", "ftp://h/", "http://"} {
		if u, err := apiBase(bad); err == nil {
			t.Errorf("apiBase(%q) = %v, want an error", bad, u)
		}
	}
}

func TestSearchURL(t *testing.T) {
	base, _ := apiBase("http://127.0.0.1:1/")
	tests := []struct {
		name string
		q    Query
		want url.Values
	}{
		{"default page", Query{Q: `"power plant" & co`}, url.Values{"q": {`"power plant" & co`}, "limit": {"20"}}},
		{"params kept", Query{Q: "*", Params: "sort=date&facets=true"},
			url.Values{"q": {"*"}, "limit": {"20"}, "sort": {"date"}, "facets": {"true"}}},
		{"own limit", Query{Q: "gas", Params: "limit=0"}, url.Values{"q": {"gas"}, "limit": {"0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(searchURL(base, tc.q))
			if err != nil {
				t.Fatal(err)
			}
			if u.Path != "/api/v1/search" || !reflect.DeepEqual(u.Query(), tc.want) {
				t.Errorf("searchURL(%+v) = %s, want /api/v1/search with %v", tc.q, u, tc.want)
			}
		})
	}
}

func TestWriteMix(t *testing.T) {
	var b strings.Builder
	mix := []Query{{Q: "a b", Params: "sort=date", Notmuch: "a b"}, {Q: "flag:ssn"}}
	if err := writeMix(&b, mix); err != nil {
		t.Fatal(err)
	}
	want := "a b\tsort=date\ta b\toldest-first\nflag:ssn\t-\t-\tnewest-first\n"
	if b.String() != want {
		t.Errorf("writeMix = %q, want %q", b.String(), want)
	}
}
