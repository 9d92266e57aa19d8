package search

import (
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

// textFields are the fields a free-text term searches.
var textFields = []string{fieldSubject, fieldBody, fieldAttachment}

// keywordFields maps the query fields that search one keyword index field
// to that field.
var keywordFields = map[string]string{
	leakscope.FieldThread:    fieldThread,
	leakscope.FieldLeak:      fieldLeak,
	leakscope.FieldBatch:     fieldBatch,
	leakscope.FieldCustodian: fieldCustodian,
	leakscope.FieldFolder:    fieldFolder,
	leakscope.FieldFlag:      fieldFlag,
	leakscope.FieldTag:       fieldTag,
}

// threadMap holds the members of the threads a query names (lower-cased
// thread ID -> message IDs), resolved before translation; nil means
// thread: terms compare with the thread recorded in the index.
type threadMap map[string][]string

// translator holds what translating one query needs besides the query.
type translator struct {
	threads threadMap
	// keyer, when set, looks flagged values up by their tokens
	// (Request.Values): value fields, and the value forms of free-text
	// words and phrases. Nil: value fields match nothing.
	keyer Keyer
}

// translate turns a query tree into a bleve query. Errors about a term are
// *leakscope.QueryError values holding the term's position.
func (tr *translator) translate(q leakscope.Query) (query.Query, error) {
	switch n := q.(type) {
	case leakscope.MatchAll, *leakscope.MatchAll:
		return query.NewMatchAllQuery(), nil
	case leakscope.And:
		return tr.translateAnd(n.Clauses)
	case *leakscope.And:
		return tr.translateAnd(n.Clauses)
	case leakscope.Or:
		return tr.translateOr(n.Clauses)
	case *leakscope.Or:
		return tr.translateOr(n.Clauses)
	case leakscope.Not:
		return tr.translateAnd([]leakscope.Query{n})
	case *leakscope.Not:
		return tr.translateAnd([]leakscope.Query{*n})
	case leakscope.Term:
		return tr.translateTerm(n)
	case *leakscope.Term:
		return tr.translateTerm(*n)
	case leakscope.DateRange:
		return translateDate(n)
	case *leakscope.DateRange:
		return translateDate(*n)
	case nil:
		return nil, fmt.Errorf("missing query: %w", leakscope.ErrInvalidQuery)
	default:
		return nil, fmt.Errorf("unknown query node %T: %w", q, leakscope.ErrInvalidQuery)
	}
}

// translateAnd builds one boolean query: the positive clauses are musts, the
// negated ones must-nots (against every message when nothing is positive).
func (tr *translator) translateAnd(clauses []leakscope.Query) (query.Query, error) {
	var must, mustNot []query.Query
	for _, c := range clauses {
		neg, isNot := notClause(c)
		if isNot {
			bq, err := tr.translate(neg)
			if err != nil {
				return nil, err
			}
			mustNot = append(mustNot, bq)
			continue
		}
		bq, err := tr.translate(c)
		if err != nil {
			return nil, err
		}
		must = append(must, bq)
	}
	switch {
	case len(mustNot) == 0 && len(must) == 1:
		return must[0], nil
	case len(mustNot) == 0 && len(must) == 0:
		return query.NewMatchAllQuery(), nil
	case len(mustNot) == 0:
		return query.NewConjunctionQuery(must), nil
	case len(must) == 0:
		must = []query.Query{query.NewMatchAllQuery()}
	}
	return query.NewBooleanQuery(must, nil, mustNot), nil
}

func notClause(q leakscope.Query) (leakscope.Query, bool) {
	switch n := q.(type) {
	case leakscope.Not:
		return n.Clause, true
	case *leakscope.Not:
		return n.Clause, true
	}
	return nil, false
}

func (tr *translator) translateOr(clauses []leakscope.Query) (query.Query, error) {
	if len(clauses) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	out := make([]query.Query, 0, len(clauses))
	for _, c := range clauses {
		bq, err := tr.translate(c)
		if err != nil {
			return nil, err
		}
		out = append(out, bq)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return query.NewDisjunctionQuery(out), nil
}

func translateDate(r leakscope.DateRange) (query.Query, error) {
	from, to := r.From.UTC(), r.To.UTC()
	if !r.From.IsZero() && !r.To.IsZero() && !from.Before(to) {
		return nil, &leakscope.QueryError{Pos: r.Pos, Msg: "the date range is empty: its end is not after its start"}
	}
	// Clamp to what bleve can index; a range with no bound matches every
	// dated message.
	start := minDate
	if !r.From.IsZero() && from.After(minDate) {
		start = from
	}
	var end time.Time // open
	if !r.To.IsZero() && to.Before(maxDate) {
		end = to
	}
	// No message is indexed with a date outside [minDate, maxDate): a
	// range entirely outside it matches nothing (bleve refuses the bound).
	if !end.IsZero() && !end.After(minDate) || !start.Before(maxDate) {
		return query.NewMatchNoneQuery(), nil
	}
	return dayRangeQuery(start, end), nil
}

// dayRangeQuery matches the messages dated in [start, end) (end zero: no
// end). The date field holds whole UTC days (utcDay), so whole days are
// matched on it; a bound inside a day (today in a server's time zone) is
// matched on the date sort key (dateSortKey), whose bytes sort as dates,
// for that day only.
func dayRangeQuery(start, end time.Time) query.Query {
	incl, excl := true, false
	var clauses []query.Query
	keyRange := func(lo, hi time.Time) {
		q := query.NewTermRangeInclusiveQuery(datePrefix(lo), datePrefix(hi), &incl, &excl)
		q.SetField(fieldDateKey)
		clauses = append(clauses, q)
	}
	if day := utcDay(start); !day.Equal(start) {
		next := day.AddDate(0, 0, 1)
		if !end.IsZero() && end.Before(next) {
			next = end
		}
		keyRange(start, next)
		start = next
	}
	if day := utcDay(end); !end.IsZero() && !day.Equal(end) && !day.Before(start) {
		keyRange(day, end)
		end = day
	}
	if end.IsZero() || start.Before(end) {
		q := query.NewDateRangeInclusiveQuery(start, end, &incl, &excl)
		q.SetField(fieldDate)
		clauses = append(clauses, q)
	}
	if len(clauses) == 1 {
		return clauses[0]
	}
	return query.NewDisjunctionQuery(clauses)
}

func (tr *translator) translateTerm(t leakscope.Term) (query.Query, error) {
	value := strings.TrimSpace(t.Value)
	switch t.Field {
	case leakscope.FieldText:
		return tr.textQuery(t, value, textFields...)
	case leakscope.FieldSubject:
		return tr.textQuery(t, value, fieldSubject)
	case leakscope.FieldBody:
		return tr.textQuery(t, value, fieldBody)
	case leakscope.FieldAttachment:
		return tr.textQuery(t, value, fieldAttachment)
	case leakscope.FieldFrom, leakscope.FieldTo, leakscope.FieldCc, leakscope.FieldBcc:
		return addressQuery(t, value, t.Field)
	case leakscope.FieldID:
		mid, err := keywordQuery(t, fieldMessageID, strings.Trim(value, "<>"))
		if err != nil || t.Prefix || t.Phrase {
			return mid, err
		}
		// Our own message id (what show and the API take) matches too.
		return query.NewDisjunctionQuery([]query.Query{mid, query.NewDocIDQuery([]string{value})}), nil
	case leakscope.FieldSeverity:
		v := strings.ToLower(value)
		if !t.Prefix && severityRank(v) < 0 {
			return nil, termError(t, "unknown severity %q: use low, medium, high or critical", value)
		}
		return keywordQuery(t, fieldSeverity, v)
	case leakscope.FieldHas:
		switch v := strings.ToLower(value); v {
		case "attachment", "attachments":
			return keywordQuery(leakscope.Term{Pos: t.Pos}, fieldHas, "attachment")
		default:
			return nil, termError(t, "unknown has: value %q: use has:attachment", value)
		}
	case leakscope.FieldThread:
		if tr.threads == nil {
			break
		}
		if t.Prefix {
			return nil, termError(t, "thread: takes a whole thread id, not a prefix")
		}
		ids := tr.threads[strings.ToLower(value)]
		if len(ids) == 0 {
			return query.NewMatchNoneQuery(), nil
		}
		return query.NewDocIDQuery(ids), nil
	case leakscope.FieldDate:
		return nil, termError(t, "date: needs a date or a range such as 2001-05..2001-06")
	}
	if f, ok := keywordFields[t.Field]; ok {
		return keywordQuery(t, f, value)
	}
	if leakscope.IsValueField(t.Field) {
		return tr.valueQuery(t, value)
	}
	return nil, termError(t, "unknown field %q", t.Field)
}

func termError(t leakscope.Term, format string, args ...any) error {
	return &leakscope.QueryError{Pos: t.Pos, Msg: fmt.Sprintf(format, args...)}
}

// keywordQuery matches a lower-cased keyword exactly, or as a prefix.
func keywordQuery(t leakscope.Term, field, value string) (query.Query, error) {
	v := strings.ToLower(value)
	if v == "" {
		return nil, termError(t, "empty value")
	}
	if t.Prefix {
		return prefix(field, v), nil
	}
	return term(field, v), nil
}

// textQuery searches value, analyzed like the text it is compared with, in
// any of fields. A prefix is compared with the indexed (stemmed) terms as
// typed, lower-cased and without apostrophes. The index holds the masked
// text (see valueTokens): neither a prefix nor words can match a flagged
// value. When tr looks values up, a word or phrase also matches the
// tokens of the values it may be (detect.LookupForms), in the same fields.
func (tr *translator) textQuery(t leakscope.Term, value string, fields ...string) (query.Query, error) {
	if t.Prefix {
		v := wordPrefix(value)
		if v == "" {
			return nil, termError(t, "empty prefix")
		}
		return anyField(fields, func(f string) query.Query { return prefix(f, v) }), nil
	}
	terms := phraseTerms(textAnalyzer.Analyze([]byte(value)))
	tokens := tr.tokens(detect.LookupForms(value))
	if len(terms) == 0 && len(tokens) == 0 {
		return nil, termError(t, "no words to search for in %q", value)
	}
	return anyField(fields, func(f string) query.Query {
		var qs []query.Query
		if len(terms) > 0 {
			qs = append(qs, phrase(f, terms))
		}
		for _, tok := range tokens {
			qs = append(qs, term(valueFields[f], tok))
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return query.NewDisjunctionQuery(qs)
	}), nil
}

// valueQuery looks one flagged value up: the value field's category and
// the value's normal form, in every part. A value that has no normal form
// in the category is an error, whoever asks; without a keyer it matches
// nothing.
func (tr *translator) valueQuery(t leakscope.Term, value string) (query.Query, error) {
	if t.Prefix {
		return nil, termError(t, "%s: takes a whole value, never a prefix", t.Field)
	}
	n := detect.NormalizeValue(t.Field, value)
	if n == "" {
		return nil, termError(t, "%q is not a value of %s", value, t.Field)
	}
	tokens := tr.tokens([]leakscope.Identifier{{Kind: t.Field, Value: n}})
	if len(tokens) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	return anyField(textFields, func(f string) query.Query { return term(valueFields[f], tokens[0]) }), nil
}

// tokens returns the tokens of the values ids (valueToken); none unless tr
// looks values up.
func (tr *translator) tokens(ids []leakscope.Identifier) []string {
	if tr.keyer == nil {
		return nil
	}
	var out []string
	for _, id := range ids {
		if tok := valueToken(tr.keyer, id); tok != "" {
			out = append(out, tok)
		}
	}
	return out
}

// addressQuery searches a role's address fields: an address, a domain
// ("@enron.com" or "enron.com", which also matches subdomains), or words of
// the display names and local parts.
func addressQuery(t leakscope.Term, value, role string) (query.Query, error) {
	v := strings.ToLower(value)
	addr, dom, name := role+suffixAddr, role+suffixDomain, role+suffixName
	switch {
	case strings.HasPrefix(v, "@"):
		d := strings.Trim(v[1:], ".")
		if d == "" {
			return nil, termError(t, "empty domain")
		}
		if t.Prefix {
			return prefix(dom, d), nil
		}
		return term(dom, d), nil
	case strings.Contains(v, "@"):
		if t.Prefix {
			return prefix(addr, v), nil
		}
		return term(addr, v), nil
	case strings.Contains(v, "."):
		d := strings.Trim(v, ".")
		if d == "" {
			return nil, termError(t, "no address, domain or words to search for in %q", value)
		}
		if t.Prefix {
			return query.NewDisjunctionQuery([]query.Query{prefix(dom, strings.TrimLeft(v, ".")), prefix(addr, v)}), nil
		}
		qs := []query.Query{term(dom, d)}
		if words := phraseTerms(nameAnalyzer.Analyze([]byte(value))); len(words) > 0 {
			qs = append(qs, phrase(name, words))
		}
		return query.NewDisjunctionQuery(qs), nil
	}
	if v == "" {
		return nil, termError(t, "empty value")
	}
	if t.Prefix {
		p := wordPrefix(value)
		if p == "" {
			return nil, termError(t, "empty prefix")
		}
		return prefix(name, p), nil
	}
	words := phraseTerms(nameAnalyzer.Analyze([]byte(value)))
	if len(words) == 0 {
		return nil, termError(t, "no words to search for in %q", value)
	}
	return phrase(name, words), nil
}

// wordPrefix returns a prefix of a word as the analyzers index words:
// lower-cased, without apostrophes ("O'Bri" gives "obri").
func wordPrefix(value string) string {
	return strings.ToLower(string(dropApostrophes([]byte(strings.TrimSpace(value)))))
}

// phraseTerms returns the terms of an analyzed value by position, for a
// phrase query. Where an address and its words share positions the address
// is kept and the positions of its other words are left empty ("" matches
// any term in a bleve phrase); trailing empty positions are dropped.
func phraseTerms(ts analysis.TokenStream) []string {
	if len(ts) == 0 {
		return nil
	}
	first := ts[0].Position
	out := make([]string, ts[len(ts)-1].Position-first+1)
	covered := -1 // end of the last address seen
	for _, t := range ts {
		switch {
		case isAddressTerm(t.Term):
			out[t.Position-first] = string(t.Term)
			covered = t.End
		case t.Start < covered:
			// a word of the address
		default:
			out[t.Position-first] = string(t.Term)
		}
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func isAddressTerm(b []byte) bool {
	for _, c := range b {
		if c == '@' {
			return true
		}
	}
	return false
}

func anyField(fields []string, build func(field string) query.Query) query.Query {
	if len(fields) == 1 {
		return build(fields[0])
	}
	qs := make([]query.Query, len(fields))
	for i, f := range fields {
		qs[i] = build(f)
	}
	return query.NewDisjunctionQuery(qs)
}

func term(field, v string) query.Query {
	q := query.NewTermQuery(v)
	q.SetField(field)
	return q
}

func prefix(field, v string) query.Query {
	q := query.NewPrefixQuery(v)
	q.SetField(field)
	return q
}

// phrase is a term query for one term, a phrase query for more.
func phrase(field string, terms []string) query.Query {
	if len(terms) == 1 {
		return term(field, terms[0])
	}
	return query.NewPhraseQuery(terms, field)
}

// threadTerms returns the values of the thread: terms of q.
func threadTerms(q leakscope.Query) []string {
	var out []string
	var walk func(q leakscope.Query)
	walk = func(q leakscope.Query) {
		switch n := q.(type) {
		case leakscope.And:
			for _, c := range n.Clauses {
				walk(c)
			}
		case *leakscope.And:
			walk(*n)
		case leakscope.Or:
			for _, c := range n.Clauses {
				walk(c)
			}
		case *leakscope.Or:
			walk(*n)
		case leakscope.Not:
			walk(n.Clause)
		case *leakscope.Not:
			walk(*n)
		case leakscope.Term:
			if n.Field == leakscope.FieldThread && !n.Prefix {
				out = append(out, strings.ToLower(strings.TrimSpace(n.Value)))
			}
		case *leakscope.Term:
			walk(*n)
		}
	}
	walk(q)
	return out
}
