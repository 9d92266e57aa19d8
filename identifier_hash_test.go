package leakscope_test

import (
	"fmt"

	"github.com/leakscope/leakscope"
)

// A client checking an address of its own sends only the first five hex
// characters of its hash: GET /api/v1/identifiers/range/email/9a398.
func ExampleIdentifierHash() {
	h := leakscope.IdentifierHash(leakscope.IdentEmail, "jane.doe@example.com")
	fmt.Println(h)
	fmt.Println(h[:leakscope.IdentifierPrefixLen])
	// Output:
	// 9a3982ba356a2b16ff8b69e4aefd8fb8027537f5bffc4bf347db173dd0175c8d
	// 9a398
}
