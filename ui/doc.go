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
//	/me                  "My exposure": one's own addresses, and the k-anonymous identifier check
//	/audit               the audit log (admins)
//
// Mail is never rendered as HTML: pages show the extracted text, inserted
// as text nodes. Byte offsets from the API (highlights, flag spans) are
// applied to the UTF-8 bytes of the text (lib.js spans), not to UTF-16
// string indices.
//
// The identifier check computes SHA-256("kind:" + normalised value) in the
// browser (crypto.subtle where the page is a secure context, sha256.js
// otherwise) with the same normalisation as detect.NormalizeIdentifier;
// a browser test compares the two.
package ui
