package mailgen

import (
	"html"
	"strings"
	"unicode/utf8"
)

// plainStyle says how a body is written as plain text.
type plainStyle struct {
	width    int    // wrap paragraphs at this many bytes; 0 writes a paragraph on one line
	prefix   string // quote prefix of the angle style; default "> "
	listMark string // default "- "
}

// renderPlain writes blocks as a mail client writes a plain-text body.
func renderPlain(blocks []block, st plainStyle) string {
	if st.prefix == "" {
		st.prefix = "> "
	}
	if st.listMark == "" {
		st.listMark = "- "
	}
	var parts []string
	for _, b := range blocks {
		switch b.kind {
		case blockPara, blockDisclaimer:
			parts = append(parts, wrap(strings.Join(b.lines, " "), st.width))
		case blockList:
			var items []string
			for _, it := range b.lines {
				items = append(items, st.listMark+it)
			}
			parts = append(parts, strings.Join(items, "\n"))
		case blockSig:
			parts = append(parts, strings.Join(b.lines, "\n"))
		case blockQuote:
			inner := renderPlain(b.inner, st)
			switch b.style {
			case quoteOutlook:
				parts = append(parts, "-----Original Message-----\n"+strings.Join(b.header, "\n")+"\n\n"+inner)
			case quoteForward:
				parts = append(parts, "---------- Forwarded message ---------\n"+strings.Join(b.header, "\n")+"\n\n"+inner)
			default:
				var q []string
				for _, l := range strings.Split(inner, "\n") {
					if l == "" {
						q = append(q, strings.TrimRight(st.prefix, " "))
					} else {
						q = append(q, st.prefix+l)
					}
				}
				parts = append(parts, strings.Join(b.header, "\n")+"\n"+strings.Join(q, "\n"))
			}
		}
	}
	return strings.Join(parts, "\n\n")
}

// wrap breaks s into lines of at most width bytes at spaces.
func wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// renderHTML writes blocks as an HTML body, linking URLs the way Outlook
// does (the URL is the link text) and quoting with blockquote or with
// Outlook's bordered header division.
func renderHTML(blocks []block) string {
	var b strings.Builder
	b.WriteString("<html><head><style>p{margin:0}</style></head><body>")
	writeHTMLBlocks(&b, blocks)
	b.WriteString("</body></html>")
	return b.String()
}

func writeHTMLBlocks(b *strings.Builder, blocks []block) {
	for _, bl := range blocks {
		switch bl.kind {
		case blockPara:
			b.WriteString("<p>" + linkify(strings.Join(bl.lines, " ")) + "</p>\n")
		case blockDisclaimer:
			b.WriteString(`<p style="font-size:8pt;color:gray">` + html.EscapeString(strings.Join(bl.lines, " ")) + "</p>\n")
		case blockList:
			b.WriteString("<ul>")
			for _, it := range bl.lines {
				b.WriteString("<li>" + linkify(it) + "</li>")
			}
			b.WriteString("</ul>\n")
		case blockSig:
			var ls []string
			for _, l := range bl.lines {
				ls = append(ls, html.EscapeString(l))
			}
			b.WriteString("<div>" + strings.Join(ls, "<br>") + "</div>\n")
		case blockQuote:
			var hs []string
			for _, h := range bl.header {
				if k, v, ok := strings.Cut(h, ": "); ok && bl.style != quoteAngle {
					hs = append(hs, "<b>"+k+":</b> "+html.EscapeString(v))
				} else {
					hs = append(hs, html.EscapeString(h))
				}
			}
			switch bl.style {
			case quoteOutlook:
				b.WriteString(`<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p>` +
					strings.Join(hs, "<br>") + "</p></div>\n")
				writeHTMLBlocks(b, bl.inner)
			case quoteForward:
				b.WriteString("<div>---------- Forwarded message ---------<br>" + strings.Join(hs, "<br>") + "</div><br>\n")
				writeHTMLBlocks(b, bl.inner)
			default:
				b.WriteString("<div>" + strings.Join(hs, "<br>") + "</div>\n")
				b.WriteString(`<blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">`)
				writeHTMLBlocks(b, bl.inner)
				b.WriteString("</blockquote>\n")
			}
		}
	}
}

