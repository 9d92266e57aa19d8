// Package ui holds the web interface: page templates (html/template) and
// static assets (vanilla JavaScript modules, CSS), embedded in the binary
// with embed.FS. It has no CDN, no build step and no inline script, so the
// pages run under a Content-Security-Policy of script-src 'self'.
//
// A page is a shell: the server renders its frame (navigation for the
// user's role, headings, forms, the session's CSRF token in a meta tag),
// and the page's script fills it from the JSON API (/api/v1), so every
// datum a page shows went through the API's authorisation, scoping,
// redaction and audit. The pages:
//
//	/login               password or API token
//	/search              query box with syntax help, facets, results with highlights, flag badges, sort
//	/messages/{id}       headers, text with flagged spans marked, attachments, thread, copies, reconciliation
//	/exposure            dashboard: totals, timelines by month and by wave (SVG), people, flags, risk
//	/people/{address}    one person's exposure
//	/me                  "My exposure": one's own addresses, and the identifier self-check
//	/audit               the audit log (admins)
//
// Mail is never rendered as HTML: pages show the extracted text, inserted
// as text nodes. Byte offsets from the API (highlights, flag spans) are
// applied to the UTF-8 bytes of the text (lib.js spans), not to UTF-16
// string indices.
//
// The identifier check runs the client's side of the oblivious PRF of
// package oprf in the browser (static/js/oprf.js): RFC 9497 over
// ristretto255-SHA512, with the audited @noble/curves implementation
// vendored in static/js/vendor by scripts/vendor-noble (SHA256SUMS there
// is checked by TestVendoredNoble). Its input is normalised as
// detect.NormalizeIdentifier does (identify.js); browser tests compare
// the normalisation and the lookup hashes with the Go side's. The
// browser's random numbers are crypto.getRandomValues, which plain HTTP
// pages have too.
//
// Why JavaScript rather than the Go client compiled to WebAssembly: the
// wasm of package oprf alone measured 4.4 MB (1.3 MB gzipped), a binary
// to commit again whenever the Go toolchain or circl changes (the
// quick start must work from a fresh clone without a build step), and it
// needs 'wasm-unsafe-eval' in the pages' Content-Security-Policy; the
// vendored modules are 392 KB of reviewable text (98 KB gzipped), need no
// change of the policy, and both sides are checked against each other.
package ui
