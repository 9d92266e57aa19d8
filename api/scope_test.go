package api

import (
	"testing"

	"github.com/leakscope/leakscope"
)

func TestMentions(t *testing.T) {
	const jane = "jane.doe@example.com"
	tests := []struct {
		name, text string
		want       bool
	}{
		{"alone", "jane.doe@example.com", true},
		{"in a sentence", "write to jane.doe@example.com.", true},
		{"in brackets", "Jane <jane.doe@example.com>", true},
		{"after a dash at the end", "mail jane.doe@example.com- or call", true},
		{"longer local part", "xjane.doe@example.com", false},
		{"dotted local part", "a.jane.doe@example.com", false},
		{"plus local part", "x+jane.doe@example.com", false},
		{"longer domain", "jane.doe@example.com.au", false},
		{"glued word", "jane.doe@example.comfoo", false},
		{"later occurrence counts", "xjane.doe@example.com and jane.doe@example.com", true},
		{"absent", "nothing here", false},
		{"non-ascii before", "éjane.doe@example.com", false},
	}
	for _, tc := range tests {
		if got := mentions(tc.text, jane); got != tc.want {
			t.Errorf("%s: mentions(%q, %q) = %v, want %v", tc.name, tc.text, jane, got, tc.want)
		}
	}
}

func TestInScope(t *testing.T) {
	emails := []string{"jane@example.com"}
	addr := func(e string) leakscope.Address { return leakscope.Address{Email: e} }
	tests := []struct {
		name string
		m    leakscope.Message
		t    *leakscope.Text
		want bool
	}{
		{"sender", leakscope.Message{From: addr("jane@example.com")}, nil, true},
		{"sender upper case", leakscope.Message{From: addr("Jane@Example.com")}, nil, true},
		{"to", leakscope.Message{From: addr("bob@example.com"), To: []leakscope.Address{addr("jane@example.com")}}, nil, true},
		{"cc", leakscope.Message{Cc: []leakscope.Address{addr("jane@example.com")}}, nil, true},
		{"bcc", leakscope.Message{Bcc: []leakscope.Address{addr("jane@example.com")}}, nil, true},
		{"mentioned in the body", leakscope.Message{}, &leakscope.Text{Body: "ask Jane@example.com"}, true},
		{"mentioned in the subject", leakscope.Message{Subject: "for jane@example.com"}, nil, true},
		{"mentioned in an attachment", leakscope.Message{}, &leakscope.Text{Attachments: []leakscope.AttachmentText{{Name: "a.csv", Text: "id,jane@example.com"}}}, true},
		{"attachment name", leakscope.Message{Attachments: []leakscope.Attachment{{Name: "jane@example.com.vcf"}}}, nil, false},
		{"someone else", leakscope.Message{From: addr("bob@example.com"), To: []leakscope.Address{addr("eve@example.com")}}, &leakscope.Text{Body: "hi xjane@example.com"}, false},
	}
	for _, tc := range tests {
		if got := inScope(emails, &tc.m, tc.t); got != tc.want {
			t.Errorf("%s: inScope = %v, want %v", tc.name, got, tc.want)
		}
	}
	if inScope(nil, &leakscope.Message{From: addr("")}, &leakscope.Text{}) {
		t.Error("inScope with no addresses = true, want false")
	}
}

func TestScoped(t *testing.T) {
	q := leakscope.Term{Value: "budget"}
	emp := &leakscope.User{Role: leakscope.RoleEmployee, Emails: []string{"jane@example.com"}}
	got := scoped(emp, q)
	want := `budget AND (from:jane@example.com OR to:jane@example.com OR cc:jane@example.com OR bcc:jane@example.com OR ` +
		`subject:jane@example.com OR body:jane@example.com OR attachment:jane@example.com)`
	if got == nil || got.String() != want {
		t.Errorf("scoped(employee, budget) = %v, want %s", got, want)
	}
	if got := scoped(emp, leakscope.MatchAll{}); got == nil || got.String() != want[len("budget AND ("):len(want)-1] {
		t.Errorf("scoped(employee, *) = %v, want the scope alone", got)
	}
	if got := scoped(&leakscope.User{Role: leakscope.RoleEmployee}, q); got != nil {
		t.Errorf("scoped(employee without addresses) = %v, want nil (nothing)", got)
	}
	for _, r := range []leakscope.Role{leakscope.RoleAdmin, leakscope.RoleAnalyst, leakscope.RoleCounsel} {
		if got := scoped(&leakscope.User{Role: r}, q); got != q {
			t.Errorf("scoped(%s, budget) = %v, want the query unchanged", r, got)
		}
	}
}

func TestUsesField(t *testing.T) {
	tag := leakscope.Term{Field: leakscope.FieldTag, Value: "privileged"}
	word := leakscope.Term{Field: leakscope.FieldText, Value: "budget"}
	tests := []struct {
		name string
		q    leakscope.Query
		want bool
	}{
		{"term", tag, true},
		{"other field", word, false},
		{"all", leakscope.MatchAll{}, false},
		{"negated", leakscope.Not{Clause: tag}, true},
		{"in and", leakscope.And{Clauses: []leakscope.Query{word, tag}}, true},
		{"deep in or", leakscope.Or{Clauses: []leakscope.Query{word, leakscope.And{Clauses: []leakscope.Query{word, leakscope.Not{Clause: tag}}}}}, true},
		{"none in or", leakscope.Or{Clauses: []leakscope.Query{word, word}}, false},
	}
	for _, tc := range tests {
		if got := usesField(tc.q, leakscope.FieldTag); got != tc.want {
			t.Errorf("%s: usesField(%v, tag) = %v, want %v", tc.name, tc.q, got, tc.want)
		}
	}
}
