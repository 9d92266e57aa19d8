package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakscope/leakscope/api"
)

// servePassword is every test user's password.
const servePassword = "test password 1234"

// Attachments of the message attach@example.com.
var (
	notesTxt   = "Meeting notes: nothing sensitive here.\n"
	payrollCSV = "name,ssn,dept\nBob Smith,536-44-9876,sales\n"
	photoPNG   = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 250}, 40)...)
)

// serveMbox writes the leak the server tests use: messages Jane
// (jane.doe@example.com) sent, received or is mentioned in, and messages
// she is not party to, with planted sensitive values.
func serveMbox(t *testing.T) string {
	t.Helper()
	type msg struct{ id, from, to, subject, headers, body string }
	png := base64.StdEncoding.EncodeToString(photoPNG)
	msgs := []msg{
		{"pii@example.com", "Jane Doe <jane.doe@example.com>", "hr@example.com", "Benefits enrolment", "",
			"Hi HR,\nmy SSN is 536-22-1847 and the card for the deposit is 4556 7375 8689 9855.\nCall me at (713) 853-1234.\nJane"},
		{"pwd@example.com", "it@example.com", "Jane Doe <jane.doe@example.com>", "VPN access", "",
			"Your account is ready.\nUsername: jdoe\nPassword: Tr0ub4dor&3\nPlease change it after logging in."},
		{"mention@example.com", "carl@example.com", "dave@example.com", "Budget", "",
			"Ask jane.doe@example.com about the budget."},
		{"other@example.com", "ceo@example.com", "board@example.com", "Board pay", "",
			"For the record, my SSN is 536-44-1234. Keep it quiet."},
		{"decoy@example.com", "carl@example.com", "xjane.doe@example.com", "Lookalike", "",
			"Hello xjane.doe@example.com, this is not Jane."},
		{"attach@example.com", "jane.doe@example.com", "hr@example.com", "Files", "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=BOUND\n",
			"--BOUND\nContent-Type: text/plain\n\nFiles attached.\n" +
				"--BOUND\nContent-Type: text/plain; name=notes.txt\nContent-Disposition: attachment; filename=notes.txt\n\n" + notesTxt +
				"--BOUND\nContent-Type: text/csv; name=payroll.csv\nContent-Disposition: attachment; filename=payroll.csv\n\n" + payrollCSV +
				"--BOUND\nContent-Type: image/png; name=photo.png\nContent-Disposition: attachment; filename=photo.png\nContent-Transfer-Encoding: base64\n\n" + png + "\n" +
				"--BOUND--"},
		{"html@example.com", "bob@example.com", "jane.doe@example.com", "Newsletter", "MIME-Version: 1.0\nContent-Type: text/html\n",
			"<html><body><script>alert('x')</script><p>Hello <b>Jane</b></p></body></html>"},
	}
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "From sender@example.com Mon Nov 24 10:0%d:00 2014\n", i)
		fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: %s\nDate: Mon, 24 Nov 2014 10:0%d:00 +0000\nMessage-ID: <%s>\n%s\n%s\n\n",
			m.from, m.to, m.subject, i, m.id, m.headers, m.body)
	}
	path := filepath.Join(t.TempDir(), "leak.mbox")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// janeSees are the messages of serveMbox Jane may see.
var janeSees = []string{"pii@example.com", "pwd@example.com", "mention@example.com", "attach@example.com", "html@example.com"}

// runIn runs the CLI in-process with stdin.
func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(stdin), &out, &errb)
	m.getenv = func(string) string { return "" }
	ctx := context.Background()
	code := m.exitCode(ctx, m.Run(ctx, args))
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// addUser creates a user with servePassword through the CLI.
func addTestUser(t *testing.T, data, name, role string, emails ...string) {
	t.Helper()
	args := []string{"user", "add", "--data", data, "--role", role, "--password-stdin", name}
	if len(emails) > 0 {
		args = append(args, "--email", strings.Join(emails, ","))
	}
	if r := runIn(t, servePassword+"\n", args...); r.code != 0 {
		t.Fatalf("leakscope %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
}

// apiServer is a server running in-process on 127.0.0.1:0.
type apiServer struct {
	base string
	stop func()
}

func startAPIServer(t *testing.T, data string, opts api.Options) *apiServer {
	t.Helper()
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard)
	m.getenv = func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	srv, d, err := m.newServer(ctx, &common{data: data, logLevel: "error", logFormat: "text"}, opts)
	if err != nil {
		cancel()
		t.Fatalf("newServer: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		d.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	var once sync.Once
	ts := &apiServer{base: "http://" + ln.Addr().String()}
	ts.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
			d.Close()
		})
	}
	t.Cleanup(ts.stop)
	return ts
}

// apiClient is one API caller: a cookie jar for a session, or a bearer token.
type apiClient struct {
	t      *testing.T
	name   string
	base   string
	hc     *http.Client
	csrf   string
	bearer string
}

func (ts *apiServer) client(t *testing.T, name string) *apiClient {
	jar, _ := cookiejar.New(nil)
	return &apiClient{t: t, name: name, base: ts.base, hc: &http.Client{Jar: jar}}
}

