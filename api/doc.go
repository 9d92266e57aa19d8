// Package api is Leakscope's HTTP server: a JSON API under /api/v1 (gin),
// with users and roles, browser sessions, API tokens, CSRF protection, rate
// limits and an audit trail of everything read. It is the only package that
// imports gin. It does not import the store or the search index: it declares
// what it needs as small interfaces (deps.go) that cmd/leakscope implements.
// Every route is declared in routes.go and documented in openapi.json,
// served at /api/v1/openapi.json; a test keeps the two in step.
//
// # Roles
//
//	route                                  admin  analyst  counsel  employee
//	POST /login, GET /openapi.json         anyone, logged in or not
//	POST /logout, GET /me                  yes    yes      yes      yes
//	GET /search, /stats                    all    all      all      own messages
//	GET /messages/{id}                     yes    redacted yes      own messages, redacted (else 404)
//	GET /messages/{id}/raw                 yes    403      yes      403
//	GET /messages/{id}/attachments/{n}     yes    clean    yes      own messages, clean
//	GET /exposure, /batches                yes    no diffs yes      403
//	GET /batches/{label}/diff              yes    redacted yes      403
//	GET /people/{address}                  yes    yes      yes      own verified addresses (else 404), figures of own messages
//	POST /identifiers/evaluate             yes    yes      yes      yes
//	GET /identifiers/lookup/{prefix}       yes    own msgs own msgs own messages only (figures)
//	GET, POST /watches; DELETE /watches/{name}  yes  no tag: watches  yes  403
//	/tags..., /productions..., GET /notify yes    403      yes      403
//	GET, POST /users; POST /users/{id}/disable|enable|tokens; GET /audit  admin only
//	DELETE /tokens/{id}                    any    own      own      own (someone else's: 404)
//
// # Aggregates follow the query's rules
//
// A count is as private as the messages and fields it is computed over,
// so every aggregate follows the rules of the query behind it. An
// employee's totals, facets, stats, identifier figures and figures about
// herself (GET /people) count only her own messages. Only admins and
// counsel may query review tags, so only they get the tag facet and the
// tag list, and only they see a watch whose query uses tag: (watches.go):
// an analyst listing watches is shown none of them, not their names (which
// counsel chose and may tell what they are working on), queries or numbers
// of matches; deleting one is 404 for him and saving one of its name 409
// name_taken. Leaving such watches out, rather than listing them blanked,
// is what a shared tool must do with another group's privileged work
// product: its existence is part of it.
//
// "Own messages" are those an employee sent or received (From, To, Cc, Bcc)
// or whose subject, body or attachments mention one of their verified
// addresses (scope.go). Search adds that condition to the query itself, so
// totals and facets count only those messages; any other message id is
// answered 404, exactly as a missing one. Employees never see anything of
// the reference archive (no reconciliation of a message, no exposure
// report), duplicates of a message, or where copies lie on the server.
//
// "Redacted" means every flagged value masked as detect.Redact masks it, in
// subjects, bodies, attachment names and texts, and search snippets (redact.go).
// Originals cannot be redacted, so only admins and counsel download them. A
// "clean" attachment is one whose text was extracted and scanned whole with
// nothing flagged; other attachments (images, PDFs, attached messages,
// anything flagged) are 403 redaction_required for analysts and employees.
//
// # Exposure
//
// GET /exposure is the report `leakscope exposure --json` prints (exposure.go),
// built once and kept in memory until the leak or the reference archive
// changes. It is metadata: who, how many, when, how each reference message
// was published. The diff of an altered copy is the exception: it quotes
// message text of both the leak and the reference archive, which no flag
// offsets cover, so it cannot be redacted reliably and analysts get the
// report, and a message's "reconciliation", without it. GET
// /people/{address} is one person's part of the report with the IDs of
// their messages the caller may see; an employee may ask only about their
// own verified addresses. GET /batches and /batches/{label}/diff are the
// waves of the leak and what one added (`leakscope diff`); analysts get the
// subjects of its riskiest messages redacted.
//
// # Checking an identifier without sending it
//
// Anyone logged in checks whether an identifier of theirs (an SSN, a card
// or bank account number, an IBAN, a phone number, an address) is in the
// leak in two requests (identifiers.go; package oprf has the Go client,
// the web UI's static/js/oprf.js the browser's):
//
//  1. The client normalises the value (below) and blinds the PRF input
//     x = kind + ":" + normalised value as RFC 9497 says (OPRF mode,
//     ristretto255-SHA512): B = r * HashToGroup(x) for a random scalar r.
//     POST /identifiers/evaluate {"elements": [B]} answers Z = k * B,
//     with the key k derived from the data directory's secret (HKDF, then
//     RFC 9497's DeriveKeyPair; it never leaves the server). The client's
//     Finalize(x, r, Z) is the PRF output; its first 16 bytes in hex are
//     the identifier's lookup hash L.
//  2. GET /identifiers/lookup/{first 5 hex characters of L} lists the
//     lookup hashes with that prefix, padded with decoys to
//     Options.LookupMinimum (16); the client looks for L among them.
//
// The store computes L of every identifier it records, at ingest and
// redetect, directly with k (store/identlookup.go). Each entry of a
// look-up carries the number of messages holding the identifier, their
// first and last dates (to the day) and batches, counted over the messages
// the caller may see only: an employee's own messages (as search scopes
// them, scope.go), every message for staff. An identifier found only
// outside the caller's scope is listed with no messages, no dates and no
// batches, like a decoy: its holder learns that it is in the leak and
// nothing of messages that are not theirs.
//
// Values are normalised as detect.NormalizeIdentifier does, after trimming
// white space:
//
//	ssn           the 9 digits ("536-22-1847" -> "536221847")
//	credit_card   the digits (12-19, Luhn-valid)
//	iban          white space removed, upper-cased
//	bank_account  the digits (4-17)
//	email         lower-cased (+tags kept)
//	phone         remove every "(0)"; d = the digits left (7-15); then the first that applies:
//	              value starts with "+"                   -> "+" + d
//	              d starts with "011", over 11 digits     -> "+" + d[3:]
//	              d starts with "00", over 10 digits      -> "+" + d[2:]
//	              10 digits, valid North American         -> "+1" + d
//	              11 digits starting with 1, valid N.A.   -> "+" + d
//	              the value held "(0)"                    -> "+" + d
//	              otherwise                               -> d
//
// A valid North American number (10 digits, a leading 1 of 11 dropped):
// area code and exchange start with 2-9, the area code's second digit is
// not 9, neither ends in "11", and it is not 555-01xx. So "(713) 853-1234"
// is "+17138531234". Values detection never reports (an SSN with area
// 000, a card failing its check digit) cannot be found.
//
// Evaluations are limited per user, each blinded element counting once:
// Options.EvaluateRate a minute (10) and Options.EvaluateDaily a day
// (100); a request holds at most MaxEvaluateElements. They are audited as
// identifier.evaluate with their number only ("1 element"). Look-ups are
// limited to Options.LookupRate a minute (30) and audited as
// identifier.lookup without the prefix. A data directory whose
// identifiers were recorded by an older leakscope answers 503
// redetect_needed until `leakscope redetect` has filled the lookup index.
//
// # Search and masked values
//
// The search index holds subjects, bodies and attachment texts as the
// redacted roles see them, and each flagged value as a keyed token (an
// HMAC under the data directory's identifier secret, see package search).
// GET /search looks typed values up by their tokens for admins and counsel
// only (SearchRequest.Values): for analysts and employees no sequence of
// queries, prefixes, phrases or value fields matches anything of a value
// beyond what its mask shows, so search is no oracle for a masked value.
// Watches are checked without value look-ups, whoever saved them.
//
// # Threat model of the self-check
//
// What each party can learn about identifiers through it:
//
//   - An employee learns, for a value she types, whether it is in the
//     leak, and the figures of her own messages that hold it. Each guess
//     costs an evaluation, limited and audited, so she cannot search a
//     space of values: the 10^9 SSNs would take 27,000 years at 100 a
//     day, and the 89,000 valid SSNs that end in four known digits 890
//     days. She
//     learns nothing of messages outside her scope, not even how many
//     hold a colleague's address or SSN; only that it is in the leak,
//     which she must already hold the value to ask.
//   - An analyst (or admin, or counsel) is limited the same way; the
//     figures count every message, as his search does. He sees masked
//     values elsewhere (a masked SSN keeps its last four digits), so a
//     patient analyst could recover a masked SSN in up to 89,000 guesses,
//     890 days at the default daily limit, every one in the audit log;
//     lower Options.EvaluateDaily where that matters.
//   - Someone who captures the self-check's traffic (or a client's own
//     answers) holds blinded elements, which are uniformly random whatever
//     the value, evaluated elements, and keyed lookup hashes and their
//     prefixes: nothing can be tested against a guess without the key, so
//     there is no offline brute force, and a lookup answer's other
//     entries name nothing.
//   - A thief of the data directory has the identifier secret (it is in
//     the store's meta bucket), so the key, and can test guesses against
//     the keyed hashes offline (about 10^9 SSNs in minutes). More to the
//     point, the directory holds the original messages, which contain the
//     values: the self-check adds nothing to what the theft gives. The
//     store holds no unkeyed hash of any identifier.
//   - The server operator holds the key and can do what the thief can.
//     From the protocol itself the server learns the user, the time, the
//     number of elements evaluated and the 20-bit prefix of L, which about
//     a thousand valid SSNs share; with the key it can narrow a checked
//     SSN down to those, and an address among the company's few thousand
//     to one or a few, but not learn what the client typed from the
//     evaluation, whose input it never sees. The protocol does not
//     protect against a server that lies: an evaluation under another key
//     makes the check find nothing (the client does not verify, RFC 9497's
//     VOPRF mode would).
//
// # Authentication and CSRF
//
// POST /login takes a name and password (argon2id-hashed by the store) or an
// API token and starts a session: a random secret in an HttpOnly,
// SameSite=Strict cookie (Secure with TLS), stored hashed, lasting
// Options.SessionTTL. Its CSRF token (a synchronizer token, returned by login
// and GET /me) must be sent in the X-CSRF-Token header on every
// state-changing request made with the cookie; state-changing requests that
// a browser marks as cross-site (Sec-Fetch-Site, Origin) are refused too.
// Scripts send an API token instead, as "Authorization: Bearer TOKEN"; such
// requests carry no ambient credential and need no CSRF token. Disabling a
// user ends their sessions and revokes every token of theirs at once, in
// the store: enabling them again brings none back (also after a restart),
// so new tokens must be made and the user logs in again.
//
// Passwords (POST /users; the command line's user add and user password)
// must have at least 12 characters and a zxcvbn score of 3 (package
// password): common passwords, names and words, keyboard patterns,
// repeats, sequences, dates and the user's own name and addresses make a
// password guessable. A weak one is 400 invalid_input saying why, never
// quoting it.
//
// # Audit
//
// Every search, message view, original or attachment download, exposure
// report, person or batch view, read of an aggregate (stats, the watch,
// tag, production and export lists), identifier evaluation or look-up,
// login (failed ones included), logout, watch change and admin action is appended
// to the store's hash-chained audit log: who, when, what (the query as
// typed, the message id), from where (the client address) and the answer's
// status; an aggregate's entry holds its size ("visible 8", "2 watches"),
// never a value. The entry is written before the answer: when it cannot be, the
// answer is 503 and nothing is served. Refused reads of messages (404, 403)
// are recorded as well, so that probing shows.
//
// # Hardening
//
// Request bodies are limited (Options.MaxBodyBytes, 413) and so are headers
// (Options.MaxHeaderBytes, 431); the http.Server has read, write and idle
// timeouts. Each user is rate-limited (a token bucket, 429 with Retry-After),
// and logins per client address. No proxy is trusted unless configured
// (gin's SetTrustedProxies(nil)), so X-Forwarded-For cannot spoof the
// client address in the audit log. Every response carries a
// Content-Security-Policy of default-src 'none' (no script at all), nosniff,
// frame denial, no referrer and no-store; downloads are always
// application/octet-stream with Content-Disposition: attachment, so HTML
// mail is never rendered live. Errors are JSON {"error": {"code",
// "message"}} with stable codes (errors.go); internal error text is logged,
// never sent. A handler that panics answers 500 internal (gin's recovery,
// logged) and the server goes on. An error wrapping leakscope.ErrDamaged
// (a damaged store, pack or index) answers 500 data_damaged, whose message
// says an administrator must run `leakscope verify` and `leakscope
// repair`; the error itself, which names the server's files, is logged.
//
// # Known divergences
//
//   - The server holds the store's write lock while it runs (sessions and the
//     audit log are written to it), so `leakscope index`, `user` and `audit`
//     wait for it to stop; the search index is opened read-only and shows
//     what was indexed when the server started.
//   - An attached message (message/rfc822) is a message of its own: an
//     employee who received the forward but is not a party to the attached
//     message sees it only if it mentions them.
//   - Employees see their own sensitive values masked too: no flag says
//     whose value it is.
//   - The server opens the reference archive's store to read the
//     reconciliation and, when the leak or the archive changed, to match
//     them again and keep the outcome there: the first exposure request,
//     person view or message view after a change waits for that (the
//     report is then kept in memory while the server runs). Nothing of the
//     archive reaches an employee.
//   - Watch names are one namespace for every role: an analyst who saves
//     a watch under the name of one he may not see gets 409 name_taken,
//     and so learns that a watch of that name exists (nothing else of it).
//   - A person's figures include messages naming them without addressing
//     them for staff; an employee's figures about herself leave those out
//     with the messages, as they are not in her scope.
//   - A damaged data directory does not stop the server: what can still be
//     read is served, the rest answers 500 data_damaged. Damage that bleve
//     or bbolt meet outside the request's goroutine cannot be recovered and
//     ends the process; the server verifies the index's segments when it
//     starts, and the store's file is checked when it is opened (see
//     packages search and store).
//   - A message's reconciliation diff is given only for the altered copy
//     the reconciliation diffed (the first altered one of a reference
//     message); other altered copies say "altered" without a diff.
package api
