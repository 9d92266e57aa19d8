package leakscope

import "time"

// Watch is a saved query checked after every ingest: PR's "tell me when
// the next wave mentions the CEO". Matches already reported are
// remembered, so each check reports only new ones.
type Watch struct {
	Name    string    `json:"name"`
	Query   string    `json:"query"` // in the query language, as given
	Created time.Time `json:"created"`
	// Checked is when the watch last ran; Matches is how many messages
	// matched then.
	Checked time.Time `json:"checked,omitzero"`
	Matches int       `json:"matches"`
}
