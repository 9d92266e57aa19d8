package search

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestTerms(t *testing.T) {
	ix := openMem(t, []leakscope.Document{{
		Message: &leakscope.Message{ID: "m1", Subject: "Quarterly budget"},
		Text:    &leakscope.Text{Body: "Budgets and reports"},
	}})
	var subject, body []string
	err := ix.Terms(context.Background(), func(field, term string) error {
		switch field {
		case fieldSubject:
			subject = append(subject, term)
		case fieldBody:
			body = append(body, term)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"budget", "quarter"}; !slices.Equal(subject, want) {
		t.Errorf("Terms of subject = %q, want %q", subject, want)
	}
	if want := []string{"and", "budget", "report"}; !slices.Equal(body, want) {
		t.Errorf("Terms of body = %q, want %q", body, want)
	}
	stop := errors.New("stop")
	if err := ix.Terms(context.Background(), func(string, string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Terms with fn failing = %v, want its error", err)
	}
}
