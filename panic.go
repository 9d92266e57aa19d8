package leakscope

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// PanicError is a panic recovered at the boundary of one item of untrusted
// input (a message, an input file, a blob being compressed): that item
// fails, is listed with this error, and the run goes on. Its text names
// where the panic happened and, for a runtime error (index out of range,
// nil dereference...), what it was; it never holds the panic value of
// another kind, which may quote the input (personal data).
type PanicError struct {
	// What is the step that was protected: "parse message", "read input"...
	What string
	// Func is the function the panic happened in (the innermost frame
	// outside the Go runtime), "" when unknown.
	Func string
	// Value is what was passed to panic. It may hold input bytes: it is
	// not part of Error's text.
	Value any
	// Stack is the panicking goroutine's stack (functions and hex argument
	// words, no input bytes), for logs at debug level and crash reports.
	Stack []byte
}

// Recovered returns the PanicError of a panic of value v. It must be
// called by the deferred function that called recover, which is when the
// panicking frames are still on the stack:
//
//	defer func() {
//		if v := recover(); v != nil {
//			err = leakscope.Recovered("parse message", v)
//		}
//	}()
func Recovered(what string, v any) *PanicError {
	return &PanicError{What: what, Func: panicSite(), Value: v, Stack: debug.Stack()}
}

func (e *PanicError) Error() string {
	var b strings.Builder
	b.WriteString("panic")
	if e.What != "" {
		b.WriteString(" in " + e.What)
	}
	if e.Func != "" {
		b.WriteString(" (" + e.Func + ")")
	}
	if re, ok := e.Value.(runtime.Error); ok {
		b.WriteString(": " + re.Error())
	} else {
		fmt.Fprintf(&b, ": panic value of type %T", e.Value)
	}
	return b.String()
}

// panicSite returns the function that panicked: below Recovered, the
// deferred function and the runtime's panic frames (gopanic, sigpanic,
// goPanicIndex...), the first frame outside package runtime.
func panicSite() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs) // skip Callers, panicSite, Recovered
	frames := runtime.CallersFrames(pcs[:n])
	inRuntime := false
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "runtime.") {
			inRuntime = true
		} else if inRuntime {
			return f.Function
		}
		if !more {
			return ""
		}
	}
}
