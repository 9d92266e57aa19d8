package detect_test

import (
	"fmt"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
)

func ExampleDetector_Scan() {
	d, err := detect.New(detect.Options{})
	if err != nil {
		panic(err)
	}
	text := &leakscope.Text{Body: "My SSN is 123-45-6780; call me at (713) 853-1234.\nPassword: sunflower77"}
	for _, f := range d.Scan(nil, text) {
		fmt.Printf("%s %s %.2f %d-%d %q\n", f.Category, f.Severity, f.Confidence, f.Start, f.End, f.Snippet)
	}
	// Output:
	// ssn critical 0.95 10-21 "My SSN is ***-**-6780; call me at (***) ***-1234. Password: *…"
	// phone low 0.90 34-48 "My SSN is ***-**-6780; call me at (***) ***-1234. Password: ***********"
	// credential critical 0.75 60-71 "…0; call me at (***) ***-1234. Password: ***********"
}

func ExampleRedact() {
	d, _ := detect.New(detect.Options{})
	body := "Wire to ABA 111000012, account 3750494727 at the bank. Card 4532-0151-1283-0366."
	flags := d.Scan(nil, &leakscope.Text{Body: body})
	fmt.Println(detect.Redact(body, flags, detect.WhereBody, ""))
	// Output:
	// Wire to ABA *****0012, account ******4727 at the bank. Card ****-****-****-0366.
}

func ExampleRisk() {
	flags := []leakscope.Flag{
		{Category: leakscope.FlagSSN, Severity: "critical", Confidence: 0.95, Where: detect.WhereBody},
		{Category: leakscope.FlagPhone, Severity: "low", Confidence: 0.9, Where: detect.WhereBody},
	}
	fmt.Println(detect.Risk(flags))
	// Output:
	// 40.55
}

func ExampleNew() {
	d, err := detect.New(detect.Options{
		Rules: []detect.Rule{
			{ID: "acme.project", Category: leakscope.FlagConfidential, Severity: "high", Words: []string{"project raptor"}},
			{ID: "phone.local", Disabled: true}, // a built-in rule, turned off
		},
		CounselDomains: []string{"smithlaw.example"},
	})
	if err != nil {
		panic(err)
	}
	m := &leakscope.Message{From: leakscope.Address{Email: "jdoe@smithlaw.example"}, Subject: "Project Raptor"}
	for _, f := range d.Scan(m, nil) {
		fmt.Println(f.Where, f.Category, f.Rule, f.Snippet)
	}
	// Output:
	// subject confidential acme.project Project Raptor
	// header legal_privilege legal_privilege.counsel from counsel at smithlaw.example
}

func ExampleDetector_Identifiers() {
	d, _ := detect.New(detect.Options{})
	text := &leakscope.Text{Body: "SSN 123-45-6780, cell (713) 853-1234, mail Jane.Roe@Example.com"}
	for _, id := range d.Identifiers(nil, text) {
		fmt.Println(id.Kind, id.Value)
	}
	// Output:
	// email jane.roe@example.com
	// phone +17138531234
	// ssn 123456780
}
