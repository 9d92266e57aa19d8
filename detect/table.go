package detect

import "strings"

// Table cells take context from their column's header, as a reviewer reads
// a spreadsheet: in
//
//	name,ssn,dob
//	Jane Roe,123-45-6789,04/12/1978
//
// the date is a birth date because of "dob" three lines up, far outside
// any window. A row is a line with at least two delimiters (',', tab, '|'
// or ';'); its header is the first line of the block of lines above it
// with the same number of delimiters.

const (
	maxHeaderLines = 200     // how far up a header is looked for
	maxHeaderBytes = 1 << 16 // and how many bytes
	maxRowBytes    = 4096    // longer lines are not table rows
)

var delimiters = []byte{',', '\t', '|', ';'}

// lineAt returns the bounds of the line holding pos (without its "\n" or
// "\r\n").
func lineAt(text string, pos int) (int, int) {
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	end := len(text)
	if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
		end = pos + i
	}
	if end > start && text[end-1] == '\r' {
		end--
	}
	return start, end
}

// rowDelimiter returns the delimiter of a table row and how many it holds,
// or 0 when the line is not a row: a tab, or at least two of ',', '|' or
// ';' (one comma is prose).
func rowDelimiter(line string) (byte, int) {
	if len(line) > maxRowBytes {
		return 0, 0
	}
	best, n := byte(0), 0
	for _, d := range delimiters {
		c := strings.Count(line, string(d))
		if c > n && (c >= 2 || d == '\t') {
			best, n = d, c
		}
	}
	return best, n
}

// inTable reports cheaply whether pos lies in a line that looks like a
// table row.
func inTable(text string, pos int) bool {
	s, e := lineAt(text, pos)
	d, _ := rowDelimiter(text[s:e])
	return d != 0
}

// headerCell returns the span of the header cell above the cell holding
// pos, if pos lies in a table row below a header.
func headerCell(text string, pos int) (int, int, bool) {
	ls, le := lineAt(text, pos)
	d, n := rowDelimiter(text[ls:le])
	if d == 0 {
		return 0, 0, false
	}
	col := strings.Count(text[ls:pos], string(d))
	hs, he := ls, le
	for lines := 0; hs > 0 && lines < maxHeaderLines && ls-hs < maxHeaderBytes; lines++ {
		ps, pe := lineAt(text, hs-1)
		if pe-ps > maxRowBytes || strings.Count(text[ps:pe], string(d)) != n {
			break
		}
		hs, he = ps, pe
	}
	if hs == ls {
		return 0, 0, false // the row is the first of its block
	}
	// The col-th cell of the header line.
	cs := hs
	for i := 0; i < col; i++ {
		j := strings.IndexByte(text[cs:he], d)
		if j < 0 {
			return 0, 0, false
		}
		cs += j + 1
	}
	ce := he
	if j := strings.IndexByte(text[cs:he], d); j >= 0 {
		ce = cs + j
	}
	for cs < ce && (text[cs] == ' ' || text[cs] == '"') {
		cs++
	}
	for ce > cs && (text[ce-1] == ' ' || text[ce-1] == '"') {
		ce--
	}
	return cs, ce, ce > cs
}

// within reports whether a hit lies inside [start, end).
func within(hits []span, start, end int) bool {
	for _, h := range hits {
		if h.start >= start && h.end <= end {
			return true
		}
	}
	return false
}
