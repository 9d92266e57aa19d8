package api

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/leakscope/leakscope/ui"
)

// Options configure a Server; the zero value works.
type Options struct {
	// Logger receives request failures and server events (never message
	// content, queries or addresses). Default: discard.
	Logger *slog.Logger
	// SessionTTL is how long a browser session lasts after login.
	// Default 12h.
	SessionTTL time.Duration
	// SecureCookies sets the Secure attribute on the session cookie and
	// sends Strict-Transport-Security: for a server behind a TLS-terminating
	// proxy. Default false, true when TLSCertFile is set.
	SecureCookies bool
	// RateLimit is the sustained number of requests per second one user
	// may make. Default 10.
	RateLimit float64
	// RateBurst is how many requests one user may make at once above the
	// sustained rate. Default 60.
	RateBurst int
	// LoginRate is how many login attempts one client address may make
	// per minute (sustained and burst). Default 10.
	LoginRate int
	// MaxBodyBytes bounds a request body; larger ones get 413.
	// Default 1 MiB.
	MaxBodyBytes int64
	// MaxHeaderBytes bounds the request line and headers; larger ones get
	// 431 from net/http. Default 32 KiB.
	MaxHeaderBytes int
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For header is believed. Default none: the client address
	// is the peer's.
	TrustedProxies []string
	// EvaluateRate is how many identifier PRF evaluations (blinded
	// elements) one user may have per minute, sustained and burst: each
	// is a guess of an identifier. Default 10.
	EvaluateRate int
	// EvaluateDaily is how many evaluations one user may have per day on
	// top of EvaluateRate (a bucket of that many, refilled over 24
	// hours). Default 100.
	EvaluateDaily int
	// LookupRate is how many identifier look-ups one user may make per
	// minute (sustained and burst). Default 30.
	LookupRate int
	// LookupMinimum is the fewest entries a look-up answer has: answers
	// with fewer real identifiers are padded with decoys. Default 16.
	LookupMinimum int
	// MaxSearches is how many searches and reports (the requests that
	// cost milliseconds of CPU) run at once; the others wait their turn,
	// first come first served. Default GOMAXPROCS: more at once only share
	// the cores, so that every one of them is slower.
	MaxSearches int
	// TLSCertFile and TLSKeyFile, both set, make Serve speak HTTPS.
	TLSCertFile, TLSKeyFile string
}

// Defaults of Options.
const (
	DefaultSessionTTL     = 12 * time.Hour
	DefaultRateLimit      = 10
	DefaultRateBurst      = 60
	DefaultLoginRate      = 10
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxHeaderBytes = 32 << 10
	DefaultEvaluateRate   = 10
	DefaultEvaluateDaily  = 100
	DefaultLookupRate     = 30
	DefaultLookupMinimum  = 16
)

// Server is the JSON API. Create it with New.
type Server struct {
	deps   Deps
	opts   Options
	log    *slog.Logger
	engine *gin.Engine
	users  *limiter // per user
	logins *limiter // per client address
	// evaluations and evaluationsDaily limit identifier PRF evaluations,
	// lookups identifier look-ups, per user.
	evaluations, evaluationsDaily, lookups *limiter
	// hashing bounds the password checks running at once (each costs
	// tens of MiB and milliseconds of CPU).
	hashing chan struct{}
	// searching holds a token for each search or report running, and
	// searchWait bounds the wait for one (see acquireSearch).
	searching  chan struct{}
	searchWait time.Duration
	ui         *ui.UI // the web UI's pages and assets
}

// New returns a server over deps. Every dependency is required.
func New(deps Deps, opts Options) (*Server, error) {
	if deps.Auth == nil || deps.Accounts == nil || deps.Audit == nil || deps.Messages == nil ||
		deps.Searcher == nil || deps.Stats == nil || deps.Watches == nil || deps.Exposure == nil || deps.Identifiers == nil ||
		deps.Tags == nil || deps.Productions == nil {
		return nil, errors.New("api: every dependency is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.TLSCertFile != "" {
		opts.SecureCookies = true
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = DefaultRateLimit
	}
	if opts.RateBurst <= 0 {
		opts.RateBurst = DefaultRateBurst
	}
	if opts.LoginRate <= 0 {
		opts.LoginRate = DefaultLoginRate
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxHeaderBytes <= 0 {
		opts.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if opts.EvaluateRate <= 0 {
		opts.EvaluateRate = DefaultEvaluateRate
	}
	if opts.EvaluateDaily <= 0 {
		opts.EvaluateDaily = DefaultEvaluateDaily
	}
	if opts.LookupRate <= 0 {
		opts.LookupRate = DefaultLookupRate
	}
	if opts.LookupMinimum <= 0 {
		opts.LookupMinimum = DefaultLookupMinimum
	}
	if opts.MaxSearches <= 0 {
		opts.MaxSearches = runtime.GOMAXPROCS(0)
	}
	s := &Server{
		deps: deps, opts: opts, log: opts.Logger,
		users:            newLimiter(opts.RateLimit, float64(opts.RateBurst)),
		logins:           newLimiter(float64(opts.LoginRate)/60, float64(opts.LoginRate)),
		evaluations:      newLimiter(float64(opts.EvaluateRate)/60, float64(opts.EvaluateRate)),
		evaluationsDaily: newLimiter(float64(opts.EvaluateDaily)/86400, float64(opts.EvaluateDaily)),
		lookups:          newLimiter(float64(opts.LookupRate)/60, float64(opts.LookupRate)),
		hashing:          make(chan struct{}, 4),
		searching:        make(chan struct{}, opts.MaxSearches),
		searchWait:       maxSearchWait,
	}
	var err error
	if s.ui, err = ui.New(); err != nil {
		return nil, err
	}
	if s.engine, err = s.newEngine(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully (waiting up to 10 seconds for requests in flight). It speaks
// HTTPS when Options.TLSCertFile and TLSKeyFile are set.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // originals and attachments can be large
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    s.opts.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	tlsOn := s.opts.TLSCertFile != "" || s.opts.TLSKeyFile != ""
	if tlsOn {
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	errc := make(chan error, 1)
	go func() {
		if tlsOn {
			errc <- srv.ServeTLS(ln, s.opts.TLSCertFile, s.opts.TLSKeyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
