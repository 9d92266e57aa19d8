package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
)

// Concordance DAT delimiters (see doc.go).
const (
	datSeparator = "\x14"   // ASCII 20 (DC4) between fields
	datQuote     = "\u00fe" // þ (254) around every value
	datNewline   = "\u00ae" // ® (174) for a line break inside a value
	datRecordEnd = "\r\n"
	utf8BOM      = "\ufeff"
)

// datValue makes s safe inside a DAT field: line breaks become ®, and the
// delimiters themselves (þ, DC4 and ®), which no reader could tell from
// structure, become U+FFFD.
var datValue = strings.NewReplacer(
	"\r\n", datNewline, "\n", datNewline, "\r", datNewline,
	datQuote, "\ufffd", datSeparator, "\ufffd", datNewline, "\ufffd",
)

// datWriter writes a Concordance DAT load file: UTF-8 with a byte order
// mark, a header row, every value between þ quotes, fields separated by
// DC4, records ended by CR LF.
type datWriter struct {
	w *bufio.Writer
}

func newDATWriter(w io.Writer) (*datWriter, error) {
	d := &datWriter{w: bufio.NewWriterSize(w, 64<<10)}
	d.w.WriteString(utf8BOM)
	return d, d.row(Fields)
}

func (d *datWriter) row(values []string) error {
	for i, v := range values {
		if i > 0 {
			d.w.WriteString(datSeparator)
		}
		d.w.WriteString(datQuote)
		d.w.WriteString(datValue.Replace(v))
		d.w.WriteString(datQuote)
	}
	_, err := d.w.WriteString(datRecordEnd)
	return err
}

func (d *datWriter) flush() error { return d.w.Flush() }

// csvWriter writes the CSV load file for people without a review platform:
// RFC 4180 with a header row and CR LF line ends, UTF-8 with a byte order
// mark (so that spreadsheet programs read it as UTF-8), links with '/'. A
// value starting with '=', '+', '-', '@', a tab or a CR gets a leading "'"
// so that a spreadsheet does not run a leaked subject as a formula (OWASP
// CSV injection).
type csvWriter struct {
	buf *bufio.Writer
	w   *csv.Writer
}

func newCSVWriter(w io.Writer) (*csvWriter, error) {
	buf := bufio.NewWriterSize(w, 64<<10)
	buf.WriteString(utf8BOM)
	c := &csvWriter{buf: buf, w: csv.NewWriter(buf)}
	c.w.UseCRLF = true
	return c, c.w.Write(Fields)
}

func (c *csvWriter) row(values []string) error {
	for i, v := range values {
		values[i] = csvSafe(v)
	}
	return c.w.Write(values)
}

func csvSafe(v string) string {
	if v != "" && strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
		return "'" + v
	}
	return v
}

func (c *csvWriter) flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}
