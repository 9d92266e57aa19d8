package exposure

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/mailgen"
)

// fixture builds the messages of the matcher tests: one thread with the
// same subject and people throughout.
type fixture struct{}

func (f fixture) msg(id, messageID string, from leakscope.Address, at time.Time) *leakscope.Message {
	return &leakscope.Message{ID: id, MessageID: messageID, Subject: "RE: Falcon budget", From: from,
		Date: at.UTC(), DateRaw: at.Format(time.RFC1123Z)}
}

var (
	alice = leakscope.Address{Name: "Alice Abbott", Email: "alice@acme.example"}
	bob   = leakscope.Address{Name: "Bob Brandt", Email: "bob@acme.example"}
	pst   = time.FixedZone("PST", -8*3600)
)

const (
	refBody = "Bob,\n\nWe are $1.2m over budget on Falcon because of the night shoots in Lisbon.\n" +
		"Legal wants the completion bond reviewed by Dana before it goes to Northgate Bank.\n\nThanks,\nAlice\n"
	siblingBody = "Bob,\n\nThe Falcon premiere needs four more security staff and a second screen in Prague.\n" +
		"Please keep the Falcon numbers inside the group until the board meeting on March 3.\n\nThanks,\nAlice\n"
)

func TestMatchKinds(t *testing.T) {
	ctx := context.Background()
	f := fixture{}
	sent := time.Date(2013, 1, 7, 10, 11, 16, 0, pst)
	ref := f.msg("ref", "<1.JavaMail@acme.example>", alice, sent)
	ref.To = []leakscope.Address{bob}
	refText := &leakscope.Text{Body: refBody}
	merged := f.msg("l", "<5@acme.example>", alice, sent)
	merged.To = []leakscope.Address{{Name: "Carol Costa", Email: "carol@acme.example"}}
	mergedBody := strings.Replace(strings.Replace(refBody, "Bob,", "Carol,", 1), "reviewed by Dana before it goes to Northgate Bank",
		"signed by you before Friday; your code is 7731-XQ", 1)

	html := "We are $1.2m over budget on Falcon because of the night shoots in Lisbon. Legal wants the completion bond " +
		"reviewed by Dana before it goes to Northgate Bank.\n\nThanks,\nAlice"
	quote := "Bob here, agreed on all points.\n\n-----Original Message-----\nFrom: Alice Abbott\nSent: Monday\n" +
		"To: Bob\nSubject: RE: Falcon budget\n\n" + refBody
	oneLine := "> Legal wants the completion bond reviewed by Dana before it goes to Northgate Bank.\n\nShe has it."
	tests := []struct {
		name   string
		leaked *leakscope.Message
		text   string
		kind   Kind
	}{
		{"same Message-ID, other date, a sentence less", f.msg("l", "1.JavaMail@acme.example", alice, sent.Add(time.Hour)),
			"We are $1.2m over budget on Falcon because of the night shoots in Lisbon.", KindExact},
		{"same text, Message-ID dropped", f.msg("l", "", alice, sent.In(time.UTC)), refBody, KindExact},
		{"re-export: HTML text, zone rewritten, Exchange sender",
			f.msg("l", "<x@exchange>", leakscope.Address{Raw: "/O=ACME/CN=AABBOTT", Name: "Abbott, Alice"},
				time.Date(2013, 1, 7, 10, 11, 16, 0, time.UTC)), html, KindReexport},
		{"quoted in a reply", f.msg("l", "<2@acme.example>", bob, sent.Add(3*time.Hour)), quote, KindQuoted},
		{"one line quoted", f.msg("l", "<3@acme.example>", bob, sent.Add(3*time.Hour)), oneLine, KindNone},
		{"same thread, subject and people, different body", f.msg("l", "<4@acme.example>", alice, sent.Add(20*time.Minute)), siblingBody, KindNone},
		{"same text an hour later: a resend, no copy, but the text is out", f.msg("l", "", alice, sent.Add(time.Hour)), refBody, KindQuoted},
		{"mail merge: same second and subject, other recipient, personal line", merged, mergedBody, KindNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMatcher(Options{})
			if err := m.AddLeaked(tt.leaked, &leakscope.Text{Body: tt.text}); err != nil {
				t.Fatal(err)
			}
			got, err := m.Match(ctx, ref, refText)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tt.kind {
				t.Fatalf("Match = %+v, want kind %s", got, tt.kind)
			}
			if tt.kind != KindNone && (!slices.Equal(got.IDs(), []string{"l"}) || got.Score <= 0 || got.Score > 1) {
				t.Errorf("Match = %+v, want leaked id l with a score in (0, 1]", got)
			}
		})
	}
}

