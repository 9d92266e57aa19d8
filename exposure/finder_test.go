package exposure

import (
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func names(ps []*Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+"<"+p.Addresses[0]+">")
	}
	return out
}

func TestFinder(t *testing.T) {
	self := func(p Person) *Person { return &p }
	dir := []Person{
		{Name: "Amy Pascal", Addresses: []string{"Amy.Pascal@Sony.com", "amy@home.example"}},
		{Name: "Mary Ann O'Brien", Addresses: []string{"mob@sony.com", "amy@home.example"}}, // shared: stays with Amy
		{Name: "Nobody", Addresses: []string{"not an address"}},
	}
	f := NewFinder(dir, nil, self)
	if !f.HasDirectory() || len(f.People()) != 2 {
		t.Fatalf("directory finder: %v people, directory %v; want 2, true", names(f.People()), f.HasDirectory())
	}
	if p := f.Person(leakscope.Address{Email: "AMY@home.example"}); p == nil || p.Name != "Amy Pascal" {
		t.Errorf("Person(amy@home.example) = %v, want Amy Pascal (the first entry keeps a shared address)", p)
	}
	if p := f.Person(leakscope.Address{Email: "stranger@sony.com"}); p != nil {
		t.Errorf("Person(stranger) = %v with a directory, want nil", p)
	}
	tests := []struct{ text, want string }{
		{"ask Amy Pascal and mary ann o'brien.", "Amy Pascal<amy.pascal@sony.com>,Mary Ann O'Brien<mob@sony.com>"},
		{"write to amy.pascal@sony.com. Amy Pascal agrees", "Amy Pascal<amy.pascal@sony.com>"},
		{"Mary O'Brien, first and last", "Mary Ann O'Brien<mob@sony.com>"},
		{"Pascal Amy", ""},
	}
	for _, tc := range tests {
		got := names(f.Mentioned(tc.text))
		want := []string{}
		if tc.want != "" {
			want = strings.Split(tc.want, ",")
		}
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("Mentioned(%q) = %v, want %v", tc.text, got, want)
		}
	}

	// Without a directory: addresses of the company's domains, as met.
	g := NewFinder(nil, []string{"@sony.com"}, self)
	if p := g.Person(leakscope.Address{Name: "Bob", Email: "bob@us.sony.com"}); p == nil || p.Name != "Bob" {
		t.Errorf("Person(bob@us.sony.com) = %v, want Bob of a company subdomain", p)
	}
	if p := g.Person(leakscope.Address{Email: "x@other.example"}); p != nil {
		t.Errorf("Person(x@other.example) = %v, want nil outside the domains", p)
	}
	g.Mentioned("cc carol@sony.com")
	if got := names(g.People()); !slices.Equal(got, []string{"Bob<bob@us.sony.com>", "<carol@sony.com>"}) {
		t.Errorf("people met = %v, want Bob then carol", got)
	}
	if g.Owner("carol@sony.com") == nil || g.Owner("dave@sony.com") != nil {
		t.Error("Owner: want carol known, dave not (Owner adds no one)")
	}
}
