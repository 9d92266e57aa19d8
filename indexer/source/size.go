package source

import (
	"os"
	"path/filepath"
)

// Size returns the total size of the files Walk reads under paths (for
// progress and ETA): regular files, symbolic links not followed inside
// directories, maildir tmp/ directories left out. What cannot be read (a
// missing path, a directory without read permission) counts as nothing:
// Walk reports it as a failure and reads the rest.
func Size(paths []string) int64 {
	var total int64
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		fi, err := os.Stat(abs)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			if fi.Mode().IsRegular() {
				total += fi.Size()
			}
			continue
		}
		countFiles(abs, func(_ string, n int64) { total += n })
	}
	return total
}