func TestMatchAltered(t *testing.T) {
	sent := time.Date(2013, 1, 7, 10, 11, 16, 0, pst)
	f := fixture{}
	m := NewMatcher(Options{})
	doctored := strings.Replace(refBody, "$1.2m", "$4.8m", 1)
	if err := m.AddLeaked(f.msg("l", "<1.JavaMail@acme.example>", alice, sent), &leakscope.Text{Body: doctored}); err != nil {
		t.Fatal(err)
	}
	got, err := m.Match(context.Background(), f.msg("ref", "<1.JavaMail@acme.example>", alice, sent), &leakscope.Text{Body: refBody})
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != KindExact || !got.Altered || !got.Leaked[0].Altered {
		t.Fatalf("Match = %+v, want an altered exact match", got)
	}
	want := "-We are $1.2m over budget on Falcon because of the night shoots in Lisbon.\n" +
		"+We are $4.8m over budget on Falcon because of the night shoots in Lisbon.\n"
	if !strings.Contains(got.Diff, want) || !strings.HasPrefix(got.Diff, "--- reference\n+++ leaked\n") {
		t.Errorf("Diff =\n%s\nwant it to hold\n%s", got.Diff, want)
	}
}

func TestNotInArchive(t *testing.T) {
	ctx := context.Background()
	sent := time.Date(2013, 1, 7, 10, 11, 16, 0, pst)
	f := fixture{}
	m := NewMatcher(Options{})
	add := func(msg *leakscope.Message, body string) {
		t.Helper()
		if err := m.AddLeaked(msg, &leakscope.Text{Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	add(f.msg("copy", "", alice, sent), refBody)                                                                        // a copy: matched
	add(f.msg("forged", "", alice, sent.Add(time.Hour)), siblingBody)                                                   // company sender, no copy
	add(f.msg("sub", "", leakscope.Address{Email: "x@mail.acme.example"}, sent), "Lunch on Friday at the usual place?") // subdomain
	add(f.msg("outside", "", leakscope.Address{Email: "press@news.example"}, sent), siblingBody)                        // not company
	if _, err := m.Match(ctx, f.msg("ref", "", alice, sent), &leakscope.Text{Body: refBody}); err != nil {
		t.Fatal(err)
	}
	got := m.NotInArchive([]string{"ACME.example."})
	if want := []string{"forged", "sub"}; !slices.Equal(got, want) {
		t.Errorf("NotInArchive = %q, want %q", got, want)
	}
	if err := m.AddLeaked(f.msg("late", "", alice, sent), &leakscope.Text{Body: refBody}); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("AddLeaked after Match: %v, want ErrInvalidInput", err)
	}
	if err := m.AddLeaked(nil, nil); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("AddLeaked(nil): %v, want ErrInvalidInput", err)
	}
	if _, err := m.Match(ctx, nil, nil); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("Match(nil): %v, want ErrInvalidInput", err)
	}
}

// mapTexts is a TextSource over a map; missing IDs are not found, and
// "broken" fails.
type mapTexts struct {
	mu    sync.Mutex
	texts map[string]string
	calls int
}

func (s *mapTexts) Text(_ context.Context, id string) (*leakscope.Text, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if id == "broken" {
		return nil, errors.New("disk on fire")
	}
	body, ok := s.texts[id]
	if !ok {
		return nil, fmt.Errorf("text %s: %w", id, leakscope.ErrNotFound)
	}
	return &leakscope.Text{Body: body}, nil
}

func TestTextSource(t *testing.T) {
	ctx := context.Background()
	sent := time.Date(2013, 1, 7, 10, 11, 16, 0, pst)
	f := fixture{}
	// Not the same text to the byte, so that the copies must be verified.
	reexported := strings.Replace(refBody, "Thanks,", "Thanks!", 1)
	src := &mapTexts{texts: map[string]string{"copy": reexported}}
	m := NewMatcher(Options{Texts: src})
	for _, id := range []string{"copy", "gone"} {
		if err := m.AddLeaked(f.msg(id, "", alice, sent), &leakscope.Text{Body: reexported}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := m.Match(ctx, f.msg("ref", "", alice, sent), &leakscope.Text{Body: refBody})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.IDs(), []string{"copy"}) || src.calls != 2 {
		t.Errorf("Match = %+v after %d fetches; want the copy, the missing text skipped", got, src.calls)
	}

	m = NewMatcher(Options{Texts: src})
	if err := m.AddLeaked(f.msg("broken", "", alice, sent), &leakscope.Text{Body: reexported}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Match(ctx, f.msg("ref", "", alice, sent), &leakscope.Text{Body: refBody}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Match with a failing TextSource: %v, want its error", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Match(cancelled, f.msg("ref", "", alice, sent), &leakscope.Text{Body: refBody}); !errors.Is(err, context.Canceled) {
		t.Errorf("Match with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestConcurrent adds and matches from several goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	m, threads, _ := scenarioMatcherConcurrent(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(threads); i += 4 {
				for _, it := range threads[i].Archive {
					if _, err := m.Match(context.Background(), it.Message, it.Text); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// scenarioMatcherConcurrent loads a small scenario's leak from four
// goroutines.
func scenarioMatcherConcurrent(t *testing.T) (*Matcher, []*mailgen.ScenarioThread, *mailgen.Scenario) {
	t.Helper()
	s := mailgen.NewScenario(mailgen.ScenarioOptions{Threads: 40, Seed: 3})
	var threads []*mailgen.ScenarioThread
	for i := range s.Threads() {
		threads = append(threads, s.Thread(i))
	}
	m := NewMatcher(Options{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(threads); i += 4 {
				for _, it := range threads[i].Leak {
					if err := m.AddLeaked(it.Message, it.Text); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	return m, threads, s
}
