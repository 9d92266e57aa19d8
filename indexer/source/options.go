package source

import "log/slog"

// Options configure a Walker; the zero value works.
type Options struct {
	// Custodian overrides the derived custodian for every message; "" derives
	// it from the path (see the package documentation).
	Custodian string
	// Limits bound what one input may cost; zero fields take their defaults.
	Limits Limits
	// Readpst is the path of the readpst program used for Outlook PST/OST
	// files; "" looks it up in PATH.
	Readpst string
	// TempDir is where PST files are converted (and PST files found inside
	// archives are spooled); "" means os.TempDir().
	TempDir string
	// OnRead is called with the number of bytes consumed from input files on
	// disk, for progress; over a whole Walk the calls add up to Size(paths)
	// when the files do not change. It may be nil and must be cheap.
	OnRead func(n int64)
	// Logger receives debug and info records; nil discards them.
	Logger *slog.Logger
}

// Limits bound the work one input may cause. Each zero field takes the
// documented default.
type Limits struct {
	// MaxMessageBytes is the largest message yielded; a bigger one is
	// reported as a "too_large" failure. Default 64 MiB.
	MaxMessageBytes int64
	// MaxArchiveDepth is how many archives and compressed streams may be
	// nested (a .tar.gz is 2). Default 4.
	MaxArchiveDepth int
	// MaxRatio is the decompressed/compressed ratio above which a
	// decompressed member or stream is a bomb; it is checked once more than
	// 1 MiB was produced. Default 200.
	MaxRatio int64
	// MaxArchiveBytes is how many decompressed bytes one top-level input
	// may produce, summed over all its decompression layers. Default 16 GiB.
	MaxArchiveBytes int64
	// MaxBufferedBytes is the largest nested zip held in memory (zip needs
	// random access); a bigger one is a "too_large" failure. Default 512 MiB.
	MaxBufferedBytes int64
}

// Defaults of Limits.
const (
	DefaultMaxMessageBytes  = 64 << 20
	DefaultMaxArchiveDepth  = 4
	DefaultMaxRatio         = 200
	DefaultMaxArchiveBytes  = 16 << 30
	DefaultMaxBufferedBytes = 512 << 20
)

// ratioFloor is how many bytes a decompressor may produce before MaxRatio
// is checked: small, highly compressible members are normal.
const ratioFloor = 1 << 20

// withDefaults returns l with every zero field set to its default.
func (l Limits) withDefaults() Limits {
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if l.MaxArchiveDepth <= 0 {
		l.MaxArchiveDepth = DefaultMaxArchiveDepth
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	if l.MaxArchiveBytes <= 0 {
		l.MaxArchiveBytes = DefaultMaxArchiveBytes
	}
	if l.MaxBufferedBytes <= 0 {
		l.MaxBufferedBytes = DefaultMaxBufferedBytes
	}
	return l
}

// discardLogger is used when Options.Logger is nil.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
