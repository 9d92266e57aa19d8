package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The readers below are written from the format description (doc.go and
// the issue), not from the writers' code: they are what a review
// platform's importer would do.

// datFile is a parsed DAT load file.
type datFile struct {
	header []string
	rows   []map[string]string
	order  [][]string
}

// readDAT parses a Concordance DAT file: UTF-8 with a byte order mark,
// one record per CR LF line, each value between þ (U+00FE), values
// separated by ASCII 20, ® (U+00AE) standing for a line break in a value,
// the first record naming the fields.
func readDAT(t *testing.T, path string) *datFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseDAT(t, b)
}

func parseDAT(t *testing.T, b []byte) *datFile {
	t.Helper()
	bom := []byte{0xEF, 0xBB, 0xBF}
	if !bytes.HasPrefix(b, bom) {
		t.Fatalf("DAT file does not start with a UTF-8 byte order mark: % x", b[:min(3, len(b))])
	}
	s := string(b[len(bom):])
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("DAT file does not end with CR LF")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	const quote, sep, newline = "\u00fe", "\x14", "\u00ae"
	d := &datFile{}
	for n, line := range lines {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("DAT line %d holds a bare line break", n+1)
		}
		if !strings.HasPrefix(line, quote) || !strings.HasSuffix(line, quote) || len(line) < 2*len(quote) {
			t.Fatalf("DAT line %d is not enclosed in þ: %q", n+1, line)
		}
		values := strings.Split(line[len(quote):len(line)-len(quote)], quote+sep+quote)
		for i := range values {
			if strings.Contains(values[i], quote) || strings.Contains(values[i], sep) {
				t.Fatalf("DAT line %d value %d holds a stray delimiter: %q", n+1, i+1, values[i])
			}
			values[i] = strings.ReplaceAll(values[i], newline, "\n")
		}
		if n == 0 {
			d.header = values
			continue
		}
		if len(values) != len(d.header) {
			t.Fatalf("DAT line %d has %d values, the header %d", n+1, len(values), len(d.header))
		}
		row := map[string]string{}
		for i, v := range values {
			row[d.header[i]] = v
		}
		d.rows = append(d.rows, row)
		d.order = append(d.order, values)
	}
	return d
}

// readCSV parses a CSV load file (RFC 4180, byte order mark, header row).
func readCSV(t *testing.T, r io.Reader) [][]string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return rows
}

// edrmDoc is what a test reads of one EDRM XML Document.
type edrmDoc struct {
	DocID, DocType string
	Files          map[string]edrmFile // by FileType
	Tags           map[string]string
}

type edrmFile struct {
	Path, Name, Hash string
	Size             int64
}

// readEDRM parses an EDRM XML file with a strict decoder (the whole file
// must be well-formed) and returns its documents, in order, and its
// relationships as parent -> children.
func readEDRM(t *testing.T, path string) ([]edrmDoc, map[string][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var docs []edrmDoc
	rels := map[string][]string{}
	var cur *edrmDoc
	var fileType string
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("EDRM XML is not well-formed: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch el.Name.Local {
			case "Root":
				if len(stack) != 0 || attr["MajorVersion"] != "1" || attr["MinorVersion"] != "2" {
					t.Fatalf("EDRM root %v at depth %d, want version 1.2 at the top", attr, len(stack))
				}
			case "Document":
				docs = append(docs, edrmDoc{DocID: attr["DocID"], DocType: attr["DocType"], Files: map[string]edrmFile{}, Tags: map[string]string{}})
				cur = &docs[len(docs)-1]
			case "File":
				fileType = attr["FileType"]
			case "ExternalFile":
				var size int64
				fmt.Sscan(attr["FileSize"], &size)
				cur.Files[fileType] = edrmFile{Path: attr["FilePath"], Name: attr["FileName"], Hash: attr["Hash"], Size: size}
			case "Tag":
				cur.Tags[attr["TagName"]] = attr["TagValue"]
			case "Relationship":
				if attr["Type"] != "Attachment" {
					t.Errorf("relationship type %q, want Attachment", attr["Type"])
				}
				rels[attr["ParentDocID"]] = append(rels[attr["ParentDocID"]], attr["ChildDocID"])
			}
			stack = append(stack, el.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("EDRM XML ends inside %v", stack)
	}
	return docs, rels
}

// windowsPath turns a load-file link into a path under root.
func windowsPath(root, link string) string {
	return filepath.Join(root, filepath.FromSlash(strings.ReplaceAll(link, `\`, "/")))
}
