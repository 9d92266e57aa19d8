package search

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/query"
)

// testKeyer keys tokens with a fixed secret, as store.DB keys them with
// the data directory's.
type testKeyer struct{ secret string }

func (k testKeyer) IdentifierKey(id leakscope.Identifier) []byte {
	mac := hmac.New(sha256.New, []byte(k.secret))
	mac.Write([]byte(id.Kind + "\x00" + id.Value))
	return mac.Sum(nil)[:16]
}

// Planted values of the value tests: each flagged by the real detector.
var valueTexts = map[string]struct{ subject, body, attachment string }{
	"pii":  {"Benefits", "Hi HR,\nmy SSN is 536-22-1847 and my card is 4556 7375 8689 9855.\nCall me at (713) 853-1234.", ""},
	"pwd":  {"VPN access", "Your account is ready.\nUsername: jdoe\nPassword: Cobalt-6425%\nPlease change it.", ""},
	"file": {"Payroll", "See the attachment.", "name,ssn,dept\nBob Smith,536-44-9876,sales\n"},
	"none": {"Lunch", "Meet at 1847 Main Street, suite 536.", ""},
}

// valueDocs runs the detector over valueTexts, as ingest does.
func valueDocs(t *testing.T) []leakscope.Document {
	t.Helper()
	d, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []leakscope.Document
	for id, v := range valueTexts {
		m := &leakscope.Message{ID: id, Subject: v.subject}
		text := &leakscope.Text{Body: v.body}
		if v.attachment != "" {
			m.Attachments = []leakscope.Attachment{{Name: "payroll.csv", ContentType: "text/csv", HasText: true}}
			text.Attachments = []leakscope.AttachmentText{{Name: "payroll.csv", Text: v.attachment}}
		}
		m.Flags = d.Scan(m, text)
		docs = append(docs, leakscope.Document{Message: m, Text: text})
	}
	return docs
}

func openValueIndex(t *testing.T, keyer Keyer) *Index {
	t.Helper()
	ix, err := Open("", Options{Keyer: keyer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), valueDocs(t)); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestMaskedValues: the index holds flagged values as their masks: no
// query matches a part of a value the mask hides, for any caller; a
// caller that looks values up (Request.Values) finds each value typed
// whole, with or without separators, in its value field or in the part
// it is in.
func TestMaskedValues(t *testing.T) {
	ix := openValueIndex(t, testKeyer{"secret"})
	total := func(q string, values bool) (uint64, error) {
		t.Helper()
		parsed, err := query.Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		res, err := ix.Search(context.Background(), Request{Query: parsed, Values: values})
		if err != nil {
			return 0, err
		}
		return res.Total, nil
	}
	for _, tc := range []struct {
		query         string
		masked, clear uint64 // totals without and with Values
	}{
		// What the masks show is searched as always.
		{"1847", 2, 2},        // ***-**-1847 (pii) and 1847 Main Street (none)
		{"9855", 1, 1},        // **** **** **** 9855
		{"id:pii 1234", 1, 1}, // (***) ***-1234
		{"id:pwd password", 1, 1},
		// Prefixes of masked parts match nothing.
		{"id:pii 5*", 0, 0},
		{"id:pii 53*", 0, 0},
		{"id:pii 536*", 0, 0},
		{"id:pii body:45*", 0, 0},
		{"id:pii 71*", 0, 0},
		{"id:pwd cob*", 0, 0},
		{"id:pwd 64*", 0, 0},
		{"id:file attachment:536*", 0, 0},
		{"id:file 44*", 0, 0},
		{"id:file 98*", 1, 1}, // ***-**-9876: the mask shows the last four
		// Words and phrases of masked parts: only as a whole value, and
		// only for a caller who looks values up.
		{"id:pii 536", 0, 0},
		{`"536-22-1847"`, 0, 1},
		{"536-22-1847", 0, 1},
		{"536221847", 0, 1},
		{"ssn:536221847", 0, 1},
		{`ssn:"536 22 1847"`, 0, 1},
		{"body:536-22-1847", 0, 1},
		{"subject:536-22-1847", 0, 0},
		{"attachment:536-44-9876", 0, 1},
		{"credit_card:4556737586899855", 0, 1},
		{`"4556 7375 8689 9855"`, 0, 1},
		{"phone:7138531234", 0, 1},
		{`"(713) 853-1234"`, 0, 1},
		{"Cobalt-6425%", 0, 1},
		{"credential:Cobalt-6425%", 0, 1},
		{"cobalt-6425%", 0, 0}, // passwords are exact
		{"cobalt", 0, 0},
		{"id:pwd 6425", 0, 0},
		{"ssn:536221848", 0, 0},
		{"phone:536221847", 0, 0}, // the SSN's digits as a phone: kinds are apart
		// Not about the SSN: the street number is in the clear.
		{"536", 1, 1},
	} {
		for i, values := range []bool{false, true} {
			want := tc.masked
			if i == 1 {
				want = tc.clear
			}
			if got, err := total(tc.query, values); err != nil || got != want {
				t.Errorf("Search(%q, Values %v) = %d, %v; want %d", tc.query, values, got, err, want)
			}
		}
	}
	// A value field's value must be a value of its kind, whoever asks.
	for _, values := range []bool{false, true} {
		_, err := total("ssn:abc", values)
		var qe *leakscope.QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Msg, "not a value of ssn") {
			t.Errorf("Search(ssn:abc, Values %v) = %v, want a query error", values, err)
		}
	}
}

