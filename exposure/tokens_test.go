package exposure

import (
	"slices"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestTokenStrings(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"words and case", []string{"The Plan, REVISED."}, []string{"the", "plan", "revised"}},
		{"numbers keep separators between digits", []string{"$1,200.50 and 3.5m, then 7."}, []string{"1,200.50", "and", "3.5m", "then", "7"}},
		{"accents are dropped from words", []string{"Müller, Núñez"}, []string{"mller", "nez"}},
		{"question marks of a re-encoding are dropped", []string{"M?ller, N??ez, caf?"}, []string{"mller", "nez", "caf"}},
		{"a question mark ends a sentence", []string{"Really? Yes"}, []string{"really", "yes"}},
		{"apostrophes join", []string{"don’t, don't, don?t"}, []string{"dont", "dont", "dont"}},
		{"links are dropped", []string{"the deck <https://x.example/d?a=1> or www.x.example/y [mailto:a@b.c]"}, []string{"the", "deck", "or"}},
		{"list markers at a paragraph start", []string{"o first item", "2. second item", "* third"}, []string{"first", "item", "second", "item", "third"}},
		{"a wrapped line starting with a number keeps it", []string{"announced on May", "17. Marketing"}, []string{"announced", "on", "may", "17", "marketing"}},
		{"euro sign is a separator", []string{"€5,000"}, []string{"5,000"}},
		{"other scripts are kept", []string{"Привет мир"}, []string{"привет", "мир"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokenStrings(tt.lines); !slices.Equal(got, tt.want) {
				t.Errorf("tokenStrings(%q) = %q, want %q", tt.lines, got, tt.want)
			}
		})
	}
}

func TestShinglesIgnoreFormatting(t *testing.T) {
	a := shingles([]string{"We are $1.2m over budget on Falcon", "because of the reshoots."})
	b := shingles([]string{"we are $1.2m over budget", "on falcon because of", "the reshoots"})
	if !slices.Equal(a, b) {
		t.Errorf("shingles differ by wrapping and case: %d vs %d", len(a), len(b))
	}
	if n := len(a); n != 11-shingleSize+1 {
		t.Errorf("11 tokens gave %d shingles, want %d", n, 11-shingleSize+1)
	}
	if got := shingles([]string{"Thanks Bob"}); len(got) != 1 {
		t.Errorf("a text shorter than a shingle gave %d shingles, want 1", len(got))
	}
	if got := shingles([]string{"", " -- "}); got != nil {
		t.Errorf("a text without tokens gave %d shingles, want none", len(got))
	}
}

func TestContentKey(t *testing.T) {
	msg := &leakscope.Message{From: leakscope.Address{Email: "A@X.com"}, Subject: "RE: Plan"}
	same := &leakscope.Message{From: leakscope.Address{Email: "a@x.com"}, Subject: "Plan"}
	k := contentKey(msg, &leakscope.Text{Body: "one  two\nthree\n"})
	if got := contentKey(same, &leakscope.Text{Body: " one two three"}); got != k {
		t.Error("contentKey differs for white space, address case and a reply prefix")
	}
	if got := contentKey(same, &leakscope.Text{Body: "one two three four"}); got == k {
		t.Error("contentKey equal for different text")
	}
}

func TestDates(t *testing.T) {
	at := func(raw string) stamp {
		d, err := time.Parse(time.RFC1123Z, raw)
		if err != nil {
			d, err = time.Parse("Mon, 02 Jan 2006 15:04 -0700", raw)
		}
		if err != nil {
			t.Fatal(err)
		}
		return stampOf(&leakscope.Message{Date: d.UTC(), DateRaw: raw})
	}
	ref := at("Mon, 07 Jan 2013 10:11:16 -0500")
	tests := []struct {
		name              string
		other             stamp
		exact, compatible bool
	}{
		{"same instant in another zone", at("Mon, 07 Jan 2013 15:11:16 +0000"), true, true},
		{"wall-clock time kept, zone replaced", at("Mon, 07 Jan 2013 10:11:16 +0000"), true, true},
		{"seconds dropped", at("Mon, 07 Jan 2013 15:11 +0000"), false, true},
		{"a second later", at("Mon, 07 Jan 2013 10:11:17 -0500"), false, true},
		{"an hour later", at("Mon, 07 Jan 2013 11:11:16 -0500"), false, false},
		{"the same time the next day", at("Tue, 08 Jan 2013 10:11:16 -0500"), false, false},
		{"unknown", stamp{}, false, true},
	}
	for _, tt := range tests {
		if got := dateExact(ref, tt.other); got != tt.exact {
			t.Errorf("%s: dateExact = %v, want %v", tt.name, got, tt.exact)
		}
		if got := dateCompatible(ref, tt.other); got != tt.compatible {
			t.Errorf("%s: dateCompatible = %v, want %v", tt.name, got, tt.compatible)
		}
	}
}

func TestSenderCompatible(t *testing.T) {
	alice := senderOf(leakscope.Address{Name: "Alice K. Abbott", Email: "alice.abbott@acme.example"})
	tests := []struct {
		name string
		a    leakscope.Address
		want bool
	}{
		{"same address", leakscope.Address{Email: "ALICE.ABBOTT@acme.example"}, true},
		{"exchange name, last name first", leakscope.Address{Raw: "/O=ACME/CN=AABBOTT", Name: "Abbott, Alice"}, true},
		{"alias address, same name", leakscope.Address{Name: "Alice Abbott", Email: "aa@home.example"}, true},
		{"another address, no name", leakscope.Address{Email: "bob@acme.example"}, false},
		{"another name", leakscope.Address{Name: "Bob Brandt"}, false},
		{"nothing known", leakscope.Address{}, true},
	}
	for _, tt := range tests {
		if got := alice.compatible(senderOf(tt.a)); got != tt.want {
			t.Errorf("%s: compatible(%+v) = %v, want %v", tt.name, tt.a, got, tt.want)
		}
	}
}
