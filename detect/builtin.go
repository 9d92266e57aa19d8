package detect

import "slices"

// builtinPacks are the built-in rule pack, in order (builtin_*.go).
var builtinPacks = [][]Rule{builtinIdentifiers, builtinSecrets, builtinContent, builtinOffensive}

// BuiltinRules returns a copy of the built-in rule pack: identifiers,
// secrets, content, then offensive language, each rule with Source
// "builtin:<id>". The caller may change the copy.
func BuiltinRules() []Rule {
	var rules []Rule
	for _, pack := range builtinPacks {
		for _, r := range pack {
			r.Words = slices.Clone(r.Words)
			r.Keywords = slices.Clone(r.Keywords)
			r.Context = slices.Clone(r.Context)
			r.Exclude = slices.Clone(r.Exclude)
			r.Where = slices.Clone(r.Where)
			r.Source = "builtin:" + r.ID
			rules = append(rules, r)
		}
	}
	return rules
}