// do sends a request (body, when not nil, as JSON) and returns the
// response with its body read.
func (c *apiClient) do(method, path string, body any, header ...string) (*http.Response, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set(api.CSRFHeader, c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

// get sends a GET and decodes a 200 answer into v.
func (c *apiClient) get(path string, v any) {
	c.t.Helper()
	resp, b := c.do("GET", path, nil)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s: GET %s = %d %s", c.name, path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		c.t.Fatalf("%s: GET %s: decode %q: %v", c.name, path, b, err)
	}
}

// login logs in with the name and servePassword, keeping the CSRF token.
func (c *apiClient) login(name string) *http.Response {
	c.t.Helper()
	resp, b := c.do("POST", "/api/v1/login", map[string]string{"name": name, "password": servePassword})
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("login %s = %d %s", name, resp.StatusCode, b)
	}
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	json.Unmarshal(b, &s)
	if s.CSRF == "" {
		c.t.Fatalf("login %s: no csrf_token in %s", name, b)
	}
	c.csrf = s.CSRF
	return resp
}

// errorCode returns the code of a JSON error answer, failing the test
// when the body is not {"error": {"code", "message"}}.
func apiErrorCode(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error answer %q is not {\"error\": {\"code\", \"message\"}}", b)
	}
	return e.Error.Code
}

// searchPage is the part of a GET /search answer the tests read.
type searchPage struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID         string   `json:"id"`
		MessageID  string   `json:"message_id"`
		Subject    string   `json:"subject"`
		Flags      []string `json:"flags"`
		Snippet    string   `json:"snippet"`
		Highlights [][2]int `json:"highlights"`
	} `json:"hits"`
	Facets []api.Facet `json:"facets"`
	Next   string      `json:"next"`
}

func (p searchPage) messageIDs() map[string]bool {
	out := map[string]bool{}
	for _, h := range p.Hits {
		out[h.MessageID] = true
	}
	return out
}

// serveData indexes serveMbox and creates the test users.
func serveData(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "hr", "--no-progress", serveMbox(t))
	addTestUser(t, data, "root", "admin")
	addTestUser(t, data, "ann", "analyst")
	addTestUser(t, data, "cora", "counsel")
	addTestUser(t, data, "jane", "employee", "Jane.Doe@example.com")
	addTestUser(t, data, "eve", "employee", "eve@example.com")
	addTestUser(t, data, "dis", "analyst")
	addTestUser(t, data, "tok", "analyst")
	addTestUser(t, data, "victim", "analyst")
	return data
}

// newToken makes an API token with the CLI and returns it and its id.
func newTestToken(t *testing.T, data, name string) (secret, id string) {
	t.Helper()
	r := run(t, "user", "token", "--data", data, name)
	secret = strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(secret, "lsk_") {
		t.Fatalf("user token %s: exit %d, stdout %q, stderr %q", name, r.code, r.stdout, r.stderr)
	}
	if _, after, ok := strings.Cut(r.stderr, "token "); ok {
		id, _, _ = strings.Cut(after, " ")
	}
	if len(id) != 16 {
		t.Fatalf("user token %s: no token id in %q", name, r.stderr)
	}
	return secret, id
}

// selfSignedCert writes a certificate and key for 127.0.0.1.
func selfSignedCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "leakscope test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

// TestServeProcess runs `leakscope serve` as a real process over TLS on a
// free port, logs in, and stops it with SIGINT: it exits 0.
func TestServeProcess(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, "index", "--data", data, "--leak", "hr", "--no-progress", sensitiveMbox(t))
	addTestUser(t, data, "root", "admin")
	certFile, keyFile := selfSignedCert(t)

	cmd := leakscopeCmd("serve", "--data", data, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve printed nothing in 30s; stderr: %s", stderr.String())
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "leakscope: serving ")
	if !ok || !strings.HasPrefix(base, "https://127.0.0.1:") || !strings.HasSuffix(base, "/api/v1/") {
		t.Fatalf("serve printed %q, want its https address", line)
	}
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, name: "root", base: strings.TrimSuffix(base, "/api/v1/"), hc: &http.Client{Jar: jar,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}}
	resp := c.login("root")
	if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q over TLS", hsts)
	}
	for _, k := range resp.Cookies() {
		if k.Name == api.SessionCookie && !k.Secure {
			t.Errorf("session cookie over TLS is not Secure: %+v", k)
		}
	}
	var page searchPage
	c.get("/api/v1/search?q=flag:ssn", &page)
	if page.Total != 1 {
		t.Errorf("search flag:ssn total %d, want 1", page.Total)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGINT: %v (want exit 0); stderr: %s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of SIGINT")
	}
	// The store was released: the audit log can be read and verified.
	r := run(t, "audit", "--data", data, "--verify")
	if r.code != 0 || !strings.Contains(r.stdout, "3 entries") {
		t.Errorf("audit --verify after serve: exit %d, %s%s; want 3 entries (user.add, login, search)", r.code, r.stdout, r.stderr)
	}
}
