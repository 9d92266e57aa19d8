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
//	GET, POST /watches; DELETE /watches/{name}  yes  yes   yes      403
//	GET, POST /users; POST /users/{id}/disable|enable|tokens; GET /audit  admin only
//	DELETE /tokens/{id}                    any    own      own      own (someone else's: 404)
//
// "Own messages" are those an employee sent or received (From, To, Cc, Bcc)
// or whose subject, body or attachments mention one of their verified
// addresses (scope.go). Search adds that condition to the query itself, so
// totals and facets count only those messages; any other message id is
// answered 404, exactly as a missing one. Employees never see the reference
// archive (the server does not open it), duplicates of a message, or where
// copies lie on the server.
//
// "Redacted" means every flagged value masked as detect.Redact masks it, in
// subjects, bodies, attachment names and texts, and search snippets (redact.go).
// Originals cannot be redacted, so only admins and counsel download them. A
// "clean" attachment is one whose text was extracted and scanned whole with
// nothing flagged; other attachments (images, PDFs, attached messages,
// anything flagged) are 403 redaction_required for analysts and employees.
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
// Every search, message view, original or attachment download, login
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
// never sent.
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
package api
