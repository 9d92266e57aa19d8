package source

import (
	"fmt"
	"os"
	"path/filepath"
)

// Size returns the total size of the files Walk reads under paths (for
// progress and ETA): regular files, symbolic links not followed inside
// directories, maildir tmp/ directories left out. It fails when a path
// cannot be read.
func Size(paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return 0, fmt.Errorf("size of %q: %w", p, err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return 0, fmt.Errorf("size of input: %w", err)
		}
		if !fi.IsDir() {
			if fi.Mode().IsRegular() {
				total += fi.Size()
			}
			continue
		}
		err = countFiles(abs, func(_ string, n int64) { total += n })
		if err != nil {
			return 0, fmt.Errorf("size of %q: %w", abs, err)
		}
	}
	return total, nil
}
