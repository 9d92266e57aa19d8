package detect

import (
	"math"
	"sort"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
)

// span is a byte range of a text.
type span struct{ start, end int }

// ruleHits holds one rule's lexicon hits in the part being scanned.
type ruleHits struct {
	words, keywords, context, exclude []span
}

// finding is a candidate that passed its rule.
type finding struct {
	rule       int
	start, end int
	conf       float64
}

// scanState is the scratch space of one Scan call, pooled.
type scanState struct {
	hits    []hit
	runs    []numRun
	perRule []ruleHits
	touched []int32
	found   []finding
	keep    []finding
	counts  []int // findings per rule in this message
	tried   []int // candidates per rule in this message
	regions []int // pattern runs per rule in this message
	seen    map[[3]int]bool
}

// scanPart scans one part of a message and appends its flags.
func (d *Detector) scanPart(st *scanState, text, where, attachment string, flags []leakscope.Flag) []leakscope.Flag {
	if text == "" {
		return flags
	}
	if len(text) > d.opts.MaxScanBytes {
		cut := d.opts.MaxScanBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	bit := whereBits[where]
	for _, r := range st.touched {
		h := &st.perRule[r]
		h.words, h.keywords, h.context, h.exclude = h.words[:0], h.keywords[:0], h.context[:0], h.exclude[:0]
	}
	st.touched = st.touched[:0]
	st.hits = d.m.scan(text, st.hits[:0])
	for _, h := range st.hits {
		for _, u := range d.uses[h.term] {
			if d.rules[u.rule].where&bit == 0 {
				continue
			}
			s, ok := u.accept(text, h)
			if !ok {
				continue
			}
			rh := &st.perRule[u.rule]
			if len(rh.words)+len(rh.keywords)+len(rh.context)+len(rh.exclude) == 0 {
				st.touched = append(st.touched, u.rule)
			}
			switch u.role {
			case roleWord:
				rh.words = append(rh.words, s)
			case roleKeyword:
				rh.keywords = append(rh.keywords, s)
			case roleContext:
				rh.context = append(rh.context, s)
			case roleExclude:
				rh.exclude = append(rh.exclude, s)
			}
		}
	}
	st.runs = st.runs[:0]
	if d.hasNumbers&bit != 0 {
		st.runs = numberRuns(text, st.runs)
	}
	st.found = st.found[:0]
	if st.seen == nil {
		st.seen = map[[3]int]bool{}
	}
	clear(st.seen)
	for i, r := range d.rules {
		if r.where&bit == 0 || st.counts[i] >= d.opts.MaxMatchesPerRule {
			continue
		}
		rh := &st.perRule[i]
		switch {
		case r.re == nil:
			for _, w := range rh.words {
				d.consider(st, i, text, w.start, w.end, false)
			}
		case r.Scan == ScanKeywords:
			for _, k := range rh.keywords {
				d.matchRegion(st, i, text, k.start-r.Extend[0], k.end+r.Extend[1], false)
			}
		case r.Scan == ScanNumbers:
			for _, n := range st.runs {
				if n.digits >= r.MinDigits && st.counts[i] < d.opts.MaxMatchesPerRule {
					d.matchRegion(st, i, text, n.start-r.Extend[0], n.end+r.Extend[1], true)
				}
			}
		default:
			d.matchRegion(st, i, text, 0, len(text), false)
		}
	}
	return d.emit(st, text, where, attachment, flags)
}

// matchRegion runs rule i's pattern over text[start:end], widened to word
// boundaries, and considers each match.
func (d *Detector) matchRegion(st *scanState, i int, text string, start, end int, numeric bool) {
	r := d.rules[i]
	if st.tried[i] >= maxTried*d.opts.MaxMatchesPerRule || st.regions[i] >= maxRegions*d.opts.MaxMatchesPerRule {
		return
	}
	st.regions[i]++
	start, end = widen(text, start, end)
	// A finding must have context within its window (or in its column's
	// header), and a finding lies in the region: without context near the
	// region there is nothing to find, and the pattern need not run.
	if ctx := st.perRule[i].context; r.RequireContext && !near(ctx, start, end, r.Window) &&
		!d.nearFinding(st.found, r.Category, start, end, chainWindow, "") &&
		!(len(ctx) > 0 && ctx[0].start < start && inTable(text, start)) {
		return
	}
	region := text[start:end]
	for _, m := range r.re.FindAllStringSubmatchIndex(region, d.opts.MaxMatchesPerRule) {
		vs, ve := m[0], m[1]
		if r.valueGroup > 0 {
			vs, ve = m[2*r.valueGroup], m[2*r.valueGroup+1]
		}
		if vs < 0 || ve <= vs {
			continue
		}
		d.consider(st, i, text, vs+start, ve+start, numeric)
		if st.counts[i] >= d.opts.MaxMatchesPerRule {
			return
		}
	}
}

// widen clamps a region to the text and moves its ends outwards, by at
// most 64 bytes, to the nearest non-word byte, so that \b at a region's
// edge means what it means in the whole text.
func widen(text string, start, end int) (int, int) {
	start, end = max(start, 0), min(end, len(text))
	for lim := start - 64; start > 0 && start > lim && (isAlnum(text[start-1]) || text[start-1] >= utf8.RuneSelf); {
		start--
	}
	for lim := end + 64; end < len(text) && end < lim && (isAlnum(text[end]) || text[end] >= utf8.RuneSelf); {
		end++
	}
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	return start, end
}

// consider validates a candidate of rule i, weighs its context and keeps
// it if it is confident enough.
func (d *Detector) consider(st *scanState, i int, text string, start, end int, numeric bool) {
	r := d.rules[i]
	key := [3]int{i, start, end}
	if st.seen[key] || st.tried[i] >= maxTried*d.opts.MaxMatchesPerRule {
		return
	}
	st.seen[key] = true
	st.tried[i]++
	if r.validate != nil {
		n, ok := r.validate(text[start:end], r)
		if !ok || n <= 0 {
			return
		}
		end = start + n
	}
	if numeric && !numberBoundary(text, start, end) {
		return
	}
	rh := &st.perRule[i]
	// In a table row, words in other rows (the header above) are not near:
	// the row's own cells and its column's header speak for it.
	hs, he, header := 0, 0, false
	lo, hi := 0, len(text)
	if len(rh.context)+len(rh.exclude) > 0 {
		if hs, he, header = headerCell(text, start); header {
			lo, hi = lineAt(text, start)
		}
	}
	// A label before a number speaks for the nearest number only: "SSN
	// 123-45-6789, cell 713-853-1234" does not make the phone an SSN.
	elo := lo
	if numeric {
		for j := start - 1; j >= max(lo, start-r.ExcludeWindow[0]); j-- {
			if isDigit(text[j]) {
				elo = j + 1
				break
			}
		}
	}
	if nearIn(text, rh.exclude, start, end, r.ExcludeWindow, elo, hi, r.ExcludeSentence) ||
		header && within(rh.exclude, hs, he) {
		return
	}
	conf := r.Confidence
	if nearIn(text, rh.context, start, end, r.Window, lo, hi, false) ||
		d.nearFinding(st.found, r.Category, start, end, chainWindow, text) ||
		header && within(rh.context, hs, he) {
		conf += r.ContextBoost
	} else if r.RequireContext {
		return
	}
	conf = math.Round(min(conf, 1)*100) / 100
	if conf < d.opts.MinConfidence {
		return
	}
	st.found = append(st.found, finding{rule: i, start: start, end: end, conf: conf})
	st.counts[i]++
}

// maxTried bounds the candidates one rule examines in one message, and
// maxRegions the number of times its pattern runs, as multiples of
// MaxMatchesPerRule: a megabyte of look-alikes costs a bounded amount of
// work. An ordinary message runs a pattern a few dozen times.
const (
	maxTried   = 20
	maxRegions = 40
)

// emit resolves overlapping findings and turns the rest into flags.
//
// Two overlapping findings conflict when they have the same category or
// both come from patterns (one number cannot be both a phone number and an
// SSN); of two conflicting findings the more confident one wins, then the
// more severe, then the earlier rule. Lexicon findings of different
// categories may overlap ("privileged" and "confidential" markers).
func (d *Detector) emit(st *scanState, text, where, attachment string, flags []leakscope.Flag) []leakscope.Flag {
	found := st.found
	sort.Slice(found, func(a, b int) bool {
		fa, fb := found[a], found[b]
		if fa.conf != fb.conf {
			return fa.conf > fb.conf
		}
		ra, rb := severityRank[d.rules[fa.rule].Severity], severityRank[d.rules[fb.rule].Severity]
		if ra != rb {
			return ra > rb
		}
		if fa.rule != fb.rule {
			return fa.rule < fb.rule
		}
		return fa.start < fb.start
	})
	keep := st.keep[:0]
	for _, f := range found {
		ok := true
		for _, k := range keep {
			if f.start < k.end && k.start < f.end && d.conflict(f.rule, k.rule) {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, f)
		}
	}
	st.keep = keep
	sort.Slice(keep, func(a, b int) bool {
		if keep[a].start != keep[b].start {
			return keep[a].start < keep[b].start
		}
		return keep[a].end < keep[b].end
	})
	for _, f := range keep {
		r := d.rules[f.rule]
		flags = append(flags, leakscope.Flag{
			Category:   r.Category,
			Rule:       r.ID,
			Severity:   r.Severity,
			Confidence: f.conf,
			Where:      where,
			Attachment: attachment,
			Start:      f.start,
			End:        f.end,
			Snippet:    snippet(text, f.start, f.end, keep, d.rules),
		})
	}
	return flags
}

func (d *Detector) conflict(a, b int) bool {
	ra, rb := d.rules[a], d.rules[b]
	return ra.Category == rb.Category || ra.re != nil && rb.re != nil
}
