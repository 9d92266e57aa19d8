package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/search"
)

// TestOpenModes: Write creates a data directory; the other modes need one
// and say which command makes it; StoreOnly opens no index; Serve needs
// the index too.
func TestOpenModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	for _, mode := range []Mode{ReadOnly, Serve, StoreOnly} {
		if _, err := Open(ctx, dir, Options{Mode: mode}); !errors.Is(err, leakscope.ErrNotFound) {
			t.Errorf("Open(missing, mode %d) = %v, want ErrNotFound", mode, err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a reader created the data directory: %v", err)
	}
	a, err := Open(ctx, dir, Options{Mode: Write})
	if err != nil {
		t.Fatal(err)
	}
	if a.Store == nil || a.Index == nil || a.Dir() != dir {
		t.Fatalf("Open(Write) = %+v, want a store and an index in %s", a, dir)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []Mode{ReadOnly, Serve, StoreOnly, Write} {
		a, err := Open(ctx, dir, Options{Mode: mode})
		if err != nil {
			t.Fatalf("Open(mode %d) = %v", mode, err)
		}
		if (a.Index == nil) != (mode == StoreOnly) {
			t.Errorf("Open(mode %d): index %v", mode, a.Index)
		}
		a.Close()
	}
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dir, Options{Mode: Serve}); !errors.Is(err, leakscope.ErrNotFound) || !strings.Contains(err.Error(), "leakscope index") {
		t.Errorf("Open(Serve) without an index = %v, want ErrNotFound naming `leakscope index`", err)
	}
}

func TestOpenReference(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), Options{Mode: Write})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.OpenReference(ctx, false); !errors.Is(err, leakscope.ErrNotFound) || !strings.Contains(err.Error(), "leakscope reference") {
		t.Errorf("OpenReference(missing) = %v, want ErrNotFound naming `leakscope reference`", err)
	}
	ref, err := a.OpenReference(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	ref, err = a.OpenReference(ctx, false)
	if err != nil {
		t.Fatalf("OpenReference after create = %v", err)
	}
	ref.Close()
}

func TestMendHint(t *testing.T) {
	outdated := fmt.Errorf("open index: %w", search.ErrOutdated)
	if err := MendHint(outdated, "/srv/leak"); !errors.Is(err, search.ErrOutdated) || !strings.Contains(err.Error(), "leakscope reindex --data /srv/leak") {
		t.Errorf("MendHint(outdated) = %v", err)
	}
	damaged := fmt.Errorf("index segment: %w", leakscope.ErrDamaged)
	err := MendHint(damaged, "/srv/leak")
	if !errors.Is(err, leakscope.ErrDamaged) || !strings.Contains(err.Error(), "leakscope repair --data /srv/leak") {
		t.Errorf("MendHint(damaged) = %v", err)
	}
	if again := MendHint(err, "/srv/leak"); again != err {
		t.Errorf("MendHint of an error with the hint = %v, want it unchanged", again)
	}
	other := errors.New("other")
	if err := MendHint(other, "/srv/leak"); err != other {
		t.Errorf("MendHint(other) = %v, want it unchanged", err)
	}
	if MendHint(nil, "/srv/leak") != nil {
		t.Error("MendHint(nil) != nil")
	}
}
