package detect

import (
	"testing"

	"github.com/leakscope/leakscope"
)

func TestMaskValue(t *testing.T) {
	tests := []struct {
		category, value, want string
	}{
		{leakscope.FlagSSN, "123-45-6789", "***-**-6789"},
		{leakscope.FlagCreditCard, "4532 0151 1283 0366", "**** **** **** 0366"},
		{leakscope.FlagIBAN, "DE89 3704 0044 0532 0130 00", "**** **** **** **** **30 00"},
		{leakscope.FlagBankAccount, "3750494727", "******4727"},
		{leakscope.FlagPhone, "(713) 853-1234", "(***) ***-1234"},
		{leakscope.FlagCredential, "s3cr3t!", "*******"},
		{leakscope.FlagSecretKey, "AKIAQWERTYUIOPASDF23", "********************"},
		{leakscope.FlagDateOfBirth, "June 15, 2000", "**** **, ****"},
		{leakscope.FlagPassport, "X12345678", "*********"},
		{leakscope.FlagCompensation, "$120,000/yr", "$***,***/yr"},
		{leakscope.FlagMedical, "knee surgery", "k*** s******"},
		{leakscope.FlagOffensive, "bullshit", "b*******"},
		{leakscope.FlagLegalPrivilege, "Attorney Work Product", "Attorney Work Product"},
		{leakscope.FlagConfidential, "CONFIDENTIAL", "CONFIDENTIAL"},
	}
	for _, tt := range tests {
		t.Run(tt.category, func(t *testing.T) {
			got := string(maskValue(tt.category, tt.value))
			if got != tt.want {
				t.Errorf("maskValue(%q, %q) = %q, want %q", tt.category, tt.value, got, tt.want)
			}
			if len(got) != len(tt.value) {
				t.Errorf("maskValue(%q) changed the length", tt.value)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	body := "SSN 123-45-6789, phone 713-853-1234."
	flags := []leakscope.Flag{
		{Category: leakscope.FlagSSN, Where: WhereBody, Start: 4, End: 15},
		{Category: leakscope.FlagPhone, Where: WhereBody, Start: 23, End: 35},
		{Category: leakscope.FlagPhone, Where: WhereAttachment, Attachment: "a.txt", Start: 0, End: 5},
		{Category: leakscope.FlagSSN, Where: WhereBody, Start: 30, End: 90}, // outside the text: ignored
	}
	if got, want := Redact(body, flags, WhereBody, ""), "SSN ***-**-6789, phone ***-***-1234."; got != want {
		t.Errorf("Redact(body) = %q, want %q", got, want)
	}
	att := "12345678 and more"
	if got, want := Redact(att, flags, WhereAttachment, "a.txt"), "*2345678 and more"; got != want {
		t.Errorf("Redact(a.txt) = %q, want %q", got, want)
	}
	if got := Redact(att, flags, WhereAttachment, "b.txt"); got != att {
		t.Errorf("Redact(b.txt) = %q, want it unchanged", got)
	}
}

// TestRedactOverlap: overlapping findings are masked as the union of their
// masks, in either order (an SSN's mask keeps its last digits, which must
// not undo the password mask over them).
func TestRedactOverlap(t *testing.T) {
	body := "pw 123-45-6789"
	ssn := leakscope.Flag{Category: leakscope.FlagSSN, Where: WhereBody, Start: 3, End: 14}
	pw := leakscope.Flag{Category: leakscope.FlagCredential, Where: WhereBody, Start: 3, End: 14}
	for _, flags := range [][]leakscope.Flag{{ssn, pw}, {pw, ssn}} {
		if got, want := Redact(body, flags, WhereBody, ""), "pw ***********"; got != want {
			t.Errorf("Redact with %s then %s = %q, want %q", flags[0].Category, flags[1].Category, got, want)
		}
	}
}
