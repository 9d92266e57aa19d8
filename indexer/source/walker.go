package source

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/leakscope/leakscope"
)

// Message is one message's raw bytes and where they were found.
type Message struct {
	// Copy has Source, Member, Offset, Custodian, Folder, MaildirFlags and
	// Size (= len(Data)) filled; RawSHA256 and the run fields are left to
	// the caller.
	Copy leakscope.Copy
	// Data is the original bytes (mbox: without the From_ line, mboxrd
	// unescaped). It belongs to the receiver.
	Data []byte
	// FromLine is the mbox From_ line without "From " and line ending, ""
	// for other formats (the parser uses its date as a fallback).
	FromLine string
}

// Walker reads mail inputs: directories, mbox, maildir, MH, single
// messages, .emlx, gzip, bzip2, zip, tar and (with readpst) PST files.
type Walker struct {
	opts   Options
	limits Limits
	log    *slog.Logger
}

// New returns a Walker configured by opts.
func New(opts Options) *Walker {
	w := &Walker{opts: opts, limits: opts.Limits.withDefaults(), log: opts.Logger}
	if w.log == nil {
		w.log = discardLogger()
	}
	return w
}

// Walk reads every message under paths, in the order given and, inside
// directories and zip archives, in sorted name order, and calls fn for
// each; problem (which may be nil) is called for every file or message
// that cannot be read or is not mail. Problems never stop the walk, nor
// does a panic while one file is read (a reader of the standard library or
// of this package failing on its bytes): that file is a "panic" failure
// and the walk goes on with the next. An error returned by fn stops the
// walk and is returned; so is ctx.Err() when ctx is cancelled. fn and
// problem are called from the calling goroutine; a panic of theirs is not
// recovered.
func (w *Walker) Walk(ctx context.Context, paths []string, fn func(*Message) error, problem func(leakscope.Problem)) error {
	if problem == nil {
		problem = func(leakscope.Problem) {}
	}
	s := &walk{Walker: w, ctx: ctx, fn: fn, problem: problem}
	for _, p := range paths {
		if err := s.path(p); err != nil {
			if errors.Is(err, errStop) {
				return s.stop
			}
			return err
		}
	}
	return nil
}

// errStop unwinds a walk stopped by fn or the context; the reason is in
// walk.stop.
var errStop = errors.New("walk stopped")

// walk is the state of one Walk call.
type walk struct {
	*Walker
	ctx     context.Context
	fn      func(*Message) error
	problem func(leakscope.Problem)
	stop    error
	// inCallback is set while fn or problem runs: a panic then is the
	// caller's, not the input's (see contain).
	inCallback bool
}

// alive returns errStop once the context is done.
func (s *walk) alive() error {
	if err := s.ctx.Err(); err != nil {
		s.stop = err
		return errStop
	}
	return nil
}

// path reads one PATH given to Walk. A symbolic link given as a PATH is
// followed.
func (s *walk) path(p string) error {
	if err := s.alive(); err != nil {
		return err
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		s.report(leakscope.ProblemFailure, p, "read", err.Error())
		return nil
	}
	fi, err := os.Stat(abs)
	if err != nil {
		s.report(leakscope.ProblemFailure, abs, "read", err.Error())
		return nil
	}
	s.log.Debug("walk input", "path", abs)
	switch {
	case fi.IsDir():
		return s.dir(abs, rootComps(abs))
	case fi.Mode().IsRegular():
		base := filepath.Base(abs)
		return s.file(&item{source: abs, comps: []string{base}, name: base, direct: true})
	}
	s.report(leakscope.ProblemSkipped, abs, "unsupported", "special file (device, pipe or socket)")
	return nil
}

// rootComps is the logical path of a directory given as a PATH: nothing,
// so that the first component below it is the custodian, except for a
// maildir, which is one mailbox: its own name is the custodian and its
// Maildir++ folders are folders.
func rootComps(abs string) []string {
	entries, _ := os.ReadDir(abs) // errors are reported by dir
	if isMaildir(entries) {
		return []string{filepath.Base(abs)}
	}
	return nil
}

// yield hands one message to fn.
func (s *walk) yield(it *item, comps []string, offset int64, data []byte, fromLine, flags string) error {
	if err := s.alive(); err != nil {
		return err
	}
	custodian, folder := custodianFolder(comps, s.opts.Custodian)
	m := &Message{
		Copy: leakscope.Copy{
			Source:       it.source,
			Member:       it.member(),
			Offset:       offset,
			Custodian:    custodian,
			Folder:       folder,
			MaildirFlags: flags,
			Size:         int64(len(data)),
			Converted:    it.converted,
		},
		Data:     data,
		FromLine: fromLine,
	}
	s.inCallback = true
	err := s.fn(m)
	s.inCallback = false // left set by a panic of fn
	if err != nil {
		s.stop = err
		return errStop
	}
	return nil
}

// report hands one problem to the problem callback.
func (s *walk) report(severity, location, code, detail string) {
	s.inCallback = true
	s.problem(leakscope.Problem{Severity: severity, Location: location, Code: code, Detail: detail})
	s.inCallback = false
}

// fail reports a stream error at offset off of it, once.
func (s *walk) fail(it *item, off int64, err error) {
	se := asStreamError(err, "read", "read")
	if se.reported {
		return
	}
	se.reported = true
	s.report(leakscope.ProblemFailure, it.location(off), se.code, se.detail)
}
