package leakscope_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

//go:noinline
func indexPast(b []byte, i int) byte { return b[i] }

//go:noinline
func panicWith(v any) { panic(v) }

// protect runs fn the way the ingest protects one item.
func protect(fn func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = leakscope.Recovered("parse message", v)
		}
	}()
	fn()
	return nil
}

func TestRecovered(t *testing.T) {
	secret := "SSN 078-05-1120 of jane@example.com"
	cases := []struct {
		name string
		fn   func()
		want string // the whole Error text
	}{
		{"runtime error", func() { indexPast([]byte(secret), 99) },
			"panic in parse message (github.com/leakscope/leakscope_test.indexPast): runtime error: index out of range [99] with length 35"},
		{"string value", func() { panicWith(secret) },
			"panic in parse message (github.com/leakscope/leakscope_test.panicWith): panic value of type string"},
		{"error value", func() { panicWith(errors.New(secret)) },
			"panic in parse message (github.com/leakscope/leakscope_test.panicWith): panic value of type *errors.errorString"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := protect(tc.fn)
			var pe *leakscope.PanicError
			if !errors.As(err, &pe) {
				t.Fatalf("protect = %v, want a *PanicError", err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if strings.Contains(err.Error(), "078-05") || strings.Contains(err.Error(), "jane") {
				t.Errorf("Error() = %q quotes the panic value", err.Error())
			}
			if !strings.Contains(string(pe.Stack), "leakscope_test.") {
				t.Errorf("Stack does not show the panicking frames:\n%s", pe.Stack)
			}
		})
	}
}
