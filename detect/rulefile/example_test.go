package rulefile_test

import (
	"fmt"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/detect/rulefile"
)

func ExampleLoad() {
	rules, err := rulefile.Load("acme.yaml", []byte(`rules:
  - id: acme.project
    category: confidential
    severity: high
    words: [project raptor]
  - id: phone.local   # a built-in rule, turned off
    disabled: true
`))
	fmt.Println(len(rules), rules[0].ID, rules[0].Source, err)

	d, err := detect.New(detect.Options{Rules: rules})
	if err != nil {
		panic(err)
	}
	// phone.local is off: the local number is not flagged.
	for _, f := range d.Scan(&leakscope.Message{Subject: "Project Raptor, call 853-1234"}, nil) {
		fmt.Println(f.Where, f.Category, f.Rule, f.Snippet)
	}

	_, err = rulefile.Load("acme.toml", []byte("[[rule]]\nid = \"acme.x\"\ncategory = \"secret\"\n"))
	fmt.Println(err)
	_, err = rulefile.Load("acme.toml", []byte("[[rule]]\nid = \"acme.x\"\nwindow = [10, 20, 30]\n"))
	fmt.Println(err)
	// Output:
	// 2 acme.project acme.yaml:2 <nil>
	// subject confidential acme.project Project Raptor, call 853-1234
	// acme.toml:1: rule "acme.x": unknown category "secret" (want one of ssn, credit_card, iban, bank_account, credential, secret_key, medical, compensation, legal_privilege, offensive, confidential, date_of_birth, phone, passport)
	// acme.toml:3: field "window": want a whole number or a list of two whole numbers [before, after]
}
