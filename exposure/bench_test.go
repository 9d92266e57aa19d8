package exposure

import (
	"context"
	"testing"

	"github.com/leakscope/leakscope/mailgen"
)

// benchItems returns the archive and leak of a generated scenario.
func benchItems(b *testing.B, threads int) (archive, leak []mailgen.Item) {
	b.Helper()
	s := mailgen.NewScenario(mailgen.ScenarioOptions{Threads: threads, Unrelated: threads * 38 / 10, Seed: 11})
	for i := range s.Threads() {
		th := s.Thread(i)
		archive = append(archive, th.Archive...)
		leak = append(leak, th.Leak...)
	}
	return archive, leak
}

// BenchmarkAddLeaked indexes one leaked message per iteration (the
// scenario's messages in turn, into a fresh Matcher each 8,000).
func BenchmarkAddLeaked(b *testing.B) {
	_, leak := benchItems(b, 1000)
	m := NewMatcher(Options{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(leak) {
			b.StopTimer()
			m, i = NewMatcher(Options{}), 0
			b.StartTimer()
		}
		if err := m.AddLeaked(leak[i].Message, leak[i].Text); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkMatch matches one archive message per iteration against a
// leak of about 8,000 messages held in memory.
func BenchmarkMatch(b *testing.B) {
	archive, leak := benchItems(b, 1000)
	m := NewMatcher(Options{})
	for _, it := range leak {
		if err := m.AddLeaked(it.Message, it.Text); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		it := archive[i%len(archive)]
		if _, err := m.Match(ctx, it.Message, it.Text); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSegmentBody splits one scenario body per iteration.
func BenchmarkSegmentBody(b *testing.B) {
	_, leak := benchItems(b, 200)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		segmentBody(leak[i%len(leak)].Text.Body)
		i++
	}
}
