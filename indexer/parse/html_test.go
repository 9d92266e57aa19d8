package parse

import "testing"

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"line breaks", "a<br>b<br/>c", "a\nb\nc"},
		{"script and style dropped", "<style>p{color:red}</style><p>text</p><script>alert('x')</script>", "text"},
		{"head and title dropped", "<html><head><title>T</title><meta charset=utf-8></head><body>body</body></html>", "body"},
		{"entities decoded", "<p>caf&eacute; &amp; &lt;tag&gt; &#8364; &#x41; &nbsp;x</p>", "café & <tag> € A x"},
		{"white space collapsed", "<p>  a \n\t b  </p>", "a b"},
		{"pre kept", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"lists", "<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"divs", "<div>a</div><div>b</div>", "a\nb"},
		{"headings", "<h1>Title</h1>text", "Title\n\ntext"},
		{"links keep text", `<a href="http://example.com">click</a> here`, "click here"},
		{"unclosed tags", "<p>a<b>b<i>c", "abc"},
		{"comments dropped", "a<!-- hidden -->b", "ab"},
		{"noscript and template dropped", "<noscript>n</noscript><template>t</template>x", "x"},
		{"script ends at its first end tag", "<script><script></script>shown</script>too", "showntoo"},
		{"self-closing script", "<script/>x", "x"},
		{"no markup", "just text", "just text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLBody(t *testing.T) {
	p := mustParse(t, simple([]string{"Content-Type: text/html; charset=utf-8"},
		"<html><head><style>body{}</style></head><body><p>Hello&nbsp;<b>world</b></p><script>x()</script><p>caf&eacute;</p></body></html>"))
	if want := "Hello world\n\ncafé"; p.Text.Body != want {
		t.Errorf("body = %q, want %q", p.Text.Body, want)
	}
}

func TestTextForms(t *testing.T) {
	tests := []struct {
		name, ctype, body, want string
	}{
		{"flowed", "text/plain; format=flowed", "one \r\ntwo\r\n> quoted \r\n> more\r\n-- \r\nsig", "one two\n> quoted more\n-- \nsig"},
		{"flowed delsp", "text/plain; format=flowed; delsp=yes", "spl \r\nit word", "split word"},
		{"flowed space stuffing", "text/plain; format=flowed", " From here", "From here"},
		{"enriched", "text/enriched", "<bold>Hi</bold>\r\nthere\r\n\r\nnext <<x>", "Hi there\nnext <x>"},
		{"enriched param dropped", "text/enriched", "<color><param>red</param>text</color>", "text"},
		{"richtext", "text/richtext", "a<nl>b", "a\nb"},
		{"CR line ends", "text/plain", "a\rb\r\nc", "a\nb\nc"},
		{"NUL removed", "text/plain", "a\x00b", "ab"},
		{"trailing white space trimmed", "text/plain", "a  \r\n\r\n", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, simple([]string{"Content-Type: " + tt.ctype}, tt.body))
			if p.Text.Body != tt.want {
				t.Errorf("body = %q, want %q", p.Text.Body, tt.want)
			}
		})
	}
}
