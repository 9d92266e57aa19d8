package mailgen

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/exposure"
	"github.com/leakscope/leakscope/indexer/parse"
)

// smallCompany is enough threads for every kind of thread to appear.
var smallCompany = CompanyOptions{Threads: 250}

// readTree returns every file under dir by relative path, and the
// members of zip files as "path!member".
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		if err != nil || !strings.HasSuffix(path, ".zip") {
			return err
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return err
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			m, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return err
			}
			out[rel+"!"+f.Name] = m
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCompanyIsDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, w := range []struct {
		dir  string
		seed uint64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if _, err := NewCompany(CompanyOptions{Threads: 60, Seed: w.seed}).Write(w.dir); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) != len(tb) {
		t.Fatalf("seed 7 wrote %d and then %d files", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("seed 7 wrote %s differently the second time", name)
		}
	}
	same := 0
	for name, data := range ta {
		if bytes.Equal(data, tc[name]) {
			same++
		}
	}
	if same > len(ta)/2 {
		t.Errorf("seeds 7 and 8 wrote %d of %d files the same", same, len(ta))
	}
}

// TestCompanyPlantsAreDetected parses every leaked message with planted
// content as the indexer does and runs the built-in detection rules on
// it: each planted category must be flagged where it was planted.
func TestCompanyPlantsAreDetected(t *testing.T) {
	c := NewCompany(smallCompany)
	g := c.generate()
	l := g.layout()
	det, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	categories := map[string]int{} // by wave and category
	waveOf := map[string]string{}
	for _, w := range waveLayout {
		for _, b := range w.boxes {
			waveOf[b.mbox] = w.label
		}
	}
	checked := map[*cmsg]bool{}
	for mbox, f := range l.leak {
		for _, list := range f {
			for _, m := range list {
				for _, pl := range m.plants {
					categories[waveOf[mbox]+" "+pl.Category]++
				}
				if len(m.plants) == 0 || checked[m] {
					continue
				}
				checked[m] = true
				p, err := parse.Parse(renderCompany(m), "", parse.Options{})
				if err != nil {
					t.Fatalf("%s: parse %s: %v", mbox, m.messageID, err)
				}
				if len(p.Message.Warnings) > 0 {
					t.Errorf("parse %s (%q) warnings = %v, want none", m.messageID, m.subject, p.Message.Warnings)
				}
				flags, _ := det.Detect(&p.Message, &p.Text)
				reported := map[string]bool{}
				for _, pl := range m.plants {
					where := map[string]string{"body": "body", "html": "body", "attachment": "attachment"}[pl.Where]
					if reported[pl.Category+where] {
						continue
					}
					reported[pl.Category+where] = true
					if !slices.ContainsFunc(flags, func(f leakscope.Flag) bool { return f.Category == pl.Category && f.Where == where }) {
						t.Errorf("message %q (%s): no %s flag in the %s; flags %v\nbody:\n%s", m.subject, m.messageID, pl.Category, where,
							flagList(flags), p.Text.Body)
					}
				}
			}
		}
	}
	for _, cat := range []string{leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagIBAN, leakscope.FlagBankAccount,
		leakscope.FlagCredential, leakscope.FlagSecretKey, leakscope.FlagMedical, leakscope.FlagCompensation,
		leakscope.FlagLegalPrivilege, leakscope.FlagOffensive, leakscope.FlagConfidential, leakscope.FlagDateOfBirth,
		leakscope.FlagPhone, leakscope.FlagPassport} {
		for _, w := range waveLayout {
			if categories[w.label+" "+cat] == 0 {
				t.Errorf("no %s planted in %s", cat, w.label)
			}
		}
	}
}

func flagList(flags []leakscope.Flag) string {
	var out []string
	for _, f := range flags {
		out = append(out, f.Category+"@"+f.Where)
	}
	return strings.Join(out, " ")
}

