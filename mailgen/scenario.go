package mailgen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// A Scenario is a company's mail archive and a leak made from it, for
// testing reconciliation (which archive messages were published, and how).
// It is generated thread by thread: Thread(i) always returns the same
// messages for the same options, so that callers can stream large
// scenarios and regenerate any message from its ID (Lookup) instead of
// keeping texts in memory.
//
// Each company thread has two to six messages between two to four people
// with the same subject; replies quote their parent in Outlook style
// ("-----Original Message-----" and a header block, no prefixes), in
// "> " style after an "On ... wrote:" line, or (as near-misses) by one
// line only. The archive holds every message of a company thread. From each
// archive message the leak gets nothing, an exact copy (same Message-ID, or
// the same text with the Message-ID dropped), or a re-export (Message-ID
// dropped or replaced, the time zone rewritten or the wall-clock time kept
// in another zone, the sender turned into an Exchange name, recipients
// reordered, and the body turned into HTML and back with the scenario's own
// converter, re-encoded into ASCII, re-quoted, given a gateway banner, and
// re-wrapped); a few copies are doctored (a figure changed, a sentence
// added or removed). Forwards from personal addresses publish archive
// messages inside a "Forwarded message" block. Near-misses are leaked
// messages of the same thread, subject and people with a different body:
// some quote one line of an archive message, repeat one of its sentences,
// resend it corrected (every other sentence of its first paragraph
// replaced) or answer its parent again, quoting the parent whole.
// Unrelated leaked mail comes from outsiders and, sometimes, claims a
// company sender.
type Scenario struct {
	opts      ScenarioOptions
	company   string
	people    []actor // company people
	outsiders []actor
}

// ScenarioOptions configure NewScenario; the zero value works.
type ScenarioOptions struct {
	// Threads is the number of company threads. Default 200 (about 800
	// archive messages).
	Threads int
	// Unrelated is the number of leaked messages unrelated to the archive,
	// spread over the threads. Default Threads/2.
	Unrelated int
	// Seed makes the scenario reproducible. Default 1.
	Seed uint64
	// Domain is the company's mail domain. Default "acme-pictures.example".
	Domain string
	// Start is when the first thread begins; threads start about 41
	// minutes apart. Default 2013-01-07 08:00 UTC.
	Start time.Time
}

// Item is one message as the indexer gives it: its metadata and its
// extracted text.
type Item struct {
	Message *leakscope.Message
	Text    *leakscope.Text
}

// Truth is what reconciliation should find for one archive message.
type Truth struct {
	// Kind is the best way it was published: "exact", "reexport",
	// "quoted" or "none". Exact means a leaked copy keeps the Message-ID
	// or the text up to white space; reexport means the Message-ID is
	// gone and the text was re-encoded; quoted means only another leaked
	// message contains its text.
	Kind string
	// Leaked are the IDs of the leaked messages of that kind.
	Leaked []string
	// Altered is set when a leaked copy of that kind was doctored.
	Altered bool
	// Containing are the leaked messages that contain its whole text
	// (quotes and forwards of it, and of messages quoting it).
	Containing []string
	// Short is set for one-sentence messages.
	Short bool
}

// ScenarioThread is one generated thread.
type ScenarioThread struct {
	Archive []Item
	Leak    []Item
	// Truth is keyed by archive message ID.
	Truth map[string]Truth
	// NotInArchive are the leaked messages that claim a company sender and
	// are no copy of an archive message: near-misses and fabrications.
	// (Forwards are sent from private or outside addresses.)
	NotInArchive []string
	// Variant names how each leaked message was made, by ID: "exact",
	// "exact-noid", "exact-altered", "reexport", "reexport-altered",
	// "forward", "decoy-sibling", "decoy-oneline", "decoy-sentence",
	// "decoy-resend", "decoy-requote", "unrelated".
	Variant map[string]string
}

// actor is one correspondent of the scenario.
type actor struct {
	name, email string
	company     bool
	title, dept string
	phone       string
	zone        *time.Location
	disclaimer  bool
	personal    string // a private address (company people only)
}

