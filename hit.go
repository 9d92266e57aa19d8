package leakscope

import "time"

// Hit is one search hit as a result list shows it: one unique message,
// however many copies of it were found. It is the one description of a
// hit: `leakscope search --json` prints it and the API's GET /search
// returns it (the Hit schema of api/openapi.json lists the same fields).
// Package app builds it (App.Describe); the API builds it from the
// message and text as the caller's role sees them, so that subject and
// snippet are masked for roles that see values redacted.
//
// Lists are never null: an empty one is []. Fields marked omitempty are
// left out when zero.
type Hit struct {
	ID        string     `json:"id"`
	MessageID string     `json:"message_id"` // without angle brackets; "" when the message had none
	Date      *time.Time `json:"date"`       // UTC; null when unknown
	From      Address    `json:"from"`
	To        []Address  `json:"to"`
	Cc        []Address  `json:"cc,omitempty"`
	Subject   string     `json:"subject"`
	Flags     []string   `json:"flags"` // sensitive-content categories, each once
	// Tags are the names of the message's review tags. They are shown
	// only to those who may see tags (the command line, admins and
	// counsel), and then always, [] when untagged: nil leaves the field
	// out.
	Tags        []string `json:"tags,omitzero"`
	Risk        float64  `json:"risk"`       // 0-100
	Copies      int      `json:"copies"`     // copies found, in every leak
	Custodians  []string `json:"custodians"` // mailboxes the copies were found in, each once
	Folders     []string `json:"folders"`    // folders the copies were found in, each once
	Leaks       []string `json:"leaks"`      // leaks the copies belong to, each once
	Thread      string   `json:"thread"`     // thread ID (thread:ID finds its messages)
	Attachments int      `json:"attachments"`
	Duplicates  int      `json:"duplicates,omitempty"`  // other messages with the same content
	IDConflict  bool     `json:"id_conflict,omitempty"` // another message with different content has the same Message-ID
	Parent      string   `json:"parent,omitempty"`      // for an attached message, the ID of the message it is attached to
	Score       float64  `json:"score,omitempty"`       // relevance, when the search scored hits
	// Snippet is the part of the text that best shows why the message
	// matched (the body, else an attachment's text prefixed with
	// "[name] "), and Highlights the byte ranges [start, end) of the
	// matched words in it.
	Snippet    string   `json:"snippet"`
	Highlights [][2]int `json:"highlights"`
}
