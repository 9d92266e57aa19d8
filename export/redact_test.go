package export_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/export"
)

func TestExportRedacted(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "redacted")
	sum := runExport(t, f, f.ids, out, export.Options{Redact: true})
	dat := readDAT(t, filepath.Join(out, "DATA", sum.Volume+".dat"))
	logf, err := os.Open(filepath.Join(out, "DATA", export.RedactionLogName))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	log := readCSV(t, logf)
	if len(log)-1 != sum.Redactions || sum.Redactions == 0 {
		t.Fatalf("redaction log has %d rows, summary %d redactions (want some)", len(log)-1, sum.Redactions)
	}
	logged := map[string][]string{} // bates -> categories
	for _, r := range log[1:] {
		logged[r[0]] = append(logged[r[0]], r[3])
		if !strings.HasPrefix(r[7], "[REDACTED: ") {
			t.Errorf("log row %v: replacement %q", r, r[7])
		}
	}
	byMID := map[string]map[string]string{}
	for _, row := range dat.rows {
		if row["PARENTID"] == "" {
			byMID[row["MESSAGEID"]] = row
		}
	}
	checked := 0
	for _, id := range f.ids {
		msg, err := f.db.Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := f.db.Text(ctx, id)
		row := byMID["<"+msg.MessageID+">"]
		if row == nil {
			continue // an attached message, produced in its parent's family
		}
		produced, err := os.ReadFile(windowsPath(out, row["TEXTLINK"]))
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range msg.Flags {
			if fl.Where != "body" || !slices.Contains(export.DefaultRedactCategories, fl.Category) || fl.End > len(text.Body) {
				continue
			}
			value := text.Body[fl.Start:fl.End]
			checked++
			if strings.Contains(string(produced), value) {
				t.Errorf("%s: flagged %s value still in the redacted text", row["BEGBATES"], fl.Category)
			}
			if !strings.Contains(string(produced), "[REDACTED: "+fl.Category+"]") && !slices.Contains(logged[row["BEGBATES"]], fl.Category) {
				t.Errorf("%s: %s redaction neither in the text nor in the log", row["BEGBATES"], fl.Category)
			}
			if row["NATIVELINK"] != "" {
				t.Errorf("%s: native produced although its text was redacted", row["BEGBATES"])
			}
		}
	}
	if checked < 3 {
		t.Fatalf("checked %d flagged values, want the HR mailbox's", checked)
	}
	// The attachment listing SSNs is redacted, and its native withheld.
	sheets := 0
	for _, row := range dat.rows {
		if row["FILENAME"] != "staff.csv" {
			continue
		}
		sheets++
		b, _ := os.ReadFile(windowsPath(out, row["TEXTLINK"]))
		if strings.Contains(string(b), "078-05-1121") || !strings.Contains(string(b), "[REDACTED: ssn]") || row["NATIVELINK"] != "" {
			t.Errorf("staff.csv produced as %q, native %q; want its SSNs redacted and no native", b, row["NATIVELINK"])
		}
	}
	if sheets != 1 {
		t.Errorf("staff.csv produced %d times, want once", sheets)
	}
}

func TestExportPrivileged(t *testing.T) {
	f := newFixture(t)
	privID := f.idOf(t, "pii@hr.example.com")
	familyID := f.idOf(t, "sheet@hr.example.com") // has an attachment
	tags := fakeTags{
		privID:   {{Name: leakscope.TagPrivileged, Note: "Attorney-client: benefits advice", User: "cli:counsel"}},
		familyID: {{Name: leakscope.TagPrivileged}, {Name: "hot"}},
		f.ids[0]: {{Name: "responsive"}},
	}
	tests := []struct {
		name     string
		include  bool
		withheld int
		status   string
	}{
		{"withheld", false, 2, "withheld"},
		{"included", true, 0, "produced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "p")
			sum := runExport(t, f, f.ids, out, export.Options{Tags: tags, PrivilegeLog: true, IncludePrivileged: tt.include})
			if sum.Withheld != tt.withheld {
				t.Errorf("Withheld = %d, want %d", sum.Withheld, tt.withheld)
			}
			dat := readDAT(t, filepath.Join(out, "DATA", sum.Volume+".dat"))
			present := map[string]bool{}
			for i, row := range dat.rows {
				present[row["MESSAGEID"]] = true
				if want := export.FormatBates("ACME", 7, uint64(i+1)); row["BEGBATES"] != want {
					t.Fatalf("row %d is %s, want %s: withheld messages leave no gap", i+1, row["BEGBATES"], want)
				}
				if row["MESSAGEID"] == "<list@hr.example.com>" && row["TAGS"] != "" {
					t.Errorf("untagged message has TAGS %q", row["TAGS"])
				}
			}
			for _, mid := range []string{"<pii@hr.example.com>", "<sheet@hr.example.com>"} {
				if present[mid] != tt.include {
					t.Errorf("%s in the production: %v, want %v", mid, present[mid], tt.include)
				}
			}
			lf, err := os.Open(filepath.Join(out, "DATA", export.PrivilegeLogName))
			if err != nil {
				t.Fatal(err)
			}
			defer lf.Close()
			rows := readCSV(t, lf)
			if len(rows) != 3 {
				t.Fatalf("privilege log has %d rows, want a header and 2", len(rows))
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, r := range rows[1:] {
				if r[col["STATUS"]] != tt.status || r[col["AUTHOR"]] == "" || r[col["DATESENT"]] == "" || r[col["RECIPIENTS"]] == "" || r[col["SUBJECT"]] == "" {
					t.Errorf("privilege log row %v: want status %s with date, author, recipients, subject", r, tt.status)
				}
				if r[col["MESSAGEID"]] == "<pii@hr.example.com>" && r[col["BASIS"]] != "Attorney-client: benefits advice" {
					t.Errorf("basis %q, want the tag's note", r[col["BASIS"]])
				}
				if (r[col["BEGBATES"]] != "") != tt.include {
					t.Errorf("privilege log row %v: BEGBATES given %v, want %v", r, r[col["BEGBATES"]] != "", tt.include)
				}
			}
		})
	}
}
