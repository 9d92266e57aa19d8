package leakscope

// Identifier is a personal identifier found in a message (an SSN, a card
// number, an address...), normalised so that one identifier written in
// different ways compares equal. Identifiers are never stored as written:
// the store keeps keyed hashes of them, so that "is my SSN in the leak?"
// can be answered without the data directory holding a list of SSNs.
type Identifier struct {
	Kind  string `json:"kind"` // one of the Ident* kinds
	Value string `json:"value"`
}

// Identifier kinds. Those that are also flag categories share the name.
const (
	IdentSSN         = FlagSSN
	IdentCreditCard  = FlagCreditCard
	IdentIBAN        = FlagIBAN
	IdentBankAccount = FlagBankAccount
	IdentPhone       = FlagPhone
	IdentEmail       = "email"
)

// IdentifierKinds lists the kinds, in a stable order.
var IdentifierKinds = []string{IdentSSN, IdentCreditCard, IdentIBAN, IdentBankAccount, IdentPhone, IdentEmail}