// TestMaskedTerms: no term of the index holds a part of a value that its
// mask hides, and the tokens are the keyed hashes, which another key does
// not give.
func TestMaskedTerms(t *testing.T) {
	ix := openValueIndex(t, testKeyer{"secret"})
	hidden := []string{"536221847", "22", "4556", "7375", "8689", "4556737586899855", "713", "853", "cobalt", "6425",
		"536449876", "44"}
	var tokens []string
	err := ix.Terms(context.Background(), func(field, term string) error {
		for _, h := range hidden {
			if strings.Contains(term, h) && !strings.HasSuffix(field, "_value") {
				t.Errorf("field %s holds the term %q, part of a masked value (%s)", field, term, h)
			}
		}
		if strings.HasSuffix(field, "_value") {
			tokens = append(tokens, field+":"+term)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	k := testKeyer{"secret"}
	for _, id := range []struct{ field, kind, value string }{
		{fieldBodyValue, leakscope.FlagSSN, "536221847"}, {fieldBodyValue, leakscope.FlagCreditCard, "4556737586899855"},
		{fieldBodyValue, leakscope.FlagPhone, "+17138531234"}, {fieldBodyValue, leakscope.FlagCredential, "Cobalt-6425%"},
		{fieldAttachmentValue, leakscope.FlagSSN, "536449876"},
	} {
		want[id.field+":"+valueToken(k, leakscope.Identifier{Kind: id.kind, Value: id.value})] = true
	}
	for _, tok := range tokens {
		if !want[tok] {
			t.Errorf("unexpected token %s", tok)
		}
		delete(want, tok)
	}
	for tok := range want {
		t.Errorf("missing token %s", tok)
	}

	// Another data directory's key finds nothing here.
	other, err := Open("", Options{Keyer: testKeyer{"other"}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Put(context.Background(), valueDocs(t)); err != nil {
		t.Fatal(err)
	}
	ix.keyer = testKeyer{"other"}
	q, _ := query.Parse("ssn:536221847")
	if res, err := ix.Search(context.Background(), Request{Query: q, Values: true}); err != nil || res.Total != 0 {
		t.Errorf("Search(ssn:536221847) keyed with another secret = %v, %v; want nothing", res, err)
	}
}

// Without a keyer the index holds the masks and no tokens: values cannot be
// looked up.
func TestMaskedWithoutKeyer(t *testing.T) {
	ix := openValueIndex(t, nil)
	for _, q := range []string{"ssn:536221847", `"536-22-1847"`, "id:pii 536*"} {
		parsed, _ := query.Parse(q)
		res, err := ix.Search(context.Background(), Request{Query: parsed, Values: true})
		if err != nil || res.Total != 0 {
			t.Errorf("Search(%q) without a keyer = %v, %v; want nothing", q, res, err)
		}
	}
}

// Facets of a search that looked values up are not given to the same
// query without: the facet cache keys on Values.
func TestMaskedFacetCache(t *testing.T) {
	ix := openValueIndex(t, testKeyer{"secret"})
	q, _ := query.Parse(`"536-22-1847"`)
	count := func(values bool) int {
		res, err := ix.Search(context.Background(), Request{Query: q, Values: values, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range res.Facets {
			if f.Name == FacetFlag {
				for _, v := range f.Values {
					n += v.Count
				}
			}
		}
		return n
	}
	if n := count(true); n == 0 {
		t.Fatalf("flag facet of %s with Values = 0, want the SSN's message", q)
	}
	if n := count(false); n != 0 {
		t.Errorf("flag facet of %s without Values = %d, want 0 (the cached facets of the search with Values)", q, n)
	}
}
