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