func TestCompanyWrite(t *testing.T) {
	dir := t.TempDir()
	c := NewCompany(smallCompany)
	out, err := c.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Waves) != 2 || out.Waves[0].Label != "wave-1" || out.Waves[1].Label != "wave-2" {
		t.Fatalf("waves = %+v, want wave-1 and wave-2", out.Waves)
	}
	w1, w2 := out.Waves[0], out.Waves[1]
	if w1.New != w1.Messages || w1.Messages == 0 {
		t.Errorf("wave-1: %d messages, %d new; want all new", w1.Messages, w1.New)
	}
	if w2.Messages-w2.New < len(out.Republished) || len(out.Republished) == 0 || w2.New == 0 {
		t.Errorf("wave-2: %d messages, %d new, %d republished; want new ones and at least the republished ones seen before", w2.Messages, w2.New, len(out.Republished))
	}
	if len(out.Doctored) != 6 || len(out.Fabricated) != 5 {
		t.Errorf("%d doctored, %d fabricated; want 6 and 5", len(out.Doctored), len(out.Fabricated))
	}
	if total := w1.New + w2.New; total-len(out.Fabricated) > out.ArchiveMessages {
		t.Errorf("%d leaked messages besides the fabricated ones, but only %d in the archive", total-len(out.Fabricated), out.ArchiveMessages)
	}
	for _, p := range []string{"people.csv", "archive/hale-v/inbox/cur", "archive/okafor-d/sent/cur", "leak/wave-1/hale-v/sent/cur",
		"leak/wave-1/sato-m/inbox.mbox", "leak/wave-1/castellano-r.zip", "leak/wave-2/marsh-e/inbox/cur",
		"leak/wave-2/brandt-j/sent.mbox", "leak/wave-2/quaye-h.zip", "leak/wave-2/nakamura-o/inbox.mbox", "leak/wave-2/hale-v/sent.mbox"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("Write wrote no %s: %v", p, err)
		}
	}

	// The people directory reads back, with every address of the roster.
	f, err := os.Open(out.People)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	people, err := exposure.ReadPeopleCSV(f)
	if err != nil {
		t.Fatalf("ReadPeopleCSV(%s): %v", out.People, err)
	}
	if len(people) != len(c.People()) || len(people) < 55 {
		t.Fatalf("people.csv has %d people, want %d (at least 55)", len(people), len(c.People()))
	}
	for _, p := range people {
		for _, a := range p.Addresses {
			if !strings.HasSuffix(a, ".example") {
				t.Errorf("address %s of %s is not under .example", a, p.Name)
			}
		}
	}

	// The exposed employee's work and personal addresses are in both waves.
	e := out.Exposed
	if e.Personal == "" {
		t.Fatalf("exposed employee %s has no personal address", e.Name)
	}
	for _, w := range out.Waves {
		files := readTree(t, w.Path)
		for _, a := range []string{e.Email, e.Personal} {
			found := false
			for _, data := range files {
				if bytes.Contains(data, []byte(a)) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s: no message to or from %s", w.Label, a)
			}
		}
	}
}

// TestGeneratedIdentifiers checks the identifier generators against the
// validators of detection, through detection itself.
func TestGeneratedIdentifiers(t *testing.T) {
	c := NewCompany(CompanyOptions{Seed: 3})
	g := &companyGen{c: c, r: newRand(3)}
	det, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, category string
		text           func() string
	}{
		{"ssn", leakscope.FlagSSN, func() string { return "SSN: " + genSSN(g.r) }},
		{"card", leakscope.FlagCreditCard, func() string { return "Visa card number " + genCard(g.r) + " exp 09/16" }},
		{"iban gb", leakscope.FlagIBAN, func() string { return "IBAN: " + genIBAN(g.r, "GB") }},
		{"iban de", leakscope.FlagIBAN, func() string { return "IBAN: " + genIBAN(g.r, "DE") }},
		{"routing", leakscope.FlagBankAccount, func() string { return "Wire to ABA routing number " + genRouting(g.r) }},
		{"passport", leakscope.FlagPassport, func() string { return "Her passport number is " + genPassport(g.r) + "." }},
		{"phone", leakscope.FlagPhone, func() string { return "Call my cell, " + genPhone(g.r) + "." }},
		{"aws key", leakscope.FlagSecretKey, func() string { return "aws_access_key_id = " + genAWSKeyID(g.r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 200 {
				text := tc.text()
				flags, _ := det.Detect(&leakscope.Message{}, &leakscope.Text{Body: text})
				if !slices.ContainsFunc(flags, func(f leakscope.Flag) bool { return f.Category == tc.category }) {
					t.Fatalf("Detect(%q) = %v, want a %s flag", text, flagList(flags), tc.category)
				}
			}
		})
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func BenchmarkCompanyGenerate(b *testing.B) {
	c := NewCompany(CompanyOptions{})
	b.ReportAllocs()
	for b.Loop() {
		g := c.generate()
		l := g.layout()
		n := 0
		for _, m := range g.msgs {
			n += len(renderCompany(m))
		}
		b.SetBytes(int64(n))
		_ = l
	}
}

func ExampleCompany_Write() {
	dir, _ := os.MkdirTemp("", "northwind")
	defer os.RemoveAll(dir)
	leak, err := NewCompany(CompanyOptions{Threads: 50}).Write(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range leak.Waves {
		fmt.Println(w.Label, w.Published.Format("2006-01-02"), w.Mailboxes)
	}
	fmt.Println("employee:", leak.Exposed.Name, leak.Exposed.Email)
	// Output:
	// wave-1 2014-11-24 [hale-v sato-m castellano-r]
	// wave-2 2014-12-22 [marsh-e brandt-j quaye-h nakamura-o]
	// employee: Teresa Lindgren teresa.lindgren@northwind-pictures.example
}
