package source

import "github.com/leakscope/leakscope"

// contain runs read, the reading of the input it, with a panic of a reader
// on the input's bytes (archive/zip, archive/tar, compress/gzip and bzip2,
// the mbox splitter...) turned into a "panic" failure of that input: the
// walk goes on with the next one. A panic of Walk's callbacks belongs to
// the caller and goes on up.
func (s *walk) contain(it *item, read func() error) (err error) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if s.inCallback {
			panic(v)
		}
		pe := leakscope.Recovered("read input", v)
		s.log.Warn("input not read to its end: a reader panicked on it; listed by leakscope report", "path", it.location(0), "err", pe)
		s.log.Debug("panic while reading an input", "stack", string(pe.Stack))
		s.report(leakscope.ProblemFailure, it.location(0), "panic", pe.Error())
		err = nil
	}()
	return read()
}
