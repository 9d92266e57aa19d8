package detect

import (
	"reflect"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestNormalizePhone(t *testing.T) {
	tests := map[string]string{
		"(713) 853-1234":       "+17138531234",
		"1-800-525-6285":       "+18005256285",
		"713.853.1234":         "+17138531234",
		"+44 (0) 20 7783 5355": "+442077835355",
		"44(0)20 7467 3667":    "+442074673667",
		"011 528 152 2417":     "+5281522417",
		"853-1234":             "8531234",
		"01628 480910":         "01628480910",
	}
	for in, want := range tests {
		if got := normalizePhone(in); got != want {
			t.Errorf("normalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIdentifiers(t *testing.T) {
	d := newTestDetector(t, Options{})
	m := &leakscope.Message{Subject: "W-2 for SSN 123-45-6780"}
	text := &leakscope.Text{
		Body: "SSN 123 45 6780 again. Card 4532-0151-1283-0366. IBAN DE89 3704 0044 0532 0130 00.\n" +
			"Wire to ABA 111000012, account 3750494727 at the bank. Call (713) 853-1234 or 713.853.1234.\n" +
			"Mail Jane.Roe@Example.COM.",
		Attachments: []leakscope.AttachmentText{{Name: "contacts.txt", Text: "jane.roe@example.com, +44 20 7783 5355"}},
	}
	got := d.Identifiers(m, text)
	want := []Identifier{
		{"bank_account", "111000012"},
		{"bank_account", "3750494727"},
		{"credit_card", "4532015112830366"},
		{"email", "jane.roe@example.com"},
		{"iban", "DE89370400440532013000"},
		{"phone", "+17138531234"},
		{"phone", "+442077835355"},
		{"ssn", "123456780"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Identifiers() =\n%v\nwant\n%v", got, want)
	}
	flags, ids := d.Detect(m, text)
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("Detect() identifiers =\n%v\nwant\n%v", ids, want)
	}
	if scanned := d.Scan(m, text); !reflect.DeepEqual(flags, scanned) {
		t.Errorf("Detect() flags differ from Scan(): %v vs %v", flags, scanned)
	}
}

func TestFindEmails(t *testing.T) {
	got := findEmails("a.b@x.com, <c+d@y.co.uk>. not@this, nor @here.com, trailing@dot.org.")
	want := []string{"a.b@x.com", "c+d@y.co.uk", "trailing@dot.org"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findEmails = %q, want %q", got, want)
	}
}
