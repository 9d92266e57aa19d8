package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser tests drive the web UI in a real headless Chromium (Debian's
// chromium package). Without one they skip, unless
// LEAKSCOPE_REQUIRE_BROWSER=1 (set by CI), which makes a missing browser a
// failure. LEAKSCOPE_CHROMIUM names the browser binary when it is not on
// PATH as chromium, chromium-browser or google-chrome. Screenshots go to
// $LEAKSCOPE_ARTIFACTS/screenshots when that is set, else to the test's
// temporary directory.

// findChromium returns the browser to drive, or skips the test.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LEAKSCOPE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("LEAKSCOPE_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found (chromium, chromium-browser, google-chrome; or set LEAKSCOPE_CHROMIUM), and LEAKSCOPE_REQUIRE_BROWSER=1")
	}
	t.Skip("no Chromium found: install Debian's chromium package to run the browser tests")
	return ""
}

// browser is one headless Chromium for a test; each tab it opens has its
// own cookies (a separate browser context), so each role logs in alone.
type browser struct {
	t     *testing.T
	alloc context.Context
	base  string
	shots string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	shots := os.Getenv("LEAKSCOPE_ARTIFACTS")
	if shots != "" {
		shots = filepath.Join(shots, "screenshots")
	} else {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// Start the browser once, in a first context that stays open.
	first, cancelFirst := chromedp.NewContext(alloc)
	t.Cleanup(cancelFirst)
	if err := chromedp.Do(first, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium %s: %v", exe, err)
	}
	return &browser{t: t, alloc: first, base: base, shots: shots}
}

// tab is one browser tab in its own browser context, with the page's
// script errors, console errors and CSP violations collected.
type tab struct {
	t    *testing.T
	ctx  context.Context
	b    *browser
	mu   sync.Mutex
	errs []string
}

func (b *browser) tab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.alloc, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	tb := &tab{t: t, ctx: ctx, b: b}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the log domain: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + exceptionText(ev.ExceptionDetails)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				msg = "console.error: " + strings.Join(parts, " ")
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry != nil && ev.Entry.Level == cdplog.EntryLevelError {
				msg = "log " + string(ev.Entry.Source) + ": " + ev.Entry.Text + " " + ev.Entry.URL
			}
		}
		if msg != "" {
			tb.mu.Lock()
			tb.errs = append(tb.errs, msg)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	return tb
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d)", s, d.URL, d.LineNumber)
}

// errors returns the errors the pages reported, minus those expected
// (e.g. the 401 of a failed login, the 404 of a forbidden page),
// matched by substring.
func (tb *tab) errors(expected ...string) []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
next:
	for _, e := range tb.errs {
		for _, x := range expected {
			if strings.Contains(e, x) {
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

// checkNoErrors fails the test on any unexpected page error.
func (tb *tab) checkNoErrors(expected ...string) {
	tb.t.Helper()
	if errs := tb.errors(expected...); len(errs) > 0 {
		tb.t.Errorf("the pages reported errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

// do runs actions, failing the test with what was being done.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.shot("failed-" + safeName(what))
		tb.t.Fatalf("%s: %v (page errors: %v)", what, err, tb.errors())
	}
}

// open navigates to a path of the server and waits for sel.
func (tb *tab) open(path, sel string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.b.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// wait waits until the JavaScript expression is truthy, across page
// loads (an evaluation interrupted by a navigation is tried again).
func (tb *tab) wait(what, expr string) {
	tb.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		last = err
		select {
		case <-tb.ctx.Done():
			tb.t.Fatalf("wait for %s: %v", what, tb.ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	tb.shot("failed-" + safeName(what))
	tb.t.Fatalf("wait for %s (%s): not true after 30 s (last error %v; page errors: %v)", what, expr, last, tb.errors())
}

// eval evaluates a JavaScript expression in the page.
func evalIn[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// shot saves a full-page screenshot as NAME.png in the screenshot folder.
func (tb *tab) shot(name string) string {
	tb.t.Helper()
	buf, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(tb.b.shots, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	tb.t.Logf("screenshot: %s", path)
	return path
}

// viewShot saves a screenshot of the window only (1280x900), as the
// README shows them, as NAME.png in the screenshot folder.
func (tb *tab) viewShot(name string) {
	tb.t.Helper()
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(filepath.Join(tb.b.shots, name+".png"), buf, 0o644)
	}
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
	}
}

// login logs in through the login page and waits for the landing page.
func (tb *tab) login(name, password string) {
	tb.t.Helper()
	tb.open("/login", "#login-form")
	tb.do("log in as "+name,
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login-submit")),
	)
	tb.wait("the page after logging in as "+name, `location.pathname !== '/login' && document.body.dataset.user === `+jsString(name))
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, strings.ToLower(s))
}

// Short forms of the element actions the UI tests use.
func chromedpSendKeys(id, v string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.ID(id), v)
}

// chromedpSetValue sets a form field's value by script and fires its
// change event (for selects, and to clear fields).
func chromedpSetValue(id, v string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const e = document.getElementById(%s); e.value = %s; e.dispatchEvent(new Event('change', {bubbles: true})); })()`,
		jsString(id), jsString(v)))
}

func chromedpClick(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.ID(id))
}

func chromedpClickCSS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}
