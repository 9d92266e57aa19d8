package export

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
)

// Source is what an export reads of the stored mail. store.DB satisfies it.
type Source interface {
	Message(ctx context.Context, id string) (*leakscope.Message, error)
	Text(ctx context.Context, id string) (*leakscope.Text, error)
	Copies(ctx context.Context, id string) ([]leakscope.Copy, error)
	// Original returns the raw bytes stored under their hex SHA-256.
	Original(ctx context.Context, sha string) ([]byte, error)
}

// Tagger gives a message's review tags. store.DB satisfies it.
type Tagger interface {
	MessageTags(ctx context.Context, id string) ([]leakscope.Tag, error)
}

// Options configure an Exporter. Prefix is required; the rest has
// working defaults.
type Options struct {
	// Prefix is the Bates prefix ("ACME" numbers ACME0000001...). Required.
	Prefix string
	// Digits is the zero-padded width of Bates numbers. Default 7.
	Digits int
	// Start is the first Bates number of this export: the production's
	// next number. Default 1.
	Start uint64
	// Volume names the load files (DATA/VOLUME.dat...). Default: the
	// first Bates number of the export.
	Volume string

	// Tags gives each message's review tags, for the TAGS field and for
	// privilege. Default nil: no tags, and nothing is treated as
	// privileged.
	Tags Tagger
	// PrivilegedTag is the tag that marks a message privileged. Default
	// leakscope.TagPrivileged ("privileged").
	PrivilegedTag string
	// IncludePrivileged produces privileged messages instead of
	// withholding them. Default false: privileged families are withheld
	// and get no Bates number.
	IncludePrivileged bool
	// PrivilegeLog writes DATA/PRIVILEGE_LOG.csv listing every privileged
	// message met (date, author, recipients, subject, basis). Default false.
	PrivilegeLog bool

	// Redact replaces flagged values in TEXT files and in the load files'
	// SUBJECT and FILENAME fields with "[REDACTED: category]", logs each
	// redaction in DATA/REDACTIONS.csv, and withholds the natives that
	// hold a redacted value. Default false.
	Redact bool
	// RedactCategories are the flag categories redacted. Default: every
	// category but legal_privilege and confidential, which mark a message
	// rather than a value.
	RedactCategories []string

	// ToolVersion is recorded in each chain-of-custody record. Default
	// "leakscope".
	ToolVersion string
	// Progress, when not nil, is called after each message and at the end.
	Progress func(Progress)
	// Commit, when not nil, is called once every file is written and
	// before the output is moved into place; an error discards the
	// output. A production records the export and reserves its Bates
	// numbers here.
	Commit func(ctx context.Context, s *Summary) error
	// Logger receives debug messages, never message content. Default: discard.
	Logger *slog.Logger
	// Now gives the export time. Default time.Now.
	Now func() time.Time
}

// Progress is reported while an export runs.
type Progress struct {
	Messages  int   // messages handled (produced, withheld or skipped)
	Total     int   // messages asked for
	Documents int   // Bates numbers used so far
	Bytes     int64 // bytes written so far
	Elapsed   time.Duration
	Done      bool
}

// Summary is what an export produced.
type Summary struct {
	Output     string        `json:"output"`
	Volume     string        `json:"volume"`
	Messages   int           `json:"messages"`  // top-level messages produced
	Documents  int           `json:"documents"` // Bates numbers used: messages and attachments
	First      uint64        `json:"first,omitempty"`
	Last       uint64        `json:"last,omitempty"`
	FirstBates string        `json:"first_bates,omitempty"`
	LastBates  string        `json:"last_bates,omitempty"`
	Withheld   int           `json:"withheld"`        // privileged messages withheld
	Skipped    int           `json:"skipped"`         // attached messages produced with their parent, repeated ids
	Redactions int           `json:"redactions"`      // values redacted
	Missing    int           `json:"missing_natives"` // documents produced without their native: attachments whose bytes are not in their message, messages whose original is lost to damage
	Files      int           `json:"files"`           // files written, the manifest included
	Bytes      int64         `json:"bytes"`           // bytes of those files
	Manifest   string        `json:"manifest"`        // hex SHA-256 of MANIFEST.sha256
	Elapsed    time.Duration `json:"-"`
	Seconds    float64       `json:"elapsed_seconds"`
	// Assigned lists, in order, every message produced (attached messages
	// included) with its Bates range: its own number to that of its last
	// attachment.
	Assigned []Assignment `json:"-"`
}

