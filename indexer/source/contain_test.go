package source

import (
	"context"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

// TestContainReaderPanic: a panic while one input is read is a "panic"
// failure of that input, naming where it happened and never the panic
// value, and the walk goes on.
func TestContainReaderPanic(t *testing.T) {
	var probs []leakscope.Problem
	s := &walk{Walker: New(Options{}), ctx: context.Background(),
		fn: func(*Message) error { return nil }, problem: func(p leakscope.Problem) { probs = append(probs, p) }}
	it := &item{source: "/leak/odd.zip", comps: []string{"odd.zip"}, name: "odd.zip", direct: true}
	err := s.contain(it, func() error {
		var members map[string]int
		//lint:ignore SA5000 the panic is what the test is about
		members["jane.doe@example.com"]++ // a nil map: a runtime error
		return nil
	})
	if err != nil {
		t.Fatalf("contain = %v, want nil (the walk goes on)", err)
	}
	if len(probs) != 1 {
		t.Fatalf("problems = %+v, want one", probs)
	}
	p := probs[0]
	if p.Severity != leakscope.ProblemFailure || p.Code != "panic" || p.Location != "/leak/odd.zip" {
		t.Errorf("problem = %+v, want a panic failure of /leak/odd.zip", p)
	}
	if !strings.Contains(p.Detail, "TestContainReaderPanic") || !strings.Contains(p.Detail, "assignment to entry in nil map") {
		t.Errorf("Detail = %q, want the panicking function and the runtime error", p.Detail)
	}
	if strings.Contains(p.Detail, "jane") {
		t.Errorf("Detail = %q quotes the input", p.Detail)
	}
}

// TestCallbackPanicNotContained: a panic of Walk's message callback is the
// caller's: it is not turned into a failure of the input.
func TestCallbackPanicNotContained(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.eml", []byte(mail("a1", "x\n")))
	var probs []leakscope.Problem
	defer func() {
		if v := recover(); v != "caller's bug" {
			t.Errorf("recover() = %v, want the callback's panic; problems %+v", v, probs)
		}
	}()
	New(Options{}).Walk(context.Background(), []string{dir}, func(*Message) error {
		panic("caller's bug")
	}, func(p leakscope.Problem) { probs = append(probs, p) })
	t.Errorf("Walk returned after its callback panicked")
}
