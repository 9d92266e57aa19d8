package leakscope

import "time"

// ExposureReport says which of the company's messages were published and
// who is exposed: what `leakscope exposure --json` prints and GET
// /api/v1/exposure answers.
type ExposureReport struct {
	Generated      time.Time          `json:"generated"`
	ReferenceTotal int                `json:"reference_total"`
	Matches        map[string]int     `json:"matches"` // reference messages per match kind
	Published      []PublishedMessage `json:"published"`
	NotInArchive   []string           `json:"not_in_archive"`
	LeakTotal      int                `json:"leak_total"`
	People         []PersonExposure   `json:"people"`
	Domains        []DomainExposure   `json:"domains"`
	Batches        []BatchExposure    `json:"batches"`
	Months         []MonthCount       `json:"months"` // leaked messages by month of their date
}

// PublishedMessage is one reference message found in the leak.
type PublishedMessage struct {
	ID        string     `json:"id"`         // our ID of the reference message
	MessageID string     `json:"message_id"` // its Message-ID header
	Match     string     `json:"match"`      // exact, reexport or quoted
	Score     float64    `json:"score"`
	Leaked    []string   `json:"leaked"` // leaked messages of the match's own kind
	Hits      []MatchHit `json:"hits,omitempty"`
	Altered   bool       `json:"altered,omitempty"`
	// Diff shows the first altered copy (the first altered hit) against
	// the reference message. It holds message text.
	Diff string `json:"diff,omitempty"`
}

// MatchHit is one leaked message found for a reference message.
type MatchHit struct {
	ID      string  `json:"id"`
	Kind    string  `json:"kind"` // exact, reexport or quoted
	Score   float64 `json:"score"`
	Altered bool    `json:"altered,omitempty"`
}

// PersonExposure is what the leak holds of one person: a directory entry,
// or without a directory an address of the company's domains. Each of
// their messages counts once, as sent, else received, else mentioned.
type PersonExposure struct {
	Name       string         `json:"name,omitempty"`
	Address    string         `json:"address"`
	Department string         `json:"department,omitempty"`
	Title      string         `json:"title,omitempty"`
	VIP        bool           `json:"vip,omitempty"`
	Sent       int            `json:"sent"`
	Received   int            `json:"received"`
	Mentioned  int            `json:"mentioned"` // named or addressed in the text, not a correspondent
	Flags      map[string]int `json:"flags"`     // their messages per flag category
	First      *time.Time     `json:"first,omitempty"`
	Last       *time.Time     `json:"last,omitempty"`
	Messages   []string       `json:"messages,omitempty"` // their messages' IDs, when asked for
}

// Total is the number of the person's messages.
func (p *PersonExposure) Total() int { return p.Sent + p.Received + p.Mentioned }

// DomainExposure is a counterparty: a domain outside the company's whose
// mail with the company is in the leak.
type DomainExposure struct {
	Domain    string `json:"domain"`
	Messages  int    `json:"messages"`
	Addresses int    `json:"addresses"`
}

// BatchExposure is one wave of a leak: the messages it published first.
type BatchExposure struct {
	Leak      string     `json:"leak"`
	Batch     string     `json:"batch"`
	Messages  int        `json:"messages"`
	Ingested  time.Time  `json:"ingested"`            // its first run
	Published *time.Time `json:"published,omitempty"` // when the batch was published, when given (BatchPublished)
}

// MonthCount is the number of leaked messages dated in one month
// ("2006-01").
type MonthCount struct {
	Month    string `json:"month"`
	Messages int    `json:"messages"`
}

// BatchDiff is what a batch added (`leakscope diff --json`, GET
// /api/v1/batches/{label}/diff).
type BatchDiff struct {
	Leak           string           `json:"leak,omitempty"`
	Batch          string           `json:"batch"`
	Earlier        []string         `json:"earlier_batches"`
	Messages       int              `json:"messages"`     // new in the batch
	Republished    int              `json:"republished"`  // in the batch, but published before
	NewPeople      []ExposedAddress `json:"new_people"`   // addresses exposed for the first time
	Flags          map[string]int   `json:"flags"`        // new messages per flag category
	HighestRisk    []RiskyMessage   `json:"highest_risk"` // riskiest new messages, riskiest first
	ElapsedSeconds float64          `json:"elapsed_seconds"`
}

// ExposedAddress is an address and the number of messages it is on.
type ExposedAddress struct {
	Address  string `json:"address"`
	Messages int    `json:"messages"`
}

// RiskyMessage is a message listed for its risk score.
type RiskyMessage struct {
	ID      string     `json:"id"`
	Date    *time.Time `json:"date"`
	From    Address    `json:"from"`
	Subject string     `json:"subject"`
	Risk    float64    `json:"risk"`
	Flags   []string   `json:"flags"`
}
