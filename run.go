package leakscope

import "time"

// Run status values.
const (
	// RunRunning: started and not finished. Only the process running it
	// sees it so: the store holds a file lock while it writes, so a
	// process that can open the store sees a "running" run of a process
	// that is gone (killed, crashed) as interrupted, and the next run
	// records it so.
	RunRunning     = "running"
	RunDone        = "done"        // finished, possibly with failures
	RunInterrupted = "interrupted" // stopped by a signal or an error, or killed
)

// IngestRun is one invocation of `leakscope index`.
type IngestRun struct {
	ID       uint64    `json:"id"`
	Leak     string    `json:"leak"`
	Batch    string    `json:"batch,omitempty"`
	Inputs   []string  `json:"inputs"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"`
	// Counts of a run whose process was killed are what it stored, counted
	// again from the store (see RunCounts).
	Counts RunCounts `json:"counts"`
	// Resumes is the ID of the interrupted run this one resumes: the
	// latest run before it of the same leak, batch and inputs, when that
	// one did not finish. 0 for none.
	Resumes uint64 `json:"resumes,omitempty"`
	// Published is the date its batch was published, when given
	// (index --published).
	Published time.Time `json:"published,omitzero"`
}

// RunCounts are the counters of an ingest run. A run saves them every few
// seconds; when its process is killed, what it stored is counted again
// from the store: New, Copies and Duplicates from the copies it recorded,
// Failures, Skipped and Warnings from the problems it listed (a problem at
// a place an earlier run listed is listed once, by that run). What it read
// (Inputs, Known, Bytes) stays as last saved, and Messages is at least
// Copies + Known.
type RunCounts struct {
	Inputs     int   `json:"inputs"`              // files and archive members read
	Messages   int   `json:"messages"`            // messages read, attached messages included
	New        int   `json:"new"`                 // messages not seen before
	Copies     int   `json:"copies"`              // copies recorded (new places)
	Known      int   `json:"known"`               // copies already recorded by an earlier run
	Duplicates int   `json:"duplicates"`          // new copies of messages already known
	Recovered  int   `json:"recovered,omitempty"` // originals listed as lost (damage), stored again from this run's copies
	Warnings   int   `json:"warnings"`            // messages indexed with warnings
	Failures   int   `json:"failures"`            // messages or inputs that could not be indexed
	Skipped    int   `json:"skipped"`             // files that are not mail (listed as problems)
	Bytes      int64 `json:"bytes"`               // bytes of messages read
}

// Problem is one failure or warning of a run, listed by `leakscope report`.
type Problem struct {
	Run      uint64 `json:"run"`
	Severity string `json:"severity"` // "failure", "warning" or "skipped"
	Location string `json:"location"` // file, archive member, offset
	Message  string `json:"message,omitempty"`
	Code     string `json:"code"`
	Detail   string `json:"detail"`
	// RawSHA256 names the stored original of a message that could not be
	// indexed, so that its bytes are kept (nothing is lost).
	RawSHA256 string `json:"raw_sha256,omitempty"`
	// Raw holds the bytes of a message that could not be indexed, on its way
	// to the store (which keeps them and sets RawSHA256). Never serialised.
	Raw []byte `json:"-"`
}

// Problem severities.
const (
	ProblemFailure = "failure"
	ProblemWarning = "warning"
	ProblemSkipped = "skipped"
)

// Leak is a named body of published mail, made of batches (waves).
type Leak struct {
	Name string `json:"name"`
	// Published is when the leak was first published: the earliest date
	// given for any of its batches.
	Published time.Time `json:"published,omitzero"`
	Batches   []string  `json:"batches,omitempty"`
	Created   time.Time `json:"created"`
}

// BatchPublished returns when each batch of a leak was published: the date
// given with the latest of its runs that gave one, else the date of its
// leak (data directories written before runs kept their own dates).
func BatchPublished(runs []IngestRun, leaks []Leak) func(leak, batch string) time.Time {
	byBatch := map[[2]string]time.Time{}
	for _, r := range runs { // oldest first: a later date replaces an earlier one
		if !r.Published.IsZero() {
			byBatch[[2]string{r.Leak, r.Batch}] = r.Published.UTC()
		}
	}
	byLeak := map[string]time.Time{}
	for _, l := range leaks {
		byLeak[l.Name] = l.Published.UTC()
	}
	return func(leak, batch string) time.Time {
		if t, ok := byBatch[[2]string{leak, batch}]; ok {
			return t
		}
		return byLeak[leak]
	}
}
