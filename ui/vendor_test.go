package ui

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestVendoredNoble: the vendored OPRF modules are byte for byte what
// scripts/vendor-noble wrote (SHA256SUMS), nothing else is in their
// directories, and every module import of the UI's scripts resolves to an
// embedded file (a page cannot resolve a bare '@noble/...' specifier).
func TestVendoredNoble(t *testing.T) {
	const dir = "static/js/vendor"
	sums, err := files.ReadFile(dir + "/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(sums))
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		listed[name] = true
		b, err := files.ReadFile(dir + "/" + name)
		if err != nil {
			t.Errorf("%s listed in SHA256SUMS: %v", name, err)
			continue
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s has changed since scripts/vendor-noble wrote it: run it again instead of editing the copy", name)
		}
	}
	if !listed["noble-curves/abstract/oprf.js"] || !listed["noble-curves/ed25519.js"] || !listed["noble-hashes/sha2.js"] {
		t.Errorf("SHA256SUMS lists %v, want the OPRF modules", listed)
	}
	importRE := regexp.MustCompile(`(?m)^(?:import|export)[^;]*?from\s*["']([^"']+)["']`)
	fs.WalkDir(files, "static/js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel := strings.TrimPrefix(p, dir+"/"); rel != p && rel != "SHA256SUMS" && !listed[rel] {
			t.Errorf("%s is in the vendor directory but not in SHA256SUMS", p)
		}
		if !strings.HasSuffix(p, ".js") {
			return nil
		}
		b, _ := files.ReadFile(p)
		for _, m := range importRE.FindAllSubmatch(b, -1) {
			spec := string(m[1])
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: not a relative path", p, spec)
				continue
			}
			if _, err := fs.Stat(files, path.Join(path.Dir(p), spec)); err != nil {
				t.Errorf("%s imports %q: %v", p, spec, err)
			}
		}
		return nil
	})
}
