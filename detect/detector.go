package detect

import (
	"fmt"
	"strings"
	"sync"

	"github.com/leakscope/leakscope"
)

// Options configure New; the zero value uses the built-in rules alone.
type Options struct {
	// Rules are added to the built-in pack, in order: a rule with the id of
	// a built-in rule (or of an earlier rule) replaces it, and a Disabled
	// rule turns that id off. Package rulefile reads them from TOML or
	// YAML files. Default: none.
	Rules []Rule
	// NoBuiltin leaves the built-in rule pack out. Default false.
	NoBuiltin bool
	// CounselAddresses and CounselDomains name the company's lawyers:
	// mail from or to them is flagged legal_privilege (a domain matches
	// its subdomains). Compared case-insensitively. Default none.
	CounselAddresses []string
	CounselDomains   []string
	// MinConfidence drops findings less certain than this. Default 0.5.
	MinConfidence float64
	// MaxScanBytes is how much of each part (subject, body, each
	// attachment's name and text) is scanned. Default 1 MiB.
	MaxScanBytes int
	// MaxMatchesPerRule caps the findings of one rule in one message.
	// Default 50.
	MaxMatchesPerRule int
}

// Detector finds sensitive content in messages. It is safe for concurrent
// use.
type Detector struct {
	rules      []*compiledRule
	m          *matcher
	uses       [][]termUse // by term id
	minDigits  int         // fewest digits any number rule needs; 0 if none
	opts       Options
	counselA   map[string]bool
	counselD   map[string]bool
	scratch    sync.Pool
	hasNumbers uint8 // where bits of parts that number rules apply to
}

// Term roles.
const (
	roleWord = iota
	roleKeyword
	roleContext
	roleExclude
)

// termUse is one rule's use of a lexicon term.
type termUse struct {
	rule     int32
	role     uint8
	wildcard bool   // the word was written with a trailing '*'
	exact    string // the word as written, for case-sensitive rules
	left     bool   // needs a word boundary before
	right    bool   // needs a word boundary after
}

// New builds a Detector from the built-in rules and opts.
func New(opts Options) (*Detector, error) {
	if opts.MinConfidence == 0 {
		opts.MinConfidence = 0.5
	}
	if opts.MaxScanBytes <= 0 {
		opts.MaxScanBytes = 1 << 20
	}
	if opts.MaxMatchesPerRule <= 0 {
		opts.MaxMatchesPerRule = 50
	}
	var rules []Rule
	if !opts.NoBuiltin {
		rules = BuiltinRules()
	}
	rules = mergeRules(rules, opts.Rules)
	d := &Detector{opts: opts, counselA: lowerSet(opts.CounselAddresses), counselD: lowerSet(opts.CounselDomains)}
	for _, r := range rules {
		if r.Disabled {
			continue
		}
		c, err := compile(r)
		if err != nil {
			return nil, err
		}
		d.rules = append(d.rules, c)
	}
	if err := d.buildLexicon(); err != nil {
		return nil, err
	}
	d.scratch.New = func() any {
		n := len(d.rules)
		return &scanState{perRule: make([]ruleHits, n), counts: make([]int, n), tried: make([]int, n), regions: make([]int, n)}
	}
	return d, nil
}

// mergeRules replaces base rules by user rules of the same id and appends
// the others; a later user rule replaces an earlier one of the same id.
func mergeRules(base, user []Rule) []Rule {
	idx := map[string]int{}
	for i, r := range base {
		idx[r.ID] = i
	}
	out := append([]Rule(nil), base...)
	for _, r := range user {
		if i, ok := idx[r.ID]; ok {
			out[i] = r
			continue
		}
		idx[r.ID] = len(out)
		out = append(out, r)
	}
	return out
}

func lowerSet(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		if s = strings.Trim(strings.ToLower(strings.TrimSpace(s)), "@."); s != "" {
			m[s] = true
		}
	}
	return m
}

// buildLexicon compiles every rule's words, keywords, context and
// exclusion words into one matcher.
func (d *Detector) buildLexicon() error {
	ids := map[string]int32{}
	var terms []string
	add := func(rule int, role uint8, w string, caseSensitive bool) {
		wild := role == roleWord && strings.HasSuffix(w, "*")
		raw := strings.TrimSuffix(w, "*")
		t := normalizeTerm(raw)
		id, ok := ids[t]
		if !ok {
			id = int32(len(terms))
			ids[t] = id
			terms = append(terms, t)
			d.uses = append(d.uses, nil)
		}
		u := termUse{rule: int32(rule), role: role, wildcard: wild}
		if role != roleKeyword {
			u.left = isAlnum(t[0])
			u.right = isAlnum(t[len(t)-1]) && !wild
		}
		if caseSensitive && role == roleWord {
			u.exact = raw
		}
		d.uses[id] = append(d.uses[id], u)
	}
	for i, r := range d.rules {
		for _, w := range r.Words {
			add(i, roleWord, w, r.CaseSensitive)
		}
		for _, w := range r.Keywords {
			add(i, roleKeyword, w, false)
		}
		for _, w := range r.Context {
			add(i, roleContext, w, false)
		}
		for _, w := range r.Exclude {
			add(i, roleExclude, w, false)
		}
		if r.Scan == ScanNumbers && (d.minDigits == 0 || r.MinDigits < d.minDigits) {
			d.minDigits = r.MinDigits
		}
		if r.Scan == ScanNumbers {
			d.hasNumbers |= r.where
		}
	}
	m, err := newMatcher(terms)
	if err != nil {
		return fmt.Errorf("build lexicon: %w", err)
	}
	d.m = m
	return nil
}

// Rules returns the active rules.
func (d *Detector) Rules() []Rule {
	out := make([]Rule, len(d.rules))
	for i, r := range d.rules {
		out[i] = r.Rule
	}
	return out
}

// Scan returns the flags raised by a message: its subject, its text (body,
// attachment names and attachment text) and, when counsel are configured,
// its addresses. m or t may be nil. Flags come in part order (subject,
// body, each attachment's name then text, headers) and by offset within a
// part.
func (d *Detector) Scan(m *leakscope.Message, t *leakscope.Text) []leakscope.Flag {
	st := d.scratch.Get().(*scanState)
	defer d.scratch.Put(st)
	clear(st.counts)
	clear(st.tried)
	clear(st.regions)
	var flags []leakscope.Flag
	if m != nil {
		flags = d.scanPart(st, m.Subject, WhereSubject, "", flags)
	}
	named := map[string]bool{}
	if t != nil {
		flags = d.scanPart(st, t.Body, WhereBody, "", flags)
		for _, a := range t.Attachments {
			named[a.Name] = true
			flags = d.scanPart(st, a.Name, WhereAttachmentName, a.Name, flags)
			flags = d.scanPart(st, a.Text, WhereAttachment, a.Name, flags)
		}
	}
	if m != nil {
		for _, a := range m.Attachments {
			if a.Name != "" && !named[a.Name] {
				named[a.Name] = true
				flags = d.scanPart(st, a.Name, WhereAttachmentName, a.Name, flags)
			}
		}
		flags = d.counselFlags(m, flags)
	}
	return flags
}
