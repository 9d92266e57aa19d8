package search

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Checking every segment's CRC costs a one-search command more than the
// search (about 130 ms for the Enron subset), so Options.Verify is for
// writers and servers. But some damaged segments do not make bleve panic,
// they make it allocate without bound, and the runtime's out-of-memory
// abort cannot be recovered: a reader must not open a segment nobody has
// checked. So a writer, when it closes, records the segment files it
// leaves (name, size, modification time) in verifiedName; a reader checks
// the CRC of only the segments that record does not list as they are now
// (new, or written to since, as bytes flipped in place are), which on an
// index a writer closed is none.

const verifiedName = "leakscope-verified.json"

// segmentStamp is what the record keeps of a segment file.
type segmentStamp struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
}

// segmentStamps returns the stamps of the segment files in dir/store.
func segmentStamps(dir string) (map[string]segmentStamp, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return nil, err
	}
	out := make(map[string]segmentStamp, len(paths))
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			continue // removed meanwhile by a merge
		}
		out[filepath.Base(p)] = segmentStamp{Size: fi.Size(), ModTime: fi.ModTime().UTC()}
	}
	return out, nil
}

// recordVerified writes the record of the segment files in dir (see the
// top of this file), replacing the old one whole.
func recordVerified(dir string) error {
	stamps, err := segmentStamps(dir)
	if err != nil {
		return err
	}
	data, err := json.Marshal(stamps)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, verifiedName+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, verifiedName))
}

// unverified returns the segment files of dir the record does not list as
// they are now, sorted.
func unverified(dir string) ([]string, error) {
	now, err := segmentStamps(dir)
	if err != nil {
		return nil, err
	}
	var known map[string]segmentStamp
	if data, err := os.ReadFile(filepath.Join(dir, verifiedName)); err == nil {
		json.Unmarshal(data, &known) // a garbled record checks everything
	}
	var out []string
	for name, st := range now {
		if k, ok := known[name]; !ok || k.Size != st.Size || !k.ModTime.Equal(st.ModTime) {
			out = append(out, filepath.Join(dir, "store", name))
		}
	}
	slices.Sort(out)
	return out, nil
}

// verifyUnverified checks the CRC of the segments of dir no writer
// recorded (see verifyDir for what damage is).
func verifyUnverified(dir string, openRO func() (*Index, error)) error {
	paths, err := unverified(dir)
	if err != nil {
		return fmt.Errorf("verify index %q: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil
	}
	return verifyPathsIn(dir, paths, openRO)
}
