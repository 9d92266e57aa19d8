package detect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope"
)

// Rule is one detection rule, as written in a rule file (the field names in
// the file are given in brackets; package rulefile reads them). A rule
// finds candidates with a Pattern or a lexicon of Words, checks each with
// an optional Validator, raises its confidence when a Context word is
// near, and drops it when an Exclude word is near.
type Rule struct {
	ID          string // [id] unique; a user rule with a built-in rule's id replaces it
	Category    string // [category] one of the leakscope.Flag* categories
	Severity    string // [severity] low, medium, high or critical
	Description string // [description] free text
	// Confidence is the confidence of a finding without context [confidence].
	// Default 0.6.
	Confidence float64

	// Pattern is an RE2 regular expression [pattern]. If it has a group
	// named "value", that group is the finding; otherwise the whole match.
	Pattern string
	// Words is a lexicon [words]: words and phrases matched as whole words,
	// ignoring case and treating runs of white space, '-' and '_' as one
	// separator. A trailing '*' matches any word ending ("fuck*").
	Words []string
	// CaseSensitive makes Words match only as written [case_sensitive].
	CaseSensitive bool

	// Scan says where Pattern is tried [scan]: "numbers" (each run of
	// digits joined by separators, with at least MinDigits digits),
	// "keywords" (near each occurrence of a Keyword) or "text" (the whole
	// text, the slow way). Default "keywords" when Keywords are given,
	// else "text".
	Scan string
	// Keywords are case-insensitive substrings [keywords] near which
	// Pattern is tried (scan = "keywords").
	Keywords []string
	// MinDigits is the fewest digits a number run must hold [min_digits]
	// for Pattern to be tried on it. Default 1.
	MinDigits int
	// Extend is how many bytes before and after a number run or keyword
	// Pattern also sees [extend = [before, after]]. Default [3, 3] for
	// numbers, [20, 80] for keywords.
	Extend [2]int

	// Validator names a check of the value [validator]: ssn, luhn, card,
	// iban, aba, nanp, phone, date, entropy, secret, jwt, aws_key,
	// passport, amount, account_no.
	Validator string
	// MinEntropy is the least Shannon entropy in bits per byte the
	// "entropy" validator accepts [min_entropy]. Default 3.
	MinEntropy float64

	// Context words raise the confidence by ContextBoost when one occurs
	// within Window [context, context_boost]. Default boost 0.3.
	Context      []string
	ContextBoost float64
	// RequireContext drops findings without a context word near
	// [require_context].
	RequireContext bool
	// Window is how many bytes before and after a finding are searched for
	// context words [window = [before, after]]. Default [60, 30].
	Window [2]int
	// Exclude words drop a finding when one occurs within ExcludeWindow
	// [exclude, exclude_window]. Default window: Window.
	Exclude       []string
	ExcludeWindow [2]int
	// ExcludeSentence counts exclude words only in the finding's own
	// sentence [exclude_sentence]: "Flu shots in the lobby." does not veto
	// "I was out sick." next to it.
	ExcludeSentence bool

	// Where limits the rule to some parts of a message [where]: subject,
	// body, attachment_name, attachment. Default all four.
	Where []string
	// Disabled turns the rule off [disabled]; a user file disables a
	// built-in rule with its id and disabled = true.
	Disabled bool

	// Source says where the rule comes from, for error messages: "file:line"
	// for a rule read from a file (rulefile sets it), "builtin:<id>" for a
	// built-in rule. Optional.
	Source string
}

// Scan modes.
const (
	ScanText     = "text"
	ScanKeywords = "keywords"
	ScanNumbers  = "numbers"
)

// Parts of a message a flag can point at (leakscope.Flag.Where).
const (
	WhereSubject        = "subject"
	WhereBody           = "body"
	WhereAttachmentName = "attachment_name"
	WhereAttachment     = "attachment"
	// WhereHeader marks flags raised by the message's addresses (mail to or
	// from counsel); Start and End are 0 for them.
	WhereHeader = "header"
)

var whereBits = map[string]uint8{WhereSubject: 1, WhereBody: 2, WhereAttachmentName: 4, WhereAttachment: 8}

// Categories are the stable flag categories a rule may use.
var Categories = []string{
	leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagIBAN, leakscope.FlagBankAccount,
	leakscope.FlagCredential, leakscope.FlagSecretKey, leakscope.FlagMedical, leakscope.FlagCompensation,
	leakscope.FlagLegalPrivilege, leakscope.FlagOffensive, leakscope.FlagConfidential,
	leakscope.FlagDateOfBirth, leakscope.FlagPhone, leakscope.FlagPassport,
}

var severityRank = map[string]int{"low": 1, "medium": 2, "high": 3, "critical": 4}

// compiledRule is a Rule ready to run.
type compiledRule struct {
	Rule
	re         *regexp.Regexp
	valueGroup int
	validate   validator
	minEntropy float64
	where      uint8
}

// RuleError is a problem with one rule or rule file: the file, the line
// (0 when unknown) and what is wrong.
type RuleError struct {
	File string
	Line int
	Msg  string
}