// NewScenario prepares a scenario; threads are made by Thread.
func NewScenario(opts ScenarioOptions) *Scenario {
	if opts.Threads <= 0 {
		opts.Threads = 200
	}
	if opts.Unrelated < 0 {
		opts.Unrelated = 0
	} else if opts.Unrelated == 0 {
		opts.Unrelated = opts.Threads / 2
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Domain == "" {
		opts.Domain = "acme-pictures.example"
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2013, 1, 7, 8, 0, 0, 0, time.UTC)
	}
	s := &Scenario{opts: opts, company: "Acme Pictures"}
	r := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	zones := []*time.Location{time.FixedZone("PST", -8*3600), time.FixedZone("EST", -5*3600),
		time.FixedZone("GMT", 0), time.FixedZone("CET", 3600), time.FixedZone("JST", 9*3600)}
	seen := map[string]bool{}
	for len(s.people) < 300 {
		first, last := scenFirst[r.IntN(len(scenFirst))], scenLast[r.IntN(len(scenLast))]
		if seen[first+last] {
			continue
		}
		seen[first+last] = true
		local := asciiLower(first) + "." + asciiLower(last)
		s.people = append(s.people, actor{
			name: first + " " + last, email: local + "@" + opts.Domain, company: true,
			title: scenTitles[r.IntN(len(scenTitles))], dept: scenDepts[r.IntN(len(scenDepts))],
			phone: fmt.Sprintf("+1 310 555 %04d", r.IntN(10000)), zone: zones[r.IntN(2)],
			disclaimer: r.IntN(5) < 2, personal: local + fmt.Sprint(r.IntN(100)) + "@mailbox.example.net",
		})
	}
	for i := range 80 {
		first, last := scenFirst[r.IntN(len(scenFirst))], scenLast[r.IntN(len(scenLast))]
		org := scenOrgs[i%len(scenOrgs)]
		dom := asciiLower(strings.ReplaceAll(org, " ", "")) + ".example.com"
		s.outsiders = append(s.outsiders, actor{name: first + " " + last,
			email: asciiLower(first[:1]+last) + "@" + dom, zone: zones[r.IntN(len(zones))]})
	}
	return s
}

// Threads returns the number of threads.
func (s *Scenario) Threads() int { return s.opts.Threads }

// Domain returns the company's mail domain.
func (s *Scenario) Domain() string { return s.opts.Domain }

// Lookup regenerates the message with the given ID (archive or leak).
func (s *Scenario) Lookup(id string) (Item, bool) {
	t, ok := threadOf(id)
	if !ok || t >= s.opts.Threads {
		return Item{}, false
	}
	th := s.Thread(t)
	for _, list := range [][]Item{th.Archive, th.Leak} {
		for _, it := range list {
			if it.Message.ID == id {
				return it, true
			}
		}
	}
	return Item{}, false
}

// threadOf reads the thread number of an ID ("A12-3", "L12-5").
func threadOf(id string) (int, bool) {
	if len(id) < 2 || (id[0] != 'A' && id[0] != 'L') {
		return 0, false
	}
	num, _, ok := strings.Cut(id[1:], "-")
	if !ok {
		return 0, false
	}
	t, err := strconv.Atoi(num)
	return t, err == nil && t >= 0
}

func asciiLower(s string) string {
	return strings.ToLower(asciiName(s))
}

// threadGen holds the state of one thread being generated.
type threadGen struct {
	s       *Scenario
	r       *rand.Rand
	idx     int
	project string
	topic   string
	out     *ScenarioThread
	nLeak   int
}

// genMsg is one archive message while its thread is made.
type genMsg struct {
	item     Item
	from     actor
	to       []actor
	own      []block // what its author wrote
	full     []block // own plus the quoted parent
	date     time.Time
	contains []int // archive indices whose whole text this message holds
	short    bool
}

// Thread generates thread i (0 <= i < Threads()).
func (s *Scenario) Thread(i int) *ScenarioThread {
	g := &threadGen{s: s, idx: i, r: rand.New(rand.NewPCG(s.opts.Seed, uint64(i)*0x9e3779b97f4a7c15+1))}
	g.out = &ScenarioThread{Truth: map[string]Truth{}, Variant: map[string]string{}}
	g.project = scenProjects[g.r.IntN(len(scenProjects))]
	g.topic = scenTopics[g.r.IntN(len(scenTopics))]
	msgs := g.archive()
	leakOf := make([][]string, len(msgs)) // leaked ids of each archive message, by kind below
	kinds := map[string]string{}
	altered := map[string]bool{}
	containing := make([][]string, len(msgs))
	for k, m := range msgs {
		for _, v := range g.leakVariants(m) {
			leakOf[k] = append(leakOf[k], v.id)
			kinds[v.id], altered[v.id] = v.kind, v.altered
			for _, c := range m.contains {
				containing[c] = append(containing[c], v.id)
			}
		}
		if g.r.IntN(8) == 0 {
			id := g.forward(m)
			containing[k] = append(containing[k], id)
			for _, c := range m.contains {
				containing[c] = append(containing[c], id)
			}
		}
	}
	for k, ids := range g.decoys(msgs) {
		containing[k] = append(containing[k], ids...)
	}
	g.unrelated()
	for k, m := range msgs {
		t := Truth{Kind: "none", Containing: containing[k], Short: m.short}
		for _, kind := range []string{"exact", "reexport"} {
			for _, id := range leakOf[k] {
				if kinds[id] == kind && (t.Kind == "none" || t.Kind == kind) {
					t.Kind = kind
					t.Leaked = append(t.Leaked, id)
					t.Altered = t.Altered || altered[id]
				}
			}
		}
		if t.Kind == "none" && len(containing[k]) > 0 {
			t.Kind, t.Leaked = "quoted", containing[k]
		}
		g.out.Truth[m.item.Message.ID] = t
	}
	return g.out
}
