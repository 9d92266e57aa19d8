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
//	GET /people/{address}                  yes    yes      yes      own verified addresses (else 404)
//	GET /identifiers/range/{kind}/{prefix} yes    yes      yes      yes
//	GET, POST /watches; DELETE /watches/{name}  yes  yes   yes      403
//	GET, POST /users; POST /users/{id}/disable|enable|tokens; GET /audit  admin only
//	DELETE /tokens/{id}                    any    own      own      own (someone else's: 404)
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
// GET /identifiers/range/{kind}/{prefix} works like Have I Been Pwned's
// range API (identifiers.go). The client computes
//
//	H = hex(SHA-256(kind + ":" + normalised value))     (lower-case hex, UTF-8)
//
// and sends the first 5 hex characters of H; the answer lists the full
// hashes of the identifiers of that kind whose H starts with them (with
// the number of messages, first and last date to the day, and batches of
// each), and the client looks for its own H. leakscope.IdentifierHash is
// the Go form. Values are normalised as detect.NormalizeIdentifier does,
// after trimming white space:
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
// is "+17138531234", and jane.doe@example.com has H =
// 9a3982ba356a2b16ff8b69e4aefd8fb8027537f5bffc4bf347db173dd0175c8d (send
// /identifiers/range/email/9a398). Values detection never reports (an SSN
// with area 000, a card failing its check digit) cannot be found.
//
// Answers are padded with decoys to Options.RangeMinimum entries (16): a
// decoy is a random hash with the prefix carrying the figures of a real
// identifier found elsewhere, and the decoys of a prefix are the same on
// every request, so neither the size nor the contents of an answer tell
// how many real identifiers share the prefix; only a client holding an
// identifier whose hash is listed learns anything. (Comparing answers
// before and after an ingest that adds an identifier to the prefix shows
// the new entry, and one decoy fewer.) Requests are limited per user
// (Options.RangeRate a minute) and audited with the kind and prefix only.
// The store keeps, per identifier, the 20-bit prefix in clear and H sealed
// under a key derived from the data directory's secret (see store), so
// the data directory holds nothing that can be tested against guesses
// offline without that secret. A data directory whose identifiers were
// recorded by an older leakscope answers 503 redetect_needed until
// `leakscope redetect` has filled the range index.
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
// user ends their sessions and stops their tokens at once.
//
// # Audit
//
// Every search, message view, original or attachment download, exposure
// report, person or batch view, identifier range check, login
// (failed ones included), logout, watch change and admin action is appended
// to the store's hash-chained audit log: who, when, what (the query as
// typed, the message id), from where (the client address) and the answer's
// status. The entry is written before the answer: when it cannot be, the
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
//   - A person's counts include messages naming them without addressing
//     them; an employee sees those counted but not listed, as they are not
//     in her scope.
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
