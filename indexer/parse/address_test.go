package parse

import (
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestAddressList(t *testing.T) {
	type addr = leakscope.Address
	tests := []struct {
		name    string
		value   string
		want    []addr
		lenient bool // an "address" warning is wanted
	}{
		{"bare", "jeff.skilling@enron.com", []addr{{Raw: "jeff.skilling@enron.com", Email: "jeff.skilling@enron.com"}}, false},
		{"upper case lowered", "Jeff.Skilling@ENRON.com", []addr{{Raw: "Jeff.Skilling@ENRON.com", Email: "jeff.skilling@enron.com"}}, false},
		{"name and angle", "Kenneth Lay <kenneth.lay@enron.com>", []addr{{Raw: "Kenneth Lay <kenneth.lay@enron.com>", Name: "Kenneth Lay", Email: "kenneth.lay@enron.com"}}, false},
		{"quoted name with comma", `"Lay, Kenneth" <kenneth.lay@enron.com>, b@example.com`, []addr{
			{Raw: `"Lay, Kenneth" <kenneth.lay@enron.com>`, Name: "Lay, Kenneth", Email: "kenneth.lay@enron.com"},
			{Raw: "b@example.com", Email: "b@example.com"}}, false},
		{"encoded name", "=?UTF-8?Q?Andr=C3=A9?= <andre@example.com>", []addr{{Raw: "=?UTF-8?Q?Andr=C3=A9?= <andre@example.com>", Name: "André", Email: "andre@example.com"}}, false},
		{"encoded latin-2 name", "=?ISO-8859-2?Q?J=F3zef?= <j@example.com>", []addr{{Raw: "=?ISO-8859-2?Q?J=F3zef?= <j@example.com>", Name: "Józef", Email: "j@example.com"}}, false},
		{"encoded name in unknown charset", "=?x-bogus?Q?Andr=E9?= <a@example.com>", []addr{{Raw: "=?x-bogus?Q?Andr=E9?= <a@example.com>", Name: "André", Email: "a@example.com"}}, false},
		{"comment name", "kenneth.lay@enron.com (Kenneth Lay)", []addr{{Raw: "kenneth.lay@enron.com (Kenneth Lay)", Name: "Kenneth Lay", Email: "kenneth.lay@enron.com"}}, false},
		{"enron: dot first in angle", "houston <.ward@enron.com>", []addr{{Raw: "houston <.ward@enron.com>", Name: "houston", Email: ".ward@enron.com"}}, true},
		{"comments inside the angle brackets", "Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>", []addr{{Raw: "Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>", Name: "Pete(A wonderful \\) chap)", Email: "pete@silly.test"}}, true},
		{"enron: double dot", "h..foster@enron.com", []addr{{Raw: "h..foster@enron.com", Email: "h..foster@enron.com"}}, true},
		{"enron: double dot among others", "a@enron.com, h..foster@enron.com", []addr{
			{Raw: "a@enron.com", Email: "a@enron.com"},
			{Raw: "h..foster@enron.com", Email: "h..foster@enron.com"}}, true},
		{"group", "Team: a@example.com, B <b@example.com>;", []addr{
			{Raw: "a@example.com", Email: "a@example.com"},
			{Raw: "B <b@example.com>", Name: "B", Email: "b@example.com"}}, false},
		{"group then address", "Team: a@example.com; c@example.com", []addr{
			{Raw: "a@example.com", Email: "a@example.com"},
			{Raw: "c@example.com", Email: "c@example.com"}}, false},
		{"empty group", "undisclosed-recipients:;", []addr{{Raw: "undisclosed-recipients:;", Name: "undisclosed-recipients"}}, false},
		{"empty group without semicolon", "undisclosed-recipients:", []addr{{Raw: "undisclosed-recipients:", Name: "undisclosed-recipients"}}, false},
		{"mailto", "Bob <mailto:bob@example.com>", []addr{{Raw: "Bob <mailto:bob@example.com>", Name: "Bob", Email: "bob@example.com"}}, true},
		{"source route", "<@relay.example:user@example.com>", []addr{{Raw: "<@relay.example:user@example.com>", Email: "user@example.com"}}, true},
		{"x.400 without address", "</O=ENRON/OU=NA/CN=RECIPIENTS/CN=JSMITH>", []addr{{Raw: "</O=ENRON/OU=NA/CN=RECIPIENTS/CN=JSMITH>", Email: ""}}, true},
		{"name only", "Kenneth Lay", []addr{{Raw: "Kenneth Lay", Name: "Kenneth Lay"}}, true},
		{"spaces in angle", "Bob < bob @ example.com >", []addr{{Raw: "Bob < bob @ example.com >", Name: "Bob", Email: "bob@example.com"}}, true},
		{"unclosed quote splits on commas", `"Lay, Kenneth <k@enron.com>`, []addr{
			{Raw: `"Lay`, Name: "Lay"},
			{Raw: "Kenneth <k@enron.com>", Name: "Kenneth", Email: "k@enron.com"}}, true},
		{"empty items skipped", "a@example.com,, ,b@example.com", []addr{
			{Raw: "a@example.com", Email: "a@example.com"},
			{Raw: "b@example.com", Email: "b@example.com"}}, false},
		{"latin-1 name bytes", "Andr\xe9 <andre@example.com>", []addr{{Raw: "André <andre@example.com>", Name: "André", Email: "andre@example.com"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, joinCRLF("From: x@example.com", "To: "+tt.value, "Date: Mon, 2 Jan 2006 15:04:05 +0000", "", "body"))
			got := p.Message.To
			if len(got) != len(tt.want) {
				t.Fatalf("To %q = %#v, want %#v", tt.value, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("To %q [%d] = %#v, want %#v", tt.value, i, got[i], tt.want[i])
				}
			}
			_, warned := warning(p, leakscope.WarnAddress, "To: malformed address read leniently")
			if warned != tt.lenient {
				t.Errorf("address warning = %v, want %v (warnings %v)", warned, tt.lenient, p.Message.Warnings)
			}
		})
	}
}

func TestEnronAddressesHaveDomain(t *testing.T) {
	for _, from := range []string{"houston <.ward@enron.com>", "h..foster@enron.com"} {
		p := mustParse(t, joinCRLF("From: "+from, "Date: Mon, 2 Jan 2006 15:04:05 +0000", "", "body"))
		if got := p.Message.From.Domain(); got != "enron.com" {
			t.Errorf("From %q: Domain() = %q, want enron.com", from, got)
		}
		if got := p.Message.From.Raw; got != from {
			t.Errorf("From %q: Raw = %q, want it as written", from, got)
		}
	}
}

func TestFromFields(t *testing.T) {
	p := mustParse(t, joinCRLF("From: a@example.com, b@example.com", "From: c@example.com",
		"Sender: s@example.com", "Reply-To: r@example.com", "Cc: c1@example.com", "Bcc: b1@example.com", "", "body"))
	if got := p.Message.From.Email; got != "a@example.com" {
		t.Errorf("From = %q, want a@example.com", got)
	}
	wantWarning(t, p, leakscope.WarnAddress, "2 From fields: the first is used")
	wantWarning(t, p, leakscope.WarnAddress, "From holds 2 addresses: the first is used")
	if p.Message.Sender == nil || p.Message.Sender.Email != "s@example.com" {
		t.Errorf("Sender = %v, want s@example.com", p.Message.Sender)
	}
	for _, c := range []struct {
		field string
		got   []leakscope.Address
		want  string
	}{{"Reply-To", p.Message.ReplyTo, "r@example.com"}, {"Cc", p.Message.Cc, "c1@example.com"}, {"Bcc", p.Message.Bcc, "b1@example.com"}} {
		if len(c.got) != 1 || c.got[0].Email != c.want {
			t.Errorf("%s = %v, want %s", c.field, c.got, c.want)
		}
	}
}

// TestObsoleteFieldSyntax: "From  : x" (white space before the colon, RFC
// 5322 section 4.5) is a header field, not an mbox From_ line.
func TestObsoleteFieldSyntax(t *testing.T) {
	p := mustParse(t, joinCRLF("From  : John Doe <jdoe@machine(comment).  example>", "Subject     : Saying Hello",
		"Date  : Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", "", "hello"))
	if p.Message.From.Email != "jdoe@machine.example" || p.Message.Subject != "Saying Hello" {
		t.Errorf("From = %+v, Subject = %q; want jdoe@machine.example and the subject", p.Message.From, p.Message.Subject)
	}
	if got := p.Message.Date.Format(time.RFC3339); got != "1997-11-21T15:55:06Z" {
		t.Errorf("Date = %s, want 1997-11-21T15:55:06Z", got)
	}
}
