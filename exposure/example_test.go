package exposure_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
)

func message(id, messageID string, from leakscope.Address, date time.Time) *leakscope.Message {
	return &leakscope.Message{ID: id, MessageID: messageID, Subject: "Q3 forecast", From: from,
		Date: date.UTC(), DateRaw: date.Format(time.RFC1123Z)}
}

// A reference message is found in a leak as a re-export: the Message-ID
// is gone, the date was rewritten in UTC and the body came out of an
// HTML-to-text conversion with the link target shown. A forged message
// from the company's domain is not in the archive.
func ExampleMatcher() {
	ctx := context.Background()
	alice := leakscope.Address{Name: "Alice Abbott", Email: "alice@example.com"}
	sent := time.Date(2014, 1, 6, 9, 0, 0, 0, time.FixedZone("PST", -8*3600))

	m := exposure.NewMatcher(exposure.Options{})
	m.AddLeaked(message("leak-1", "", alice, sent.UTC()), &leakscope.Text{Body: "Forecast attached <https://files.example.com/f>. " +
		"We are 12% below plan in Europe and the board meets on Thursday to decide on the Lisbon office.\n\nBest,\nAlice"})
	m.AddLeaked(message("leak-2", "", alice, sent.Add(48*time.Hour)), &leakscope.Text{Body: "Transfer the reserve to my account today."})

	ref := message("archive-7", "<7.JavaMail@example.com>", alice, sent)
	got, err := m.Match(ctx, ref, &leakscope.Text{Body: "Forecast attached.\nWe are 12% below plan in Europe and the board\n" +
		"meets on Thursday to decide on the Lisbon office.\n\nBest,\nAlice Abbott\nFinance"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Kind, got.IDs(), got.Altered)
	fmt.Println("not in archive:", m.NotInArchive([]string{"example.com"}))
	// Output:
	// reexport [leak-1] false
	// not in archive: [leak-2]
}

func ExampleDiff() {
	fmt.Print(exposure.Diff("We met on Monday.\nThe fee is $1.2m.\nAgreed.\n", "We met on Monday.\nThe fee is $4.8m.\nAgreed.\n"))
	// Output:
	// --- a
	// +++ b
	// @@ -1,3 +1,3 @@
	//  We met on Monday.
	// -The fee is $1.2m.
	// +The fee is $4.8m.
	//  Agreed.
}

func ExampleReadPeopleCSV() {
	people, err := exposure.ReadPeopleCSV(strings.NewReader(
		"name,addresses,department,title,vip\n" +
			"Alice Abbott,alice@example.com;a.abbott@example.com,Finance,CFO,yes\n" +
			"Bob Brandt,bob@,Legal,Counsel,no\n"))
	fmt.Println(err)
	dir, _ := exposure.NewDirectory(people)
	p, ok := dir.Lookup("A.Abbott+travel@EXAMPLE.com")
	fmt.Println(p.Name, p.Title, p.VIP, ok)
	// Output:
	// line 3: column 2 (addresses): value 1 is not an e-mail address
	// line 3: no e-mail address
	// Alice Abbott CFO true true
}
