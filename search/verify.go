package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// VerifyFiles checks the checksum of every segment file the index in dir
// uses (see verifyDir: a half-written segment a crash left, which no
// snapshot refers to, is not damage) and returns what is wrong, one line
// per damaged file, nil when all hold. A missing index is one line too.
func VerifyFiles(ctx context.Context, dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); os.IsNotExist(err) {
		return []string{fmt.Sprintf("%s: no index", dir)}, nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return nil, fmt.Errorf("verify index %q: %w", dir, err)
	}
	slices.Sort(paths)
	bad, err := verifyPaths(ctx, paths)
	if err != nil || len(bad) == 0 {
		return nil, err
	}
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		return []string{err.Error()}, nil
	}
	var used []string
	err = ro.guard("listing its segments", func() (err error) { used, err = segmentPaths(ro.idx); return err })
	if cerr := ro.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return []string{err.Error()}, nil
	}
	var out []string
	for _, p := range used {
		if problem, ok := bad[p]; ok {
			out = append(out, p+": "+problem)
		}
	}
	return out, nil
}

// Missing returns those of ids the index holds no document for.
func (ix *Index) Missing(ctx context.Context, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, err := ix.idx.Document(id)
		if err != nil {
			return nil, fmt.Errorf("look up %s in the index: %w", id, err)
		}
		if doc == nil {
			out = append(out, id)
		}
	}
	return out, nil
}
