package leakscope_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/leakscope/leakscope"

// listedPackage is the part of `go list -json` this test reads.
type listedPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Standard   bool
}

// TestImportRules keeps STYLE.md's dependency rules true: the root and the
// pure-logic packages import only the standard library (and each other);
// each third-party engine is imported by exactly one wrapping package; the
// wrapping packages do not import each other; the use cases that need
// several of them live in package app, which only the command imports.
func TestImportRules(t *testing.T) {
	pkgs := goList(t)
	pure := map[string]bool{module: true, module + "/query": true, module + "/detect": true,
		module + "/exposure": true, module + "/export": true, module + "/mailgen": true, module + "/mimepart": true, module + "/lru": true}
	wrappers := map[string]string{
		"github.com/blevesearch/bleve/v2": module + "/search",
		"github.com/emersion/go-message":  module + "/indexer",
		"github.com/gin-gonic/gin":        module + "/api",
		"go.etcd.io/bbolt":                module + "/store",
		"github.com/cloudflare/circl":     module + "/oprf",
		"github.com/trustelem/zxcvbn":     module + "/password",
	}
	apart := []string{module + "/store", module + "/search", module + "/indexer", module + "/api"}
	for _, p := range pkgs {
		if pure[p.ImportPath] {
			for _, d := range p.Deps {
				if !isStd(d) && !pure[d] {
					t.Errorf("%s depends on %s; it may use only the standard library and %v", p.ImportPath, d, keys(pure))
				}
			}
		}
		for _, imp := range p.Imports {
			for lib, owner := range wrappers {
				if (imp == lib || strings.HasPrefix(imp, lib+"/")) && p.ImportPath != owner && !strings.HasPrefix(p.ImportPath, owner+"/") {
					t.Errorf("%s imports %s; only %s may", p.ImportPath, imp, owner)
				}
			}
			for _, a := range apart {
				for _, b := range apart {
					if a != b && inPkg(p.ImportPath, a) && inPkg(imp, b) {
						t.Errorf("%s imports %s; a use case needing both lives in package app", p.ImportPath, imp)
					}
				}
			}
			if inPkg(imp, module+"/app") && !inPkg(p.ImportPath, module+"/app") && p.ImportPath != module+"/cmd/leakscope" {
				t.Errorf("%s imports %s; only cmd/leakscope may (the parts do not know the use cases)", p.ImportPath, imp)
			}
			if imp == module+"/cmd/leakscope" {
				t.Errorf("%s imports the command package", p.ImportPath)
			}
		}
	}
}

func inPkg(path, pkg string) bool { return path == pkg || strings.HasPrefix(path, pkg+"/") }

func goList(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = "."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("go list not available: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(out)
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found %d packages, want the whole module", len(pkgs))
	}
	return pkgs
}

// isStd reports whether an import path is in the standard library (no dot
// in its first element), including vendored golang.org/x packages of std.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") || strings.HasPrefix(path, "vendor/")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, strings.TrimPrefix(k, module+"/"))
	}
	return out
}
