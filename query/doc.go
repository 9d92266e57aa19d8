// Package query parses Leakscope's search language into the query tree of
// package leakscope (MatchAll, And, Or, Not, Term, DateRange), which the
// search package translates for its engine. The language follows Gmail's
// search operators and notmuch's query syntax (Xapian's QueryParser with
// FLAG_BOOLEAN_ANY_CASE); where those differ, this page is the reference.
//
// # Words and phrases
//
//	budget                 the word, in the subject, body or attachment text
//	"quarterly budget"     the phrase (words next to each other, in order)
//	budg*                  any word starting with budg
//	*                      every message (a lone star, as in notmuch)
//
// A bare word runs until white space, '(', ')' or '"'. Inside a quoted
// phrase, \" is a quote and \\ a backslash; a backslash before anything
// else is kept as is. A '*' is allowed only at the end of a bare word; a
// quoted phrase cannot be a prefix. A word whose text before its first
// ':' is made only of ASCII letters (and underscores after the first) is a
// field term (below), except for URLs
// such as http://example.com; other words with a ':' (10:30, 1:1) are
// plain words. To search for a word that would be read otherwise (and,
// or, not, re:, a word starting with '-'), quote it: "re:", "-1".
//
// # Fields
//
// A field term is name:value, name:"a phrase" or name:prefix*, with no
// space after the colon. Field names are case-insensitive; values are kept
// as typed.
//
//	from:       sender address, domain or name words; a dotted value
//	            without '@' (amy.pascal, enron.com) matches a domain (and its
//	            subdomains) or the same words in names and local parts
//	to:         any recipient (To, Cc and Bcc)
//	cc:         Cc recipients
//	bcc:        Bcc recipients
//	subject:    subject words
//	body:       body words
//	attachment: attachment names and text (aliases attach:, filename:)
//	id:         Message-ID, with or without <> (alias mid:), or our message id
//	thread:     thread id
//	leak:       leak name
//	batch:      batch (wave) label
//	custodian:  whose mailbox a copy came from (alias mailbox:)
//	folder:     folder path inside the mailbox
//	flag:       sensitive-content category (ssn, credit_card, ...)
//	severity:   at least this severity: low, medium, high or critical
//	tag:        review tag
//	has:        has:attachment (or has:attachments)
//	date:       date or date range (below)
//	before:     dated before the start of a date
//	after:      dated on or after the start of a date
//
// Value fields look up one flagged value, whole and exactly: one field per
// flag category whose values redaction masks (leakscope.MaskedFlags):
//
//	ssn: credit_card: iban: bank_account: phone: date_of_birth: passport:
//	credential: secret_key: compensation: medical: offensive:
//
// ssn:536-22-1847, ssn:536221847 and credit_card:"4556 7375 8689 9855"
// find the messages where that value was flagged, whatever its separators
// (see detect.NormalizeValue for what counts as the same value). A value
// field takes no prefix (ssn:536* is an error): the search index holds a
// flagged value only as its mask and a keyed token, so no part of it can
// be matched. Only callers allowed to see values look them up (the search
// package's Request.Values; the API refuses value fields to the roles that
// see values masked); for the others a value field matches nothing.
// A bare word or a phrase is also looked up as a value for them: typing
// 536-22-1847 finds it.
//
// A field name is an ASCII letter followed by letters and underscores. An
// unknown name before ':' (frm:bob) is an error that lists the known
// fields, and so are an empty value (from:), a severity or has: value not
// in the lists above, and from:(a b) groups, which Gmail accepts but this
// language does not: write (from:a OR from:b).
//
// # Dates
//
// A date is YYYY, YYYY-MM or YYYY-MM-DD ('/' may replace '-'; month and
// day may have one digit), or today or yesterday. Each date names a
// period: a whole year, month or day, in UTC. Years run from 1000 to 9999.
//
//	date:2014              all of 2014
//	date:2014-03           all of March 2014
//	date:2014-01..2014-06  from 1 January to 30 June 2014: both ends included
//	date:2001..            from 2001 on
//	date:..1999-12-31      up to the end of 1999
//	after:2014-03-05       on or after 5 March 2014 (from the start of the date)
//	before:2014-03-05      before 5 March 2014 (that day excluded, as in Gmail)
//	date:yesterday..today  yesterday and today
//
// A range that ends before it starts, a month or day that does not exist
// (2014-13, 2014-02-30) and before: or after: with a range are errors.
// today and yesterday are the calendar days of the clock (ParseAt's now).
//
// # Boolean operators
//
//	a b          both (AND is implicit between terms)
//	a AND b      both
//	a OR b       either
//	NOT a, -a    not a; the '-' must touch the term or group it negates
//	-(a b)       not both
//	(a OR b) c   parentheses group
//
// Operators are case-insensitive (and, Or, NOT). NOT and '-' bind tightest,
// then AND, then OR: a b OR c d means (a AND b) OR (c AND d). A query made
// only of negations (-from:bob) means every message except those.
//
// # Errors
//
// A query that cannot be parsed gives a *leakscope.QueryError with the
// byte offset of the problem (errors.Is(err, leakscope.ErrInvalidQuery)
// holds): an empty query, unbalanced parentheses, empty parentheses, an
// unterminated quote, an operator without a term on each side (a OR, AND b,
// NOT), a lone '-', a misplaced '*', and the field and date errors above.
//
// Limits against hostile input, each an error when passed: MaxLength bytes
// (4096), MaxDepth levels of parentheses and negations (64), MaxTerms terms
// (256).
//
// # Canonical form
//
// String on any node of a parsed query prints a canonical form that parses
// back to an equal tree (positions aside): fields by their canonical names,
// explicit AND, OR and NOT, parentheses only where precedence needs them,
// dates in their shortest form (date:2014-03, date:2001..2003-06,
// after:2014, before:2014-03-05).
//
// # Divergences
//
// From Gmail: no from:(a b) groups, no {a b} or AROUND, no relative dates
// beyond today and yesterday (newer_than:), and dates are UTC days, not
// days in the user's time zone.
// From notmuch: no date:<expr> with times or relative expressions, no
// NEAR/ADJ, no regular expressions, and ranges use YYYY-MM-DD, not
// notmuch's free-form dates. A canonical form longer than MaxLength (only
// possible for queries close to the limit, since field aliases, dates and
// implicit ANDs are written out) does not parse back.
package query