// Assignment is the Bates range of one produced message.
type Assignment struct {
	ID    string
	Begin uint64
	End   uint64
}

// Exporter writes productions.
type Exporter struct {
	src  Source
	opts Options
	log  *slog.Logger
}

// New returns an Exporter reading from src.
func New(src Source, opts Options) *Exporter {
	if opts.Digits == 0 {
		opts.Digits = 7
	}
	if opts.Start == 0 {
		opts.Start = 1
	}
	if opts.PrivilegedTag == "" {
		opts.PrivilegedTag = leakscope.TagPrivileged
	}
	if opts.RedactCategories == nil {
		opts.RedactCategories = DefaultRedactCategories
	}
	if opts.ToolVersion == "" {
		opts.ToolVersion = "leakscope"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Volume == "" {
		opts.Volume = FormatBates(opts.Prefix, opts.Digits, opts.Start)
	}
	return &Exporter{src: src, opts: opts, log: log}
}

// DefaultRedactCategories are the flag categories Options.Redact masks by
// default: every value category.
var DefaultRedactCategories = []string{
	leakscope.FlagSSN, leakscope.FlagCreditCard, leakscope.FlagIBAN, leakscope.FlagBankAccount,
	leakscope.FlagCredential, leakscope.FlagSecretKey, leakscope.FlagMedical, leakscope.FlagCompensation,
	leakscope.FlagOffensive, leakscope.FlagDateOfBirth, leakscope.FlagPhone, leakscope.FlagPassport,
}

// Run exports the messages ids, in that order, to out: a directory, or a
// zip file when out ends in ".zip". out must not exist. Files are written
// to a temporary sibling of out that is renamed to out only when every
// file is written and Options.Commit has succeeded; on any error, or when
// ctx is cancelled, nothing is left at out.
//
// An attached message (Message.ParentID) whose parent is also in ids is
// produced once, as a member of its parent's family. Repeated ids are
// produced once.
func (e *Exporter) Run(ctx context.Context, ids []string, out string) (*Summary, error) {
	if err := e.check(out); err != nil {
		return nil, err
	}
	start := e.opts.Now()
	var s sink
	var err error
	if strings.EqualFold(filepath.Ext(out), ".zip") {
		s, err = newZipSink(out)
	} else {
		s, err = newDirSink(out)
	}
	if err != nil {
		return nil, fmt.Errorf("export to %s: %w", out, err)
	}
	sum, err := e.write(ctx, s, ids, start)
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("export to %s: %w", out, err)
	}
	if e.opts.Commit != nil {
		if err := e.opts.Commit(ctx, sum); err != nil {
			s.abort()
			return nil, fmt.Errorf("export to %s: %w", out, err)
		}
	}
	if err := s.commit(); err != nil {
		return nil, fmt.Errorf("export to %s: move into place: %w", out, err)
	}
	sum.Output = out
	sum.Elapsed = e.opts.Now().Sub(start)
	sum.Seconds = sum.Elapsed.Seconds()
	return sum, nil
}

// check validates the options and the output path.
func (e *Exporter) check(out string) error {
	if e.opts.Prefix == "" {
		return fmt.Errorf("export: no Bates prefix: %w", leakscope.ErrInvalidInput)
	}
	if e.opts.Digits < 1 || e.opts.Digits > 18 {
		return fmt.Errorf("export: %d Bates digits: %w", e.opts.Digits, leakscope.ErrInvalidInput)
	}
	if out == "" {
		return fmt.Errorf("export: no output path: %w", leakscope.ErrInvalidInput)
	}
	if !safeName(e.opts.Volume) {
		return fmt.Errorf("export: volume name %q: %w", e.opts.Volume, leakscope.ErrInvalidInput)
	}
	return nil
}
