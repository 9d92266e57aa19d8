package detect

import (
	"slices"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestNormalizeValue(t *testing.T) {
	for _, tc := range []struct {
		name, category, value, want string
	}{
		{"ssn with dashes", leakscope.FlagSSN, "536-22-1847", "536221847"},
		{"ssn digits", leakscope.FlagSSN, "536221847", "536221847"},
		{"ssn with spaces", leakscope.FlagSSN, " 536 22 1847 ", "536221847"},
		{"ssn with letters", leakscope.FlagSSN, "ab-536-22-1847", ""},
		{"ssn masked", leakscope.FlagSSN, "***-**-1847", ""},
		{"card", leakscope.FlagCreditCard, "4556 7375 8689 9855", "4556737586899855"},
		{"account", leakscope.FlagBankAccount, "3592012397", "3592012397"},
		{"iban", leakscope.FlagIBAN, "de08 0990 7510 4076 7094 58", "DE08099075104076709458"},
		{"iban with a dash", leakscope.FlagIBAN, "DE08-0990", ""},
		{"phone", leakscope.FlagPhone, "(213) 555-0828", "+12135550828"},
		{"phone digits", leakscope.FlagPhone, "2135550828", "+12135550828"},
		{"phone international", leakscope.FlagPhone, "+44 20 7467 3667", "+442074673667"},
		{"phone word", leakscope.FlagPhone, "call", ""},
		{"passport", leakscope.FlagPassport, "c01x-00t47", "C01X00T47"},
		{"birth date in words", leakscope.FlagDateOfBirth, "May 6, 1979", "1979-05-06"},
		{"birth date numeric", leakscope.FlagDateOfBirth, "05/06/1979", "1979-05-06"},
		{"birth date ISO", leakscope.FlagDateOfBirth, "1979-05-06", "1979-05-06"},
		{"birth date day first", leakscope.FlagDateOfBirth, "28.02.2009", "2009-02-28"},
		{"birth date without year", leakscope.FlagDateOfBirth, "July 12th", "0000-07-12"},
		{"not a date", leakscope.FlagDateOfBirth, "536221847", ""},
		{"password", leakscope.FlagCredential, "Cobalt-6425%", "Cobalt-6425%"},
		{"password, white space", leakscope.FlagCredential, "correct  horse\nbattery", "correct horse battery"},
		{"key", leakscope.FlagSecretKey, "AKIARIL3SNY7WJ7CQHOJ", "AKIARIL3SNY7WJ7CQHOJ"},
		{"pay", leakscope.FlagCompensation, "$1,025,000", "1025000"},
		{"pay with a unit", leakscope.FlagCompensation, "USD 85K per year", "85kperyear"},
		{"pay without digits", leakscope.FlagCompensation, "salary", ""},
		{"medical", leakscope.FlagMedical, "Crohn's  Disease", "crohns disease"},
		{"offensive", leakscope.FlagOffensive, "JACKASS", "jackass"},
		{"marker", leakscope.FlagConfidential, "confidential", ""},
		{"empty", leakscope.FlagSSN, "  ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NormalizeValue(tc.category, tc.value); got != tc.want {
				t.Errorf("NormalizeValue(%q, %q) = %q, want %q", tc.category, tc.value, got, tc.want)
			}
		})
	}
}

// The identifier categories are normalised as the store's identifiers, so
// that one value has one keyed hash.
func TestNormalizeValueAsIdentifiers(t *testing.T) {
	d, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := "SSN 536-22-1847, card 4556 7375 8689 9855, call (713) 853-1234, IBAN DE89 3704 0044 0532 0130 00."
	flags, ids := d.Detect(&leakscope.Message{}, &leakscope.Text{Body: body})
	if len(ids) < 4 {
		t.Fatalf("Detect found %v, want an SSN, a card, a phone and an IBAN", ids)
	}
	for _, f := range flags {
		id := leakscope.Identifier{Kind: f.Category, Value: NormalizeValue(f.Category, body[f.Start:f.End])}
		if !slices.ContainsFunc(ids, func(x Identifier) bool { return x.Kind == id.Kind && x.Value == id.Value }) {
			t.Errorf("NormalizeValue(%q, %q) = %q, not among the identifiers %v", f.Category, body[f.Start:f.End], id.Value, ids)
		}
	}
}

func TestLookupForms(t *testing.T) {
	got := LookupForms("536-22-1847")
	kinds := map[string]string{}
	for _, id := range got {
		kinds[id.Kind] = id.Value
	}
	for kind, want := range map[string]string{
		leakscope.FlagSSN: "536221847", leakscope.FlagPhone: "536221847", leakscope.FlagCredential: "536-22-1847",
		leakscope.FlagOffensive: "536 22 1847",
	} {
		if kinds[kind] != want {
			t.Errorf("LookupForms(536-22-1847) has %s %q, want %q (all: %v)", kind, kinds[kind], want, got)
		}
	}
	if _, ok := kinds[leakscope.FlagDateOfBirth]; ok {
		t.Errorf("LookupForms(536-22-1847) = %v: not a date", got)
	}
}

// FuzzNormalizeValue checks, for every masked category and any text: the
// normal form is its own normal form (what the index hashes, a query typed
// as the normal form finds), and a value masked as Redact masks it never
// has the value's normal form (the masked text of the index cannot stand
// for the value).
func FuzzNormalizeValue(f *testing.F) {
	for _, s := range []string{"536-22-1847", "4556 7375 8689 9855", "(213) 555-0828", "May 6, 1979", "05/06/79",
		"Cobalt-6425%", "$1,025,000", "Crohn's disease", "DE08 0990 7510 4076 7094 58", "+44(0)20 7467 3667"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, c := range leakscope.MaskedFlags {
			n := NormalizeValue(c, v)
			if n == "" {
				continue
			}
			if again := NormalizeValue(c, n); again != n {
				t.Errorf("NormalizeValue(%q, %q) = %q, whose normal form is %q", c, v, n, again)
			}
			masked := string(maskValue(c, v))
			// (A mask that hides no word, such as a medical finding of
			// one-letter words, shows the value as it is.)
			if !slices.Equal(valueWords(masked), valueWords(v)) && NormalizeValue(c, masked) == n {
				t.Errorf("NormalizeValue(%q) of %q and of its mask %q are both %q", c, v, masked, n)
			}
		}
	})
}
