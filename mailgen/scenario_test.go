package mailgen

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScenarioIsDeterministic(t *testing.T) {
	a, b := NewScenario(ScenarioOptions{Threads: 30, Seed: 5}), NewScenario(ScenarioOptions{Threads: 30, Seed: 5})
	for i := range 30 {
		if !reflect.DeepEqual(a.Thread(i), b.Thread(i)) {
			t.Fatalf("thread %d differs between two scenarios with the same options", i)
		}
	}
	if reflect.DeepEqual(a.Thread(3), NewScenario(ScenarioOptions{Threads: 30, Seed: 6}).Thread(3)) {
		t.Error("different seeds gave the same thread")
	}
}

func TestScenarioTruth(t *testing.T) {
	s := NewScenario(ScenarioOptions{Threads: 300, Seed: 9})
	kinds := map[string]int{}
	variants := map[string]int{}
	for i := range s.Threads() {
		th := s.Thread(i)
		leaked := map[string]Item{}
		for _, it := range th.Leak {
			leaked[it.Message.ID] = it
			variants[th.Variant[it.Message.ID]]++
			if it.Message.Collection != "leak" {
				t.Errorf("leaked %s in collection %q", it.Message.ID, it.Message.Collection)
			}
		}
		for _, it := range th.Archive {
			tr, ok := th.Truth[it.Message.ID]
			if !ok {
				t.Fatalf("archive message %s has no truth", it.Message.ID)
			}
			kinds[tr.Kind]++
			for _, id := range tr.Leaked {
				l, ok := leaked[id]
				if !ok {
					t.Fatalf("truth of %s names %s, which is not in the leak", it.Message.ID, id)
				}
				switch tr.Kind {
				case "exact":
					sameText := strings.Join(strings.Fields(l.Text.Body), " ") == strings.Join(strings.Fields(it.Text.Body), " ")
					if l.Message.MessageID != it.Message.MessageID && !sameText {
						t.Errorf("exact copy %s of %s keeps neither the Message-ID nor the text", id, it.Message.ID)
					}
				case "reexport":
					if l.Message.MessageID == it.Message.MessageID {
						t.Errorf("re-export %s of %s keeps the Message-ID", id, it.Message.ID)
					}
					if strings.Join(strings.Fields(l.Text.Body), " ") == strings.Join(strings.Fields(it.Text.Body), " ") {
						t.Errorf("re-export %s of %s changed only white space", id, it.Message.ID)
					}
					if d := l.Message.Date.Sub(it.Message.Date); d%(15*time.Minute) != 0 && d.Abs() > time.Minute {
						t.Errorf("re-export %s of %s moved the date by %v", id, it.Message.ID, d)
					}
				}
			}
			if tr.Kind == "quoted" && !slices.Equal(tr.Leaked, tr.Containing) {
				t.Errorf("quoted %s: Leaked %v, Containing %v", it.Message.ID, tr.Leaked, tr.Containing)
			}
		}
		for _, id := range th.NotInArchive {
			if l := leaked[id]; !strings.HasSuffix(l.Message.From.Email, "@"+s.Domain()) {
				t.Errorf("not-in-archive %s has sender %q outside %s", id, l.Message.From.Email, s.Domain())
			}
		}
		if it, ok := s.Lookup(th.Archive[0].Message.ID); !ok || !reflect.DeepEqual(it, th.Archive[0]) {
			t.Errorf("Lookup(%s) does not give the archive message back", th.Archive[0].Message.ID)
		}
	}
	for _, k := range []string{"exact", "reexport", "quoted", "none"} {
		if kinds[k] < 50 {
			t.Errorf("%d archive messages of kind %s in 300 threads, want a realistic mix: %v", kinds[k], k, kinds)
		}
	}
	for _, v := range []string{"exact", "exact-noid", "exact-altered", "reexport", "reexport-altered", "forward",
		"decoy-sibling", "decoy-oneline", "decoy-sentence", "decoy-resend", "decoy-requote", "unrelated"} {
		if variants[v] == 0 {
			t.Errorf("no leaked message of variant %s: %v", v, variants)
		}
	}
	if _, ok := s.Lookup("L99999-1"); ok {
		t.Error("Lookup of a thread beyond the scenario succeeded")
	}
}

func TestHTMLToText(t *testing.T) {
	html := renderHTML([]block{
		{kind: blockPara, lines: []string{"See https://x.example/d now."}},
		{kind: blockList, lines: []string{"one", "two"}},
		{kind: blockQuote, style: quoteAngle, header: []string{"On Mon, A wrote:"}, inner: []block{{kind: blockPara, lines: []string{"Old & tired."}}}},
	})
	tests := []struct {
		st   textStyle
		want string
	}{
		{textStyle{bullet: "* ", quote: "> ", dropHeader: true}, "See https://x.example/d now.\n\n* one\n* two\n\nOn Mon, A wrote:\n\n>\n> Old & tired."},
		{textStyle{link: 1, bullet: "  o ", dropHeader: true}, "See https://x.example/d <https://x.example/d> now.\n\no one\no two\n\nOn Mon, A wrote:\n\nOld & tired."},
	}
	for _, tt := range tests {
		if got := htmlToText(html, tt.st); got != tt.want {
			t.Errorf("htmlToText(%+v) =\n%q\nwant\n%q", tt.st, got, tt.want)
		}
	}
}

func TestDegrade(t *testing.T) {
	in := "Zoë’s “final” cut — €5 for Łukasz"
	if got, want := degrade(in, false), "Zo??s ?final? cut ? ?5 for ?ukasz"; got != want {
		t.Errorf("degrade(%q, ascii) = %q, want %q", in, got, want)
	}
	if got, want := degrade(in, true), "Zoë?s ?final? cut ? ?5 for ?ukasz"; got != want {
		t.Errorf("degrade(%q, latin1) = %q, want %q", in, got, want)
	}
}