func (e *RuleError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap makes every RuleError an leakscope.ErrInvalidInput.
func (e *RuleError) Unwrap() error { return leakscope.ErrInvalidInput }

// ruleErr reports a problem with r at its Source ("file:line", or a
// Source without a line).
func ruleErr(r *Rule, format string, args ...any) error {
	file, line := r.Source, 0
	if i := strings.LastIndexByte(file, ':'); i >= 0 {
		if n, err := strconv.Atoi(file[i+1:]); err == nil && n > 0 {
			file, line = file[:i], n
		}
	}
	if file == "" {
		file = "rule " + r.ID
	}
	return &RuleError{File: file, Line: line, Msg: fmt.Sprintf("rule %q: %s", r.ID, fmt.Sprintf(format, args...))}
}

// CheckRule reports what is wrong with r, as New would when compiling it
// (New compiles only rules that are not Disabled): nil, or a *RuleError at
// r.Source that wraps leakscope.ErrInvalidInput.
func CheckRule(r Rule) error {
	_, err := compile(r)
	return err
}

// compile checks r and fills in its defaults.
func compile(r Rule) (*compiledRule, error) {
	c := &compiledRule{Rule: r}
	switch {
	case r.ID == "":
		return nil, ruleErr(&r, "missing id")
	case !contains(Categories, r.Category):
		return nil, ruleErr(&r, "unknown category %q (want one of %s)", r.Category, strings.Join(Categories, ", "))
	case severityRank[r.Severity] == 0:
		return nil, ruleErr(&r, "unknown severity %q (want low, medium, high or critical)", r.Severity)
	case r.Pattern == "" && len(r.Words) == 0:
		return nil, ruleErr(&r, "needs a pattern or words")
	case r.Pattern != "" && len(r.Words) > 0:
		return nil, ruleErr(&r, "has both a pattern and words; use one")
	case r.Confidence < 0 || r.Confidence > 1 || r.ContextBoost < 0 || r.ContextBoost > 1:
		return nil, ruleErr(&r, "confidence and context_boost must lie in 0..1")
	case r.MinDigits < 0 || r.Extend[0] < 0 || r.Extend[1] < 0 || r.Window[0] < 0 || r.Window[1] < 0 ||
		r.ExcludeWindow[0] < 0 || r.ExcludeWindow[1] < 0:
		return nil, ruleErr(&r, "min_digits, extend and windows must not be negative")
	case r.Extend[0] > 1<<16 || r.Extend[1] > 1<<16 || r.Window[0] > 4096 || r.Window[1] > 4096 ||
		r.ExcludeWindow[0] > 4096 || r.ExcludeWindow[1] > 4096:
		return nil, ruleErr(&r, "extend is limited to 65536 bytes and windows to 4096")
	case r.RequireContext && len(r.Context) == 0:
		return nil, ruleErr(&r, "require_context without context words")
	}
	if c.Confidence == 0 {
		c.Confidence = 0.6
	}
	if c.ContextBoost == 0 && len(c.Context) > 0 {
		c.ContextBoost = 0.3
	}
	if c.Window == [2]int{} {
		c.Window = [2]int{60, 30}
	}
	if c.ExcludeWindow == [2]int{} {
		c.ExcludeWindow = c.Window
	}
	c.minEntropy = r.MinEntropy
	if c.minEntropy == 0 {
		c.minEntropy = 3
	}
	for _, w := range r.Where {
		b, ok := whereBits[w]
		if !ok {
			return nil, ruleErr(&r, "unknown where %q (want subject, body, attachment_name or attachment)", w)
		}
		c.where |= b
	}
	if c.where == 0 {
		c.where = 15
	}
	for _, lists := range [][]string{r.Words, r.Keywords, r.Context, r.Exclude} {
		for _, w := range lists {
			if normalizeTerm(strings.TrimSuffix(w, "*")) == "" {
				return nil, ruleErr(&r, "empty word %q", w)
			}
		}
	}
	if r.Validator != "" {
		if c.validate = validators[r.Validator]; c.validate == nil {
			return nil, ruleErr(&r, "unknown validator %q", r.Validator)
		}
	}
	if r.Pattern == "" {
		if r.Scan != "" || len(r.Keywords) > 0 || r.MinDigits != 0 || r.Extend != [2]int{} {
			return nil, ruleErr(&r, "scan, keywords, min_digits and extend apply to patterns only")
		}
		return c, nil
	}
	re, err := compileNBSP(r.Pattern)
	if err != nil {
		return nil, ruleErr(&r, "bad pattern: %v", err)
	}
	c.re = re
	c.valueGroup = re.SubexpIndex("value")
	if c.Scan == "" {
		c.Scan = ScanText
		if len(r.Keywords) > 0 {
			c.Scan = ScanKeywords
		}
	}
	switch c.Scan {
	case ScanText:
		if len(r.Keywords) > 0 || r.MinDigits != 0 {
			return nil, ruleErr(&r, "keywords and min_digits need scan = \"keywords\" or \"numbers\"")
		}
	case ScanKeywords:
		if len(r.Keywords) == 0 {
			return nil, ruleErr(&r, "scan = \"keywords\" needs keywords")
		}
		if c.Extend == [2]int{} {
			c.Extend = [2]int{20, 80}
		}
	case ScanNumbers:
		if c.MinDigits == 0 {
			c.MinDigits = 1
		}
		if c.Extend == [2]int{} {
			c.Extend = [2]int{3, 3}
		}
	default:
		return nil, ruleErr(&r, "unknown scan %q (want text, keywords or numbers)", c.Scan)
	}
	return c, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