// linkify escapes s and turns its URLs into links whose text is the URL.
func linkify(s string) string {
	var b strings.Builder
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if strings.HasPrefix(w, "https://") {
			u := strings.TrimRight(w, ".,;")
			b.WriteString(`<a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + "</a>" + html.EscapeString(w[len(u):]))
			continue
		}
		b.WriteString(html.EscapeString(w))
	}
	return b.String()
}

// textStyle says how htmlToText renders the details converters disagree on.
type textStyle struct {
	link       int    // 0: the link text; 1: "text <href>"; 2: "text [href]"
	bullet     string // written before a list item: "* ", "• ", "  o ", "- "
	quote      string // prefix of blockquote lines ("> "), or "" for none
	rule       bool   // an Outlook header border becomes a line of underscores
	nbsp       bool   // &nbsp; stays U+00A0 instead of a space
	wrapAt     int    // wrap lines at this width; 0 keeps a paragraph on one line
	dropHeader bool   // drop <head> content (every converter should; some keep <title>)
}

// htmlToText is the scenario's own small HTML-to-text converter, written to
// differ from the indexer's in the ways real converters differ: link
// targets, bullets, quote markers, rules and wrapping.
func htmlToText(src string, st textStyle) string {
	var lines []string
	var cur strings.Builder
	depth := 0 // blockquote depth
	var href []string
	inHead := false
	flush := func() {
		t := strings.TrimSpace(cur.String())
		cur.Reset()
		if t == "" {
			return
		}
		prefix := strings.Repeat(st.quote, depth)
		for _, l := range strings.Split(wrap(t, st.wrapAt), "\n") {
			lines = append(lines, prefix+l)
		}
	}
	blank := func() {
		flush()
		if len(lines) > 0 && lines[len(lines)-1] != strings.TrimRight(strings.Repeat(st.quote, depth), " ") {
			lines = append(lines, strings.TrimRight(strings.Repeat(st.quote, depth), " "))
		}
	}
	for len(src) > 0 {
		lt := strings.IndexByte(src, '<')
		if lt != 0 {
			text := src
			if lt > 0 {
				text = src[:lt]
			}
			if !inHead {
				t := html.UnescapeString(strings.Join(strings.Fields(strings.ReplaceAll(text, "&nbsp;", " \u0001 ")), " "))
				if st.nbsp {
					t = strings.ReplaceAll(t, " \u0001 ", "\u00a0")
				} else {
					t = strings.ReplaceAll(t, " \u0001 ", " ")
				}
				if cur.Len() > 0 && len(text) > 0 && isSpace(text[0]) {
					cur.WriteByte(' ')
				}
				cur.WriteString(t)
				if t != "" && isSpace(text[len(text)-1]) {
					cur.WriteByte(' ')
				}
			}
			if lt < 0 {
				break
			}
			src = src[lt:]
			continue
		}
		gt := strings.IndexByte(src, '>')
		if gt < 0 {
			break
		}
		tag := src[1:gt]
		src = src[gt+1:]
		end := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimPrefix(strings.Fields(tag + " ")[0], "/"))
		switch name {
		case "head":
			inHead = !end && st.dropHeader
		case "p", "div", "ul", "ol":
			if name == "div" && !end && st.rule && strings.Contains(tag, "border-top") {
				blank()
				lines = append(lines, strings.Repeat(st.quote, depth)+"________________________________")
			}
			blank()
		case "br":
			flush()
		case "li":
			if !end {
				flush()
				cur.WriteString(st.bullet)
			} else {
				flush()
			}
		case "blockquote":
			blank()
			if end {
				depth--
			} else {
				depth++
			}
		case "a":
			if !end {
				href = append(href, attr(tag, "href"))
			} else if len(href) > 0 {
				h := href[len(href)-1]
				href = href[:len(href)-1]
				switch st.link {
				case 1:
					cur.WriteString(" <" + html.UnescapeString(h) + ">")
				case 2:
					cur.WriteString(" [" + html.UnescapeString(h) + "]")
				}
			}
		}
	}
	flush()
	for len(lines) > 0 && strings.TrimSpace(strings.Trim(lines[len(lines)-1], ">")) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// attr reads a double-quoted attribute of a tag.
func attr(tag, name string) string {
	i := strings.Index(tag, name+`="`)
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+2:]
	if j := strings.IndexByte(v, '"'); j >= 0 {
		return v[:j]
	}
	return v
}

// degrade re-encodes s into a charset without the typographic and some
// accented characters, as a re-export does, writing "?" for each
// character the charset lacks: US-ASCII (every non-ASCII character is
// lost), or ISO-8859-1 (letters with accents are kept; ’ “ ” — € and
// letters outside Latin-1, such as ł and ć, are lost).
func degrade(s string, latin1 bool) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c < utf8.RuneSelf || latin1 && c >= 0xA0 && c <= 0xFF:
			b.WriteRune(c)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// asciiName spells a name in ASCII for addresses: "Zoë Müller" becomes
// "Zoe Muller".
func asciiName(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < utf8.RuneSelf {
			b.WriteRune(c)
		} else if a, ok := translitMap[c]; ok {
			b.WriteString(a)
		}
	}
	return b.String()
}

var translitMap = map[rune]string{
	'é': "e", 'è': "e", 'ë': "e", 'á': "a", 'à': "a", 'ä': "a", 'ó': "o", 'ö': "o", 'ø': "o", 'ú': "u", 'ü': "u",
	'í': "i", 'ñ': "n", 'ç': "c", 'Ø': "O", 'Ł': "L", 'ł': "l", 'ć': "c", 'Ö': "O", 'Ü': "U", 'É': "E",
}
