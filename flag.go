package leakscope

// Flag categories (stable names; see DESIGN.md).
const (
	FlagSSN            = "ssn"
	FlagCreditCard     = "credit_card"
	FlagIBAN           = "iban"
	FlagBankAccount    = "bank_account"
	FlagCredential     = "credential"
	FlagSecretKey      = "secret_key"
	FlagMedical        = "medical"
	FlagCompensation   = "compensation"
	FlagLegalPrivilege = "legal_privilege"
	FlagOffensive      = "offensive"
	FlagConfidential   = "confidential"
	FlagDateOfBirth    = "date_of_birth"
	FlagPhone          = "phone"
	FlagPassport       = "passport"
)

// MaskedFlags are the categories whose values redaction masks for the
// roles that see values redacted: every category but the markers
// legal_privilege and confidential. Each is also a query field (Value
// fields).
var MaskedFlags = []string{FlagSSN, FlagCreditCard, FlagIBAN, FlagBankAccount, FlagPhone, FlagDateOfBirth, FlagPassport,
	FlagCredential, FlagSecretKey, FlagCompensation, FlagMedical, FlagOffensive}

// IsValueField reports whether a query field is a value field: one of
// MaskedFlags.
func IsValueField(field string) bool {
	for _, f := range MaskedFlags {
		if f == field {
			return true
		}
	}
	return false
}

// Flag is one piece of sensitive content found in a message.
type Flag struct {
	Category   string  `json:"category"`
	Rule       string  `json:"rule"`
	Severity   string  `json:"severity"` // low, medium, high, critical
	Confidence float64 `json:"confidence"`
	Where      string  `json:"where"` // subject, body, attachment_name, attachment, or header (mail to or from counsel)
	Attachment string  `json:"attachment,omitempty"`
	Start      int     `json:"start"` // byte offsets in the extracted text of Where
	End        int     `json:"end"`
	Snippet    string  `json:"snippet"` // redacted
}
