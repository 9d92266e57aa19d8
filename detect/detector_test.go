package detect

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestScanParts(t *testing.T) {
	d := newTestDetector(t, Options{})
	m := &leakscope.Message{
		Subject:     "CONFIDENTIAL: Q3 plan",
		Attachments: []leakscope.Attachment{{Name: "scan of passport.pdf"}, {Name: "Privileged & Confidential memo.pdf"}},
	}
	text := &leakscope.Text{
		Body: "Call me at (713) 853-1234.",
		Attachments: []leakscope.AttachmentText{
			{Name: "salaries.csv", Text: "name,base salary\nDana,\"$120,000\"\nSam,\"$95,000\"\n"},
			{Name: "w2 for SSN 123-45-6780.pdf", Text: ""},
		},
	}
	type got struct{ where, attachment, category, value string }
	var flags []got
	for _, f := range d.Scan(m, text) {
		var part string
		switch f.Where {
		case WhereSubject:
			part = m.Subject
		case WhereBody:
			part = text.Body
		case WhereAttachmentName:
			part = f.Attachment
		case WhereAttachment:
			part = text.Attachments[0].Text
		}
		if f.Start < 0 || f.End > len(part) || f.Start >= f.End {
			t.Fatalf("flag %+v has offsets outside its part %q", f, part)
		}
		flags = append(flags, got{f.Where, f.Attachment, f.Category, part[f.Start:f.End]})
	}
	want := []got{
		{WhereSubject, "", leakscope.FlagConfidential, "CONFIDENTIAL"},
		{WhereBody, "", leakscope.FlagPhone, "(713) 853-1234"},
		{WhereAttachment, "salaries.csv", leakscope.FlagCompensation, "$120,000"},
		{WhereAttachment, "salaries.csv", leakscope.FlagCompensation, "$95,000"},
		{WhereAttachmentName, "w2 for SSN 123-45-6780.pdf", leakscope.FlagSSN, "123-45-6780"},
		{WhereAttachmentName, "Privileged & Confidential memo.pdf", leakscope.FlagLegalPrivilege, "Privileged & Confidential"},
	}
	if !reflect.DeepEqual(flags, want) {
		t.Errorf("Scan() =\n%v\nwant\n%v", flags, want)
	}
}

func TestScanNil(t *testing.T) {
	d := newTestDetector(t, Options{})
	if got := d.Scan(nil, nil); len(got) != 0 {
		t.Errorf("Scan(nil, nil) = %v, want none", got)
	}
	if got := d.Scan(&leakscope.Message{}, &leakscope.Text{}); len(got) != 0 {
		t.Errorf("Scan(empty) = %v, want none", got)
	}
}

