package leakscope

import (
	"errors"
	"fmt"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrNotFound means the message, copy, run or original asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidQuery means a query could not be parsed or translated.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrForbidden means the caller may not see or do what it asked.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalidInput means an argument or option is malformed.
	ErrInvalidInput = errors.New("invalid input")
	// ErrDamaged means part of the data directory (store, packs, index) is
	// damaged: the error names the part, and `leakscope verify` and
	// `leakscope repair` find and mend it.
	ErrDamaged = errors.New("data directory damaged")
)

// QueryError reports a syntax error in a query with the byte offset it
// was found at (0-based) so that a user can see where the query went wrong.
type QueryError struct {
	Query string // the query as given
	Pos   int    // byte offset of the problem in Query
	Msg   string // what is wrong, lowercase, no trailing period
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("invalid query at position %d: %s", e.Pos+1, e.Msg)
}

// Unwrap lets errors.Is(err, ErrInvalidQuery) hold for every QueryError.
func (e *QueryError) Unwrap() error { return ErrInvalidQuery }
