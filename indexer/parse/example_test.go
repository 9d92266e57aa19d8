package parse_test

import (
	"fmt"
	"log"

	"github.com/leakscope/leakscope/indexer/parse"
)

func ExampleParse() {
	raw := []byte("From: houston <.ward@example.com>\r\n" +
		"To: Team <team@example.com>\r\n" +
		"Subject: =?UTF-8?Q?Q3_r=C3=A9sum=C3=A9?=\r\n" +
		"Date: Mon, 14 May 2001 16:39:00 -0700 (PDT)\r\n" +
		"Message-ID: <1@example.com>\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n" +
		"\r\n" +
		"--b\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"\r\n" +
		"<p>Numbers attached &amp; <b>final</b>.</p><script>track()</script>\r\n" +
		"--b\r\n" +
		"Content-Type: text/csv; name=\"q3.csv\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"\r\n" +
		"cmVnaW9uLHRvdGFsCmVhc3QsNDIK\r\n" +
		"--b--\r\n")
	p, err := parse.Parse(raw, "", parse.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m := p.Message
	fmt.Println("from:", m.From.Raw, "->", m.From.Email)
	fmt.Println("subject:", m.Subject)
	fmt.Println("date:", m.Date, "from the", m.DateSource, "header")
	fmt.Println("body:", p.Text.Body)
	for i, a := range m.Attachments {
		fmt.Printf("attachment: %s %s %d bytes, text %q\n", a.Name, a.ContentType, a.Size, p.Text.Attachments[i].Text)
	}
	for _, w := range m.Warnings {
		fmt.Println("warning:", w.Code, w.Detail)
	}
	// Output:
	// from: houston <.ward@example.com> -> .ward@example.com
	// subject: Q3 résumé
	// date: 2001-05-14 23:39:00 +0000 UTC from the date header
	// body: Numbers attached & final.
	// attachment: q3.csv text/csv 21 bytes, text "region,total\neast,42"
	// warning: address From: malformed address read leniently
}
