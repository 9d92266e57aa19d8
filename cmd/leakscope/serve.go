package main

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"

	"github.com/leakscope/leakscope/api"
	"github.com/leakscope/leakscope/app"
)

const serveHelp = `
Serve the web UI (at /: exposure dashboard, search, messages, people, My
exposure, productions, audit log) and the JSON API it uses (under /api/v1;
its OpenAPI document is at /api/v1/openapi.json) to the users made with
"leakscope user". Roles:
admin (everything, user management), analyst (the whole leak, sensitive
values redacted), counsel (everything unredacted, originals included),
employee (only their own messages, redacted).

Staff also get the exposure report (GET /api/v1/exposure, as "leakscope
exposure --json"), people, batches and batch diffs; employees their own
person view and an identifier self-check that never sends the value: an
oblivious PRF (RFC 9497; POST /api/v1/identifiers/evaluate takes a
blinded element) gives the browser a keyed lookup hash, of which it sends
5 hex characters (GET /api/v1/identifiers/lookup/PREFIX); every
evaluation is rate-limited and audited, and the figures answered count
only the caller's own messages.

Admins and counsel also tag messages (GET /api/v1/tags, POST
/api/v1/tags/TAG/add and /remove, as "leakscope tag"; tags are never shown
to analysts or employees, nor is a watch whose query uses tag:, nor any
count over tags), keep productions and export them in the
background to zip files under DATA/productions/ (/api/v1/productions, as
"leakscope production" and "leakscope export"), and read the
breach-notification report (GET /api/v1/notify, as "leakscope notify").
The web UI's Productions page does the same.

Every search, message view and download, exposure and identifier check,
read of stats or of the watch, tag and production lists, tag change,
export, login and admin action is recorded in the audit log
("leakscope audit"). The server holds the data directory's store and
index while it runs: stop it before "leakscope index", "tag", "export",
"user" or "audit".

Serve over TLS with --tls-cert and --tls-key, or behind a TLS-terminating
proxy (then pass its address with --trusted-proxies and use --secure-cookies).

Examples:
  leakscope user add --role admin root
  leakscope serve --addr 127.0.0.1:8080
  leakscope serve --addr :8443 --tls-cert cert.pem --tls-key key.pem
`

func (m *Main) runServe(ctx context.Context, args []string) error {
	var c common
	fs := m.newFlags("serve", "[--addr HOST:PORT] [--tls-cert FILE --tls-key FILE]", serveHelp, &c)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	cert := fs.String("tls-cert", "", "TLS certificate `FILE` (PEM); serve HTTPS")
	key := fs.String("tls-key", "", "TLS private key `FILE` (PEM)")
	rate := fs.Float64("rate", api.DefaultRateLimit, "requests per second one user may make, sustained")
	burst := fs.Int("burst", api.DefaultRateBurst, "requests one user may make at once")
	ttl := fs.Duration("session-ttl", api.DefaultSessionTTL, "how long a browser login lasts")
	proxies := fs.String("trusted-proxies", "", "comma-separated `ADDRS` or CIDRs of reverse proxies whose X-Forwarded-For is believed")
	secure := fs.Bool("secure-cookies", false, "mark the session cookie Secure (behind a TLS proxy; implied by --tls-cert)")
	searches := fs.Int("max-searches", runtime.GOMAXPROCS(0), "searches and reports that run at once; more wait their turn")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("serve: unexpected argument %q", rest[0])
	}
	if (*cert == "") != (*key == "") {
		return usagef("serve: --tls-cert and --tls-key go together")
	}
	opts := api.Options{RateLimit: *rate, RateBurst: *burst, SessionTTL: *ttl, TLSCertFile: *cert, TLSKeyFile: *key,
		SecureCookies: *secure, MaxSearches: *searches}
	if *proxies != "" {
		opts.TrustedProxies = strings.Split(*proxies, ",")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return m.serveOn(ctx, &c, opts, ln, func(url string) {
		fmt.Fprintf(m.stdout, "leakscope: serving %s%s/\n", url, api.Prefix)
	})
}

// serveOn serves the data directory c.data with opts on ln until ctx is
// done, and closes ln. ready, when not nil, is called with the server's
// base URL ("http://127.0.0.1:8080") once the data directory is open and
// requests are about to be answered. Both serve and demo serve through it.
func (m *Main) serveOn(ctx context.Context, c *common, opts api.Options, ln net.Listener, ready func(url string)) error {
	srv, d, err := m.newServer(ctx, c, opts)
	if err != nil {
		ln.Close()
		return err
	}
	defer d.Close()
	if users, err := d.Store.Users(ctx); err == nil && len(users) == 0 {
		fmt.Fprintln(m.stderr, "leakscope: no users yet: create one with `leakscope user add --role admin NAME` (stop the server first)")
	}
	scheme := "http"
	if opts.TLSCertFile != "" {
		scheme = "https"
	}
	if ready != nil {
		ready(scheme + "://" + ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

// newServer opens the data directory for serving (the store to write
// sessions, tags, productions and the audit log; the index to search and
// to re-index tagged messages: the server is the only process on the data
// directory while it runs) and builds the server. Closing the returned
// data directory stops a running export first; ctx bounds the exports the
// server runs in the background.
func (m *Main) newServer(ctx context.Context, c *common, opts api.Options) (*api.Server, *serving, error) {
	log, err := m.logger(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := app.Open(ctx, c.data, app.Options{Mode: app.Serve, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	opts.Logger = log
	x := app.NewExposure(d)
	r := d.NewReview(ctx, reviewOptions(d))
	sv := &serving{data: d, review: r}
	srv, err := api.New(api.Deps{Auth: d.Store, Accounts: d.Store, Audit: d.Store,
		Messages: d, Searcher: d, Stats: d, Watches: d, Exposure: x, Identifiers: x, Tags: r, Productions: r}, opts)
	if err != nil {
		sv.Close()
		return nil, nil, err
	}
	return srv, sv, nil
}

// serving is the data directory as the server holds it.
type serving struct {
	*data
	review *app.Review
}

// Close stops the running export, if any, and waits for it to clean up,
// then closes the data directory.
func (s *serving) Close() error {
	s.review.Stop()
	return s.data.Close()
}
