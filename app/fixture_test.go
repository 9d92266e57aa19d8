package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/indexer"
)

// The fixture of the search, show and stats tests: a small leak "test"
// ingested into a data directory in t.TempDir(), flagged by the built-in
// detection rules.
const (
	// report is found twice (alice/inbox, bob/sent) and flags an SSN.
	report = "Message-ID: <report@example.com>\r\nFrom: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n" +
		"Subject: Quarterly report\r\nDate: Mon, 02 Jun 2014 10:00:00 +0000\r\n\r\n" +
		"The quarterly numbers are in. Employee SSN: 536-22-1847 for payroll.\r\n"
	// reply answers report: one thread.
	reply = "Message-ID: <reply@example.com>\r\nIn-Reply-To: <report@example.com>\r\nFrom: Bob <bob@example.com>\r\n" +
		"To: Alice <alice@example.com>\r\nSubject: Re: Quarterly report\r\nDate: Tue, 03 Jun 2014 10:00:00 +0000\r\n\r\nThanks.\r\n"
	// forecast matches quarterly in its attachment only; forecastCopy is
	// the same content under another Message-ID (a duplicate).
	forecast = "Message-ID: <forecast@example.com>\r\nFrom: Carol <carol@example.com>\r\nTo: Dan <dan@example.com>\r\n" +
		"Subject: Numbers\r\nDate: Wed, 04 Jun 2014 10:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
		"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=forecast.txt\r\n\r\n" +
		"The quarterly forecast is flat.\r\n--b--\r\n"
	// twinA and twinB share a Message-ID with different content.
	twinA = "Message-ID: <twin@example.com>\r\nFrom: Eve <eve@example.com>\r\nTo: Dan <dan@example.com>\r\n" +
		"Subject: Twin\r\nDate: Thu, 05 Jun 2014 10:00:00 +0000\r\n\r\nFirst twin.\r\n"
	twinB = "Message-ID: <twin@example.com>\r\nFrom: Eve <eve@example.com>\r\nTo: Dan <dan@example.com>\r\n" +
		"Subject: Twin\r\nDate: Thu, 05 Jun 2014 10:00:00 +0000\r\n\r\nSecond twin, another text.\r\n"
)

// fixtureFiles are the fixture's files under the leak's directory:
// custodian/folder/name.
var fixtureFiles = map[string]string{
	"alice/inbox/1.eml": report,
	"bob/sent/1.eml":    report,
	"bob/inbox/2.eml":   reply,
	"carol/inbox/3.eml": forecast,
	"carol/inbox/4.eml": strings.Replace(forecast, "<forecast@", "<forecast-copy@", 1),
	"eve/sent/5.eml":    twinA,
	"eve/sent/6.eml":    twinB,
}

// fixtureMessages is the number of unique messages of the fixture.
const fixtureMessages = 6

// testApp ingests the fixture and returns its data directory, open for
// writing (tests add tags).
func testApp(t *testing.T) *App {
	t.Helper()
	ctx := context.Background()
	leak := filepath.Join(t.TempDir(), "leak")
	for name, body := range fixtureFiles {
		path := filepath.Join(leak, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	a, err := Open(ctx, filepath.Join(t.TempDir(), "data"), Options{Mode: Write})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	det, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := &leakscope.IngestRun{Leak: "test", Inputs: []string{leak}, Started: time.Now().UTC()}
	if err := a.Store.BeginRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := indexer.New(a.Store, a.Index, indexer.Options{Detector: testDetector{det}}).Run(ctx, run, run.Inputs); err != nil {
		t.Fatal(err)
	}
	return a
}

// testDetector runs the built-in rules for the indexer.
type testDetector struct{ d *detect.Detector }

func (d testDetector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	flags, _ := d.d.Detect(m, t)
	return flags, detect.Risk(flags), nil
}

// idOf returns the ID of the message with the given Message-ID (one).
func idOf(t *testing.T, a *App, messageID string) string {
	t.Helper()
	id, err := ResolveID(context.Background(), a.Store, messageID)
	if err != nil {
		t.Fatalf("ResolveID(%q) = %v", messageID, err)
	}
	return id
}
