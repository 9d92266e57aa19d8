package parse

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText renders HTML as plain text with x/net/html's tokenizer:
// script, style, head (and title) and template content is dropped, entities
// are decoded, block elements start new lines, links keep their text, and
// white space is tidied (runs collapsed outside <pre>, at most one blank
// line in a row).
func htmlToText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var t textOut
	skip := 0 // inside script, style, title, template, ...
	inHead := false
	pre := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return t.String()
		case html.TextToken:
			if skip == 0 && !inHead {
				t.text(z.Text(), pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			end := tt == html.EndTagToken
			selfClosing := tt == html.SelfClosingTagToken
			switch a {
			case atom.Script, atom.Style, atom.Title, atom.Template, atom.Noscript, atom.Object, atom.Iframe, atom.Svg:
				if selfClosing {
					break
				}
				if end {
					if skip > 0 {
						skip--
					}
				} else {
					skip++
				}
			case atom.Head:
				inHead = !end && !selfClosing
			case atom.Body:
				inHead = false
			case atom.Br:
				t.newline()
			case atom.Pre:
				t.block()
				if end {
					if pre > 0 {
						pre--
					}
				} else if !selfClosing {
					pre++
				}
			case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Blockquote, atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.Hr, atom.Section,
				atom.Article, atom.Header, atom.Footer, atom.Form, atom.Address, atom.Center:
				t.block()
			case atom.Div, atom.Li, atom.Tr, atom.Dt, atom.Dd, atom.Caption:
				t.newline()
			case atom.Td, atom.Th:
				if !end {
					t.spaceOnly()
				}
			}
		}
	}
}

// textOut collects rendered text.
type textOut struct {
	b       bytes.Buffer
	space   bool // a space is pending
	breaks  int  // line breaks pending (at most 2)
	started bool
}

func (t *textOut) text(s []byte, pre bool) {
	if pre {
		for _, line := range bytes.SplitAfter(s, []byte("\n")) {
			trimmed := bytes.TrimSuffix(line, []byte("\n"))
			if len(trimmed) > 0 {
				t.flush()
				t.b.Write(bytes.ReplaceAll(trimmed, []byte("\u00a0"), []byte(" ")))
			}
			if len(trimmed) < len(line) {
				t.newline()
			}
		}
		return
	}
	for len(s) > 0 {
		i := 0
		for i < len(s) && !htmlSpace(s, i) {
			i++
		}
		if i > 0 {
			t.flush()
			t.b.Write(s[:i])
			s = s[i:]
			continue
		}
		// a run of white space
		if s[0] == 0xC2 {
			s = s[2:] // U+00A0
		} else {
			s = s[1:]
		}
		if t.started {
			t.space = true
		}
	}
}

// htmlSpace reports whether s[i:] starts with HTML white space or a
// no-break space.
func htmlSpace(s []byte, i int) bool {
	switch s[i] {
	case ' ', '\t', '\n', '\r', '\f':
		return true
	case 0xC2:
		return i+1 < len(s) && s[i+1] == 0xA0
	}
	return false
}

func (t *textOut) flush() {
	switch {
	case !t.started:
	case t.breaks > 0:
		t.b.WriteString("\n\n"[:t.breaks])
	case t.space:
		t.b.WriteByte(' ')
	}
	t.started = true
	t.breaks, t.space = 0, false
}

func (t *textOut) newline() {
	if t.started && t.breaks < 1 {
		t.breaks = 1
	}
	t.space = false
}

func (t *textOut) block() {
	if t.started {
		t.breaks = 2
	}
	t.space = false
}

func (t *textOut) spaceOnly() {
	if t.started {
		t.space = true
	}
}

func (t *textOut) String() string { return t.b.String() }
