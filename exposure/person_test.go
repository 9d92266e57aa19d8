package exposure

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestNormalizeAddress(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Alice.Abbott@Acme.Example", "alice.abbott@acme.example", true},
		{"  <alice@acme.example> ", "alice@acme.example", true},
		{"Alice Abbott <alice+news@acme.example>", "alice@acme.example", true},
		{"mailto:ALICE@acme.example", "alice@acme.example", true},
		{"'alice@acme.example.'", "alice@acme.example", true},
		{"+tag@acme.example", "+tag@acme.example", true},
		{"alice", "", false},
		{"alice@", "", false},
		{"@acme.example", "", false},
		{"alice@localhost", "", false},
		{"alice bob@acme.example", "", false},
		{"a@b@acme.example", "", false},
		{"alice@acme..example", "", false},
		{"\"\v@0.0\"", "", false}, // white space inside quotes (found by FuzzReadPeopleCSV)
		{"al\u00a0ice@acme.example", "", false},
		{"al\x00ice@acme.example", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeAddress(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeAddress(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// lineNumbers returns the line numbers of the *LineError values joined in
// err.
func lineNumbers(err error) []int {
	var out []int
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			var le *LineError
			if errors.As(e, &le) {
				out = append(out, le.Line)
			}
		}
	}
	return out
}

func TestReadPeopleCSV(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []Person
		errLines []int
	}{
		{
			name: "columns in any order, several addresses, aliases column, BOM",
			in: "\uFEFFEmail,Full Name,Dept,Job Title,VIP,Aliases,Phone\n" +
				"alice@acme.example; a.abbott@acme.example,Alice Abbott,Finance,CFO,yes,alice+x@acme.example,555\n" +
				"bob@acme.example,\"Brandt, Bob\",Legal,,,,\n",
			want: []Person{
				{Name: "Alice Abbott", Addresses: []string{"alice@acme.example", "a.abbott@acme.example"}, Department: "Finance", Title: "CFO", VIP: true},
				{Name: "Brandt, Bob", Addresses: []string{"bob@acme.example"}, Department: "Legal"},
			},
		},
		{
			name: "bad values are reported by line, other lines kept",
			in: "name,addresses,vip\n" +
				"Alice,alice@acme.example,maybe\n" +
				"Bob,not-an-address,\n" +
				"\n" +
				"Carol,carol@acme.example bad@,x\n",
			want: []Person{
				{Name: "Alice", Addresses: []string{"alice@acme.example"}},
				{Name: "Carol", Addresses: []string{"carol@acme.example"}, VIP: true},
			},
			errLines: []int{2, 3, 3, 5},
		},
		{
			name:     "malformed quote",
			in:       "name,email\n\"Al\"ice,alice@acme.example\nBob,bob@acme.example\n",
			want:     []Person{{Name: "Bob", Addresses: []string{"bob@acme.example"}}},
			errLines: []int{2},
		},
		{
			name:     "no address column",
			in:       "name,phone\nAlice,555\n",
			errLines: []int{1},
		},
		{
			name:     "empty file",
			in:       "",
			errLines: []int{1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPeopleCSV(strings.NewReader(tt.in))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadPeopleCSV(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if lines := lineNumbers(err); !slices.Equal(lines, tt.errLines) {
				t.Errorf("ReadPeopleCSV(%q) error lines = %v, want %v (error: %v)", tt.in, lines, tt.errLines, err)
			}
			if err != nil && !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Errorf("ReadPeopleCSV(%q) error %v does not wrap ErrInvalidInput", tt.in, err)
			}
			if err != nil && strings.Contains(err.Error(), "not-an-address") {
				t.Errorf("error %q shows a value from the file", err)
			}
		})
	}
}

func TestReadVCards(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []Person
		errLines []int
	}{
		{
			name: "version 4.0 with folding, groups and escapes",
			in: "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alice\r\n  Abbott\r\nN:Abbott;Alice;;;\r\nitem1.EMAIL;TYPE=work:ALICE@acme.example\r\n" +
				"EMAIL;TYPE=home:alice+home@mail.example\r\nORG:Acme Pictures;Finance\\, Tax\r\nTITLE:CFO\r\nCATEGORIES:board,VIP\r\nEND:VCARD\r\n",
			want: []Person{{Name: "Alice Abbott", Addresses: []string{"alice@acme.example", "alice@mail.example"},
				Department: "Finance, Tax", Title: "CFO", VIP: true}},
		},
		{
			name: "version 2.1 quoted-printable and Latin-1, name from N",
			in: "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=F6rg=\n;;;\n" +
				"EMAIL;INTERNET:joerg@acme.example\nX-VIP:1\nEND:VCARD\n",
			want: []Person{{Name: "Jörg Müller", Addresses: []string{"joerg@acme.example"}, VIP: true}},
		},
		{
			name: "errors by line, good cards kept",
			in: "FN:Stray\n" + // 1: outside a card
				"BEGIN:VCARD\nFN:No Mail\nEND:VCARD\n" + // 2: card without address
				"BEGIN:VCARD\nFN:Bad\nEMAIL:nobody\nEMAIL:bad@acme.example\nthis line has no colon\nEND:VCARD\n" + // 7, 9
				"BEGIN:VCARD\nFN:Open\nEMAIL:open@acme.example\n", // 11: not ended
			want:     []Person{{Name: "Bad", Addresses: []string{"bad@acme.example"}}},
			errLines: []int{1, 2, 7, 9, 11},
		},
		{
			name:     "unsupported charset",
			in:       "BEGIN:VCARD\nFN;CHARSET=KOI8-R:x\nEMAIL:a@acme.example\nEND:VCARD\n",
			want:     []Person{{Addresses: []string{"a@acme.example"}}},
			errLines: []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadVCards(strings.NewReader(tt.in))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadVCards(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if lines := lineNumbers(err); !slices.Equal(lines, tt.errLines) {
				t.Errorf("ReadVCards(%q) error lines = %v, want %v (error: %v)", tt.in, lines, tt.errLines, err)
			}
		})
	}
}

