package detect

import (
	"regexp"
	"regexp/syntax"
)

// compileNBSP compiles a rule pattern so that a no-break space (U+00A0,
// common in text extracted from HTML) matches wherever a space does: in
// literals, in classes holding a space (\s, [ .-]) and, for negated
// classes that exclude a space ([^\s"]), it is excluded too.
func compileNBSP(pattern string) (*regexp.Regexp, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, err
	}
	re = withNBSP(re)
	return regexp.Compile(re.String())
}

const nbsp = 0xA0

func withNBSP(re *syntax.Regexp) *syntax.Regexp {
	for i, sub := range re.Sub {
		re.Sub[i] = withNBSP(sub)
	}
	switch re.Op {
	case syntax.OpLiteral:
		// Split a literal around its spaces: "a b" becomes a[ \xa0]b.
		hasSpace := false
		for _, r := range re.Rune {
			if r == ' ' {
				hasSpace = true
			}
		}
		if !hasSpace {
			return re
		}
		cat := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags}
		var lit []rune
		flush := func() {
			if len(lit) > 0 {
				cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpLiteral, Flags: re.Flags, Rune: lit})
				lit = nil
			}
		}
		for _, r := range re.Rune {
			if r != ' ' {
				lit = append(lit, r)
				continue
			}
			flush()
			cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpCharClass, Rune: []rune{' ', ' ', nbsp, nbsp}})
		}
		flush()
		return cat
	case syntax.OpCharClass:
		if inClass(re.Rune, ' ') && !inClass(re.Rune, nbsp) {
			re.Rune = append(append([]rune(nil), re.Rune...), nbsp, nbsp)
		} else if !inClass(re.Rune, ' ') && inClass(re.Rune, nbsp) {
			re.Rune = removeFromClass(re.Rune, nbsp)
		}
	}
	return re
}

func inClass(ranges []rune, r rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] <= r && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

func removeFromClass(ranges []rune, r rune) []rune {
	var out []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if r < lo || r > hi {
			out = append(out, lo, hi)
			continue
		}
		if lo < r {
			out = append(out, lo, r-1)
		}
		if r < hi {
			out = append(out, r+1, hi)
		}
	}
	return out
}
