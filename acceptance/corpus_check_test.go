package acceptance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// checkOddities checks header fields of odd messages of the corpus that a
// lenient reader gets (each case names its file and the rule).
func checkOddities(t *testing.T, data string) {
	tests := []struct {
		name, query string
		want        int
		why         string
	}{
		{"obsolete field syntax", `"just to say hello" -from:"john doe"`, 0,
			"mime-oddities/ruby-mail/rfc2822/example13.eml writes `From  : John Doe <jdoe@machine(comment).  example>` " +
				"(RFC 5322 4.5: white space before the colon): its From must be read, not taken for an mbox From_ line"},
		{"comments in an address", "from:pete@silly.test", 1,
			"mime-oddities/ruby-mail/rfc2822/example10.eml: `Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>` " +
				"is pete@silly.test once the comments are removed (RFC 5322 A.5)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := searchTotal(t, data, tt.query); got != tt.want {
				t.Errorf("search %q: total %d, want %d: %s", tt.query, got, tt.want, tt.why)
			}
		})
	}
}

// checkFolder checks one folder's run against what the counting reader
// expects.
func checkFolder(t *testing.T, data string, e *folderExpectation, s *indexSummary, problems []problem, readpst bool) {
	t.Helper()
	c := s.Counts
	if s.Status != "done" {
		t.Errorf("run status = %q, want done", s.Status)
	}
	byLocation := map[string][]problem{}
	failures := 0
	for _, p := range problems {
		byLocation[p.Location] = append(byLocation[p.Location], p)
		if p.Code == "" || p.Detail == "" {
			t.Errorf("problem %+v has no reason (code and detail)", p)
		}
		if p.Severity == "failure" {
			failures++
		}
	}
	// Every file that is not mail is listed as skipped, and no mail file is.
	for _, f := range e.files {
		skipped := hasSeverity(byLocation[f.path], "skipped")
		switch {
		case f.inTmp != "":
			if !hasSeverity(byLocation[f.inTmp], "skipped") {
				t.Errorf("%s is in maildir %s, which is not listed as skipped", f.path, f.inTmp)
			}
		case f.kind == kindEmpty || f.kind == kindNotMail:
			if !skipped {
				t.Errorf("%s (%s) is not listed as skipped", f.path, f.kind)
			}
		case f.kind == kindPST && !readpst:
			if len(byLocation[f.path]) == 0 {
				t.Errorf("%s (PST, no readpst) is not listed in the report", f.path)
			}
		case skipped && len(f.messages) > 0:
			t.Errorf("%s (%s of %d messages) is listed as skipped: %+v", f.path, f.kind, len(f.messages), byLocation[f.path])
		}
	}
	// Every message is counted, and either copied into the store or failed.
	if want := e.top + e.attached; c.Messages != want {
		t.Errorf("run counts %d messages, want %d (%d top-level + %d attached)\n%s",
			c.Messages, want, e.top, e.attached, explainFiles(t, data, s, e))
	}
	if c.New+c.Duplicates+c.Known != c.Copies {
		t.Errorf("new %d + duplicates %d + known %d != copies %d", c.New, c.Duplicates, c.Known, c.Copies)
	}
	if c.Copies+c.Failures != c.Messages {
		t.Errorf("copies %d + failures %d != messages %d: some message is neither indexed nor reported", c.Copies, c.Failures, c.Messages)
	}
	if failures != c.Failures {
		t.Errorf("report lists %d failures, the run counts %d", failures, c.Failures)
	}
}

// explainFiles lists the files whose copies in run s differ from the
// count of their messages (top-level and attached): it reads every message
// of the run's leak with `leakscope show --json` (slow; only on failure).
func explainFiles(t *testing.T, data string, s *indexSummary, e *folderExpectation) string {
	t.Helper()
	ids, err := allHitIDs(t, data, "leak:"+s.Leak)
	if err != nil {
		return fmt.Sprintf("(cannot list the run's messages: %v)", err)
	}
	got := map[string]int{}
	for _, id := range ids {
		r := run(t, "show", "--data", data, "--json", id)
		var out struct {
			Copies []struct {
				Run    uint64 `json:"run"`
				Source string `json:"source"`
			} `json:"copies"`
		}
		if err := json.Unmarshal(r.stdout, &out); err != nil {
			return fmt.Sprintf("(show %s: %v)", id, err)
		}
		for _, c := range out.Copies {
			if c.Run == s.Run {
				got[c.Source]++
			}
		}
	}
	var b strings.Builder
	for _, f := range e.files {
		if want := len(f.messages) + f.attached; f.inTmp == "" && f.kind != kindPST && got[f.path] != want {
			fmt.Fprintf(&b, "  %s (%s): %d copies, counted %d messages (%d attached)\n", f.path, f.kind, got[f.path], want, f.attached)
		}
	}
	return b.String()
}

func hasSeverity(ps []problem, severity string) bool {
	for _, p := range ps {
		if p.Severity == severity {
			return true
		}
	}
	return false
}