func TestDirectory(t *testing.T) {
	people := []Person{
		{Name: "Alice", Addresses: []string{"alice@acme.example", "A.Abbott@Acme.example"}, VIP: true},
		{Name: "Bob", Addresses: []string{"bob@acme.example", "alice@acme.example"}},
	}
	d, err := NewDirectory(people)
	if !errors.Is(err, leakscope.ErrInvalidInput) || !strings.Contains(err.Error(), "entries 1 and 2") {
		t.Errorf("NewDirectory with a shared address: error %v, want one naming entries 1 and 2", err)
	}
	tests := []struct {
		addr string
		want string
	}{
		{"alice@acme.example", "Alice"},
		{"ALICE+lists@ACME.example", "Alice"},
		{"Abbott <a.abbott@acme.example>", "Alice"},
		{"bob@acme.example", "Bob"},
		{"carol@acme.example", ""},
		{"not an address", ""},
	}
	for _, tt := range tests {
		p, ok := d.Lookup(tt.addr)
		if p.Name != tt.want || ok != (tt.want != "") {
			t.Errorf("Lookup(%q) = %q, %v, want %q", tt.addr, p.Name, ok, tt.want)
		}
	}
	if p, ok := d.LookupAddress(leakscope.Address{Raw: "Bob <BOB@acme.example>"}); !ok || p.Name != "Bob" {
		t.Errorf("LookupAddress from Raw = %q, %v, want Bob", p.Name, ok)
	}
	if n := len(d.People()); n != 2 {
		t.Errorf("People() has %d entries, want 2", n)
	}
}

// checkPeople asserts what every reader promises: each person has at
// least one address, every address is normalised, and every error is a
// *LineError with a line number wrapping ErrInvalidInput.
func checkPeople(t *testing.T, people []Person, err error) {
	t.Helper()
	for _, p := range people {
		if len(p.Addresses) == 0 {
			t.Fatalf("person without address: %+v", p)
		}
		for _, a := range p.Addresses {
			if n, ok := NormalizeAddress(a); !ok || n != a {
				t.Fatalf("address %q not normalised (%q, %v)", a, n, ok)
			}
		}
	}
	if err == nil {
		return
	}
	if !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Fatalf("error %v does not wrap ErrInvalidInput", err)
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		t.Fatalf("error %v is not a list of line errors", err)
	}
	for _, e := range joined.Unwrap() {
		var le *LineError
		if errors.As(e, &le) && le.Line < 1 {
			t.Fatalf("line error with line %d", le.Line)
		}
	}
}

func FuzzReadPeopleCSV(f *testing.F) {
	f.Add("name,email,vip\nAlice,alice@acme.example,yes\n")
	f.Add("email\n\"a@b.example\nx\n")
	f.Add("\uFEFFaddresses;name\n")
	f.Fuzz(func(t *testing.T, in string) {
		people, err := ReadPeopleCSV(strings.NewReader(in))
		checkPeople(t, people, err)
	})
}

func FuzzReadVCards(f *testing.F) {
	f.Add("BEGIN:VCARD\nFN:A\nEMAIL:a@acme.example\nEND:VCARD\n")
	f.Add("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=C3=\n=A9\nEMAIL:a@b.example\nEND:VCARD")
	f.Add("BEGIN:VCARD\n item1.EMAIL;TYPE=\"a:b\":x@y.example\nBEGIN:VCARD\n")
	f.Fuzz(func(t *testing.T, in string) {
		people, err := ReadVCards(strings.NewReader(in))
		checkPeople(t, people, err)
	})
}

// FuzzNormalizeAddress checks that a normalised address normalises to
// itself and has one '@' with a dotted domain.
func FuzzNormalizeAddress(f *testing.F) {
	f.Add("Alice <alice+x@acme.example>")
	f.Add("mailto:B@C.D.")
	f.Fuzz(func(t *testing.T, in string) {
		n, ok := NormalizeAddress(in)
		if !ok {
			if n != "" {
				t.Fatalf("NormalizeAddress(%q) = %q with false", in, n)
			}
			return
		}
		if again, ok2 := NormalizeAddress(n); !ok2 || again != n {
			t.Fatalf("NormalizeAddress(%q) = %q, but that normalises to %q, %v", in, n, again, ok2)
		}
		local, domain, _ := strings.Cut(n, "@")
		if local == "" || !strings.Contains(domain, ".") || strings.Contains(domain, "@") || n != strings.ToLower(n) {
			t.Fatalf("NormalizeAddress(%q) = %q is not an address", in, n)
		}
	})
}