func TestCounsel(t *testing.T) {
	d := newTestDetector(t, Options{CounselDomains: []string{"SmithLaw.example"}, CounselAddresses: []string{"gc@acme.example"}})
	tests := []struct {
		name string
		msg  leakscope.Message
		want []string
	}{
		{"from a counsel domain", leakscope.Message{From: leakscope.Address{Email: "jdoe@smithlaw.example"}}, []string{"from counsel at smithlaw.example"}},
		{"subdomain", leakscope.Message{To: []leakscope.Address{{Email: "x@ny.smithlaw.example"}}}, []string{"to counsel at ny.smithlaw.example"}},
		{"counsel address", leakscope.Message{Cc: []leakscope.Address{{Email: "GC@acme.example"}}}, []string{"cc counsel at acme.example"}},
		{"look-alike domain", leakscope.Message{From: leakscope.Address{Email: "a@smithlaw-events.example"}}, nil},
		{"other address at the company", leakscope.Message{From: leakscope.Address{Email: "ceo@acme.example"}}, nil},
		{"once per address", leakscope.Message{From: leakscope.Address{Email: "gc@acme.example"}, To: []leakscope.Address{{Email: "gc@acme.example"}}}, []string{"from counsel at acme.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range d.Scan(&tt.msg, nil) {
				if f.Where != WhereHeader || f.Category != leakscope.FlagLegalPrivilege || f.Rule != CounselRule {
					t.Errorf("flag %+v, want a legal_privilege header flag", f)
				}
				got = append(got, f.Snippet)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Scan() snippets = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUserRules(t *testing.T) {
	rules := []Rule{
		{ID: "acme.project", Category: leakscope.FlagConfidential, Severity: "high", Words: []string{"project raptor"}},
		{ID: "phone.local", Disabled: true},
		{ID: "offensive.insult", Category: leakscope.FlagOffensive, Severity: "low", Words: []string{"nincompoop"}},
	}
	d := newTestDetector(t, Options{Rules: rules})
	body := "Project Raptor is on. Call 853-1234 (phone). You idiot, you nincompoop."
	got := values(d, "", body)
	want := []string{"Project Raptor", "nincompoop"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values = %q, want %q (user rule added, built-in phone.local disabled, offensive.insult replaced)", got, want)
	}
	active := d.Rules()
	for _, r := range active {
		if r.ID == "phone.local" {
			t.Errorf("disabled rule phone.local is active")
		}
	}
	// One rule added, one turned off, one replaced.
	if n, want := len(active), len(BuiltinRules()); n != want {
		t.Errorf("%d active rules, want %d", n, want)
	}
	if last := active[len(active)-1]; last.ID != "acme.project" {
		t.Errorf("last active rule = %q, want the added acme.project", last.ID)
	}
}

func TestUserRulesOnly(t *testing.T) {
	rules := []Rule{
		{ID: "acme.x", Category: leakscope.FlagConfidential, Severity: "low", Words: []string{"red sky"}},
		// A later rule with the same id replaces the earlier one.
		{ID: "acme.x", Category: leakscope.FlagConfidential, Severity: "low", Words: []string{"blue sky"}},
	}
	d := newTestDetector(t, Options{Rules: rules, NoBuiltin: true})
	if got := values(d, "", "a blue  sky plan, a red sky, (713) 853-1234"); !reflect.DeepEqual(got, []string{"blue  sky"}) {
		t.Errorf("values = %q, want only the last user rule's finding", got)
	}
	if n := len(d.Rules()); n != 1 {
		t.Errorf("%d active rules, want 1", n)
	}
}

func TestUserRuleErrors(t *testing.T) {
	tests := []struct {
		name     string
		rule     Rule
		file     string
		line     int
		contains string
	}{
		{"from a file", Rule{ID: "x", Category: "nope", Source: "mine.toml:12"}, "mine.toml", 12, `mine.toml:12: rule "x": unknown category "nope"`},
		{"built in", Rule{ID: "ssn.dashed", Category: "ssn", Severity: "high", Pattern: "(", Source: "builtin:ssn.dashed"}, "builtin:ssn.dashed", 0, `builtin:ssn.dashed: rule "ssn.dashed": bad pattern`},
		{"no source", Rule{ID: "x", Category: "ssn", Severity: "severe", Words: []string{"a"}}, "rule x", 0, `rule x: rule "x": unknown severity "severe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Options{Rules: []Rule{tt.rule}})
			var re *RuleError
			if !errors.As(err, &re) || re.File != tt.file || re.Line != tt.line || !errors.Is(err, leakscope.ErrInvalidInput) {
				t.Fatalf("New(%+v) = %v, want a RuleError at %s:%d wrapping ErrInvalidInput", tt.rule, err, tt.file, tt.line)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("New(%+v) = %q, want it to contain %q", tt.rule, err, tt.contains)
			}
			if cerr := CheckRule(tt.rule); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("CheckRule(%+v) = %v, want %v", tt.rule, cerr, err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	d := newTestDetector(t, Options{MaxScanBytes: 40, MaxMatchesPerRule: 3})
	body := "SSN 123-45-6780 and SSN 234-56-7890 then far away SSN 345-67-8901"
	if got := values(d, leakscope.FlagSSN, body); !reflect.DeepEqual(got, []string{"123-45-6780", "234-56-7890"}) {
		t.Errorf("with MaxScanBytes 40: %q, want the first two SSNs only", got)
	}
	d = newTestDetector(t, Options{MaxMatchesPerRule: 3})
	many := strings.Repeat("SSN 123-45-6780, ", 20)
	if got := values(d, leakscope.FlagSSN, many); len(got) != 3 {
		t.Errorf("with MaxMatchesPerRule 3: %d SSN findings, want 3", len(got))
	}
}

// TestScanConcurrent scans from many goroutines at once (run with -race)
// and checks that results do not depend on what else is being scanned.
func TestScanConcurrent(t *testing.T) {
	d := newTestDetector(t, syntheticOptions)
	cases := syntheticCases()
	want := make([][]leakscope.Flag, len(cases))
	for i, c := range cases {
		want[i] = d.Scan(c.msg, c.text)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(cases); i += 2 {
				if got := d.Scan(cases[i].msg, cases[i].text); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("concurrent Scan(%s) = %v, want %v", cases[i].name, got, want[i])
					return
				}
			}
		}(w)
	}
	wg.Wait()
}

func TestSnippets(t *testing.T) {
	d := newTestDetector(t, Options{})
	body := "Dear HR, my SSN is 123-45-6780 and my cell is 713-853-1234; the password is sunflower77."
	flags := d.Scan(nil, &leakscope.Text{Body: body})
	if len(flags) != 3 {
		t.Fatalf("Scan = %v, want 3 flags", flags)
	}
	for _, f := range flags {
		if strings.Contains(f.Snippet, body[f.Start:f.End]) {
			t.Errorf("snippet %q shows the value %q", f.Snippet, body[f.Start:f.End])
		}
		for _, secret := range []string{"123-45-6780", "853-1234", "sunflower77"} {
			if strings.Contains(f.Snippet, secret) {
				t.Errorf("snippet %q shows %q", f.Snippet, secret)
			}
		}
	}
	if want := "Dear HR, my SSN is ***-**-6780 and my cell is ***-***-1234; the passwo…"; flags[0].Snippet != want {
		t.Errorf("SSN snippet = %q, want %q", flags[0].Snippet, want)
	}
}

// TestSnippetCopyAcrossLines: a copy of a value written across a line
// break is masked too; the snippet collapses white space, which would
// otherwise show it as the value (a fuzz input found this with phones).
func TestSnippetCopyAcrossLines(t *testing.T) {
	d := newTestDetector(t, Options{})
	body := "call (713) 853\n1234 or (713) 853 1234 today"
	for _, f := range d.Scan(nil, &leakscope.Text{Body: body}) {
		if f.Category == leakscope.FlagPhone && strings.Contains(f.Snippet, "853 1234") {
			t.Errorf("snippet %q of %q shows the number", f.Snippet, body[f.Start:f.End])
		}
	}
}
