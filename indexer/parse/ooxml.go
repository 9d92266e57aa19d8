package parse

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Bounds on reading Office Open XML attachments (zip bombs).
const (
	maxOOXMLEntry   = 64 << 20 // decompressed bytes read from one zip entry
	maxOOXMLTotal   = 64 << 20 // decompressed bytes read from one document
	maxOOXMLEntries = 10000    // zip entries looked at
)

var errOOXMLTooBig = errors.New("decompressed size over the limit")

// isZip reports whether data starts like a zip archive.
func isZip(data []byte) bool {
	return len(data) > 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4
}

// ooxmlText extracts the text of a docx, xlsx or pptx document (and their
// macro-enabled and template variants), recognised by its
// [Content_Types].xml. ok is false when data is not such a document.
func ooxmlText(data []byte, maxText int) (text string, ok bool, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", false, nil
	}
	if len(zr.File) > maxOOXMLEntries {
		return "", true, fmt.Errorf("zip has %d entries", len(zr.File))
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		files[f.Name] = f
	}
	ct, found := files["[Content_Types].xml"]
	if !found {
		return "", false, nil
	}
	rd := &ooxmlReader{budget: maxOOXMLTotal}
	types, err := rd.read(ct)
	if err != nil {
		return "", true, err
	}
	var out strings.Builder
	switch {
	case bytes.Contains(types, []byte("wordprocessingml")) || bytes.Contains(types, []byte("ms-word")):
		f := files["word/document.xml"]
		if f == nil {
			return "", true, errors.New("docx without word/document.xml")
		}
		err = rd.xmlText(&out, f, "p", "t", maxText)
	case bytes.Contains(types, []byte("spreadsheetml")) || bytes.Contains(types, []byte("ms-excel")):
		err = rd.xlsx(&out, files, maxText)
	case bytes.Contains(types, []byte("presentationml")) || bytes.Contains(types, []byte("ms-powerpoint")):
		for _, f := range numbered(files, "ppt/slides/slide", ".xml") {
			if err = rd.xmlText(&out, f, "p", "t", maxText); err != nil {
				break
			}
			out.WriteByte('\n')
		}
	default:
		return "", false, nil
	}
	return out.String(), true, err
}

// ooxmlReader reads zip entries within a total decompression budget.
type ooxmlReader struct {
	budget int64
}

func (r *ooxmlReader) open(f *zip.File) (io.Reader, io.Closer, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	n := min(int64(maxOOXMLEntry), r.budget)
	return &budgetReader{r: rc, n: n, owner: r}, rc, nil
}

func (r *ooxmlReader) read(f *zip.File) ([]byte, error) {
	rd, c, err := r.open(f)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return io.ReadAll(rd)
}

// budgetReader fails once it has read n bytes or its owner's budget.
type budgetReader struct {
	r     io.Reader
	n     int64
	owner *ooxmlReader
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n <= 0 || b.owner.budget <= 0 {
		return 0, errOOXMLTooBig
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	b.owner.budget -= int64(n)
	return n, err
}

// xmlText writes the character data of elements named text (local name),
// one line per element named para; tab and br elements give a tab and a line
// break.
func (r *ooxmlReader) xmlText(out *strings.Builder, f *zip.File, para, text string, maxText int) error {
	rd, c, err := r.open(f)
	if err != nil {
		return err
	}
	defer c.Close()
	d := xml.NewDecoder(rd)
	d.Strict = false
	inText := 0
	for out.Len() < maxText {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case text:
				inText++
			case "tab":
				out.WriteByte('\t')
			case "br", "cr":
				out.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case text:
				if inText > 0 {
					inText--
				}
			case para:
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inText > 0 {
				out.Write(t)
			}
		}
	}
	return nil
}

// xlsx writes the cells of every sheet, a row per line and cells separated
// by tabs: shared strings resolved, inline strings and numbers as written.
func (r *ooxmlReader) xlsx(out *strings.Builder, files map[string]*zip.File, maxText int) error {
	var shared []string
	if f := files["xl/sharedStrings.xml"]; f != nil {
		var err error
		if shared, err = r.sharedStrings(f, maxText); err != nil {
			return err
		}
	}
	for _, f := range numbered(files, "xl/worksheets/sheet", ".xml") {
		if err := r.sheet(out, f, shared, maxText); err != nil {
			return err
		}
	}
	return nil
}

func (r *ooxmlReader) sharedStrings(f *zip.File, maxText int) ([]string, error) {
	rd, c, err := r.open(f)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	d := xml.NewDecoder(rd)
	d.Strict = false
	var out []string
	var cur strings.Builder
	inSI, inT, total := false, false, 0
	for total < maxText {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, fmt.Errorf("read %s: %w", f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "t":
				inT = inSI
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				out = append(out, cur.String())
				total += cur.Len()
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				cur.Write(t)
			}
		}
	}
	return out, nil
}

func (r *ooxmlReader) sheet(out *strings.Builder, f *zip.File, shared []string, maxText int) error {
	rd, c, err := r.open(f)
	if err != nil {
		return err
	}
	defer c.Close()
	d := xml.NewDecoder(rd)
	d.Strict = false
	cellType := ""
	inV, inT, firstCell := false, false, true
	var val strings.Builder
	for out.Len() < maxText {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				firstCell = true
			case "c":
				cellType = ""
				for _, a := range t.Attr {
					if a.Name.Local == "t" {
						cellType = a.Value
					}
				}
				val.Reset()
			case "v":
				inV = true
			case "t":
				inT = cellType == "inlineStr"
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "c":
				v := val.String()
				if cellType == "s" {
					if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(shared) {
						v = shared[i]
					}
				}
				if v != "" {
					if !firstCell {
						out.WriteByte('\t')
					}
					out.WriteString(v)
					firstCell = false
				}
			case "row":
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inV || inT {
				val.Write(t)
			}
		}
	}
	return nil
}

// numbered returns the entries prefix<N>suffix sorted by N.
func numbered(files map[string]*zip.File, prefix, suffix string) []*zip.File {
	type entry struct {
		n int
		f *zip.File
	}
	var list []entry
	for name, f := range files {
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) {
			continue
		}
		n, err := strconv.Atoi(name[len(prefix) : len(name)-len(suffix)])
		if err != nil {
			continue
		}
		list = append(list, entry{n, f})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].n < list[j].n })
	out := make([]*zip.File, len(list))
	for i, e := range list {
		out[i] = e.f
	}
	return out
}
