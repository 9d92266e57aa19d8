package api

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// An employee sees a message when one of their verified addresses is its
// sender or a recipient (To, Cc, Bcc), or is mentioned in its subject,
// body, or an attachment's name or text. Search enforces this by adding
// scopeQuery to the query, so that totals and facets count only those
// messages; a message asked for by id is checked with inScope, which
// follows how the index reads addresses in text (see search/tokenizer.go),
// never more loosely.

// scopeFields are the fields scopeQuery looks for an address in.
var scopeFields = []string{leakscope.FieldFrom, leakscope.FieldTo, leakscope.FieldCc, leakscope.FieldBcc,
	leakscope.FieldSubject, leakscope.FieldBody, leakscope.FieldAttachment}

// scopeQuery matches the messages the addresses may see. It is nil when
// there are no addresses: nothing may be seen.
func scopeQuery(emails []string) leakscope.Query {
	var or []leakscope.Query
	for _, e := range emails {
		for _, f := range scopeFields {
			or = append(or, leakscope.Term{Field: f, Value: e})
		}
	}
	if len(or) == 0 {
		return nil
	}
	return leakscope.Or{Clauses: or}
}

// scoped restricts q to what u may see: q itself for every role but
// employee. It returns nil when u may see nothing.
func scoped(u *leakscope.User, q leakscope.Query) leakscope.Query {
	if u.Role != leakscope.RoleEmployee {
		return q
	}
	scope := scopeQuery(u.Emails)
	if scope == nil {
		return nil
	}
	if _, all := q.(leakscope.MatchAll); all {
		return scope
	}
	return leakscope.And{Clauses: []leakscope.Query{q, scope}}
}

// errTagsForbidden refuses a tag: query to roles that may not see review
// tags: searching tag:privileged would show which messages counsel marked.
var errTagsForbidden = &Error{Status: 403, Code: "forbidden", Message: "review tags (tag:) are for counsel and admins"}

// parseQuery parses a query u typed (to search, or to watch), refusing the
// fields u's role may not use: tag: for roles that never see review tags.
func parseQuery(u *leakscope.User, text string) (leakscope.Query, error) {
	q, err := query.Parse(text)
	if err != nil {
		return nil, err
	}
	if !mayUseTags(u) && usesField(q, leakscope.FieldTag) {
		return nil, errTagsForbidden
	}
	return q, nil
}

// mayUseTags reports whether u's role sees review tags.
func mayUseTags(u *leakscope.User) bool { return u.Role.Unredacted() }

// usesField reports whether q has a term on field f.
func usesField(q leakscope.Query, f string) bool {
	switch q := q.(type) {
	case leakscope.Term:
		return q.Field == f
	case leakscope.Not:
		return usesField(q.Clause, f)
	case leakscope.And:
		return slices.ContainsFunc(q.Clauses, func(c leakscope.Query) bool { return usesField(c, f) })
	case leakscope.Or:
		return slices.ContainsFunc(q.Clauses, func(c leakscope.Query) bool { return usesField(c, f) })
	}
	return false
}

// mayRead reports whether u may see message m with text t.
func mayRead(u *leakscope.User, m *leakscope.Message, t *leakscope.Text) bool {
	return u.Role != leakscope.RoleEmployee || inScope(u.Emails, m, t)
}

// inScope reports whether one of emails (lower-cased) sent or received m,
// or is mentioned in it.
func inScope(emails []string, m *leakscope.Message, t *leakscope.Text) bool {
	if len(emails) == 0 {
		return false
	}
	addrs := append([]leakscope.Address{m.From}, m.Recipients()...)
	for _, a := range addrs {
		if a.Email != "" && slices.Contains(emails, strings.ToLower(a.Email)) {
			return true
		}
	}
	texts := []string{m.Subject}
	for _, a := range m.Attachments {
		texts = append(texts, a.Name)
	}
	if t != nil {
		texts = append(texts, t.Body)
		for _, a := range t.Attachments {
			texts = append(texts, a.Name, a.Text)
		}
	}
	for _, text := range texts {
		if !strings.Contains(text, "@") {
			continue
		}
		lower := strings.ToLower(text)
		for _, e := range emails {
			if mentions(lower, e) {
				return true
			}
		}
	}
	return false
}

// mentions reports whether text holds email as a whole address: not
// preceded by a character an address's local part may hold, and not
// followed by more of a domain ("jane@example.com.au" is another address).
func mentions(text, email string) bool {
	if email == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], email)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(email)
		from = start + 1
		if start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); isLocalRune(r) {
				continue
			}
		}
		k := end
		for k < len(text) && (text[k] == '.' || text[k] == '-') {
			k++
		}
		if k < len(text) {
			if r, _ := utf8.DecodeRuneInString(text[k:]); isWordRune(r) {
				continue
			}
		}
		return true
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isLocalRune(r rune) bool {
	switch r {
	case '.', '_', '%', '+', '-', '\'', '\u2019':
		return true
	}
	return isWordRune(r)
}
