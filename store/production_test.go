package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestCreateProduction(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	tests := []struct {
		name string
		in   Production
		want error // nil: created
	}{
		{"defaults", Production{Name: "acme-1", Prefix: "ACME"}, nil},
		{"explicit", Production{Name: "second", Prefix: "ACME_B", Digits: 5, Next: 300}, nil},
		{"duplicate", Production{Name: "acme-1", Prefix: "X"}, leakscope.ErrInvalidInput},
		{"empty name", Production{Prefix: "X"}, leakscope.ErrInvalidInput},
		{"slash in name", Production{Name: "a/b", Prefix: "X"}, leakscope.ErrInvalidInput},
		{"space in prefix", Production{Name: "p", Prefix: "AC ME"}, leakscope.ErrInvalidInput},
		{"no prefix", Production{Name: "p"}, leakscope.ErrInvalidInput},
		{"too many digits", Production{Name: "p", Prefix: "X", Digits: 13}, leakscope.ErrInvalidInput},
		{"start too large", Production{Name: "p", Prefix: "X", Digits: 2, Next: 100}, leakscope.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := db.CreateProduction(ctx, tt.in)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("CreateProduction(%+v) = %v, want %v", tt.in, err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateProduction(%+v): %v", tt.in, err)
			}
			got, err := db.Production(ctx, tt.in.Name)
			if err != nil {
				t.Fatal(err)
			}
			if got.Prefix != tt.in.Prefix || got.Digits != p.Digits || got.Next != p.Next || got.Created.IsZero() {
				t.Errorf("Production(%q) = %+v, want %+v", tt.in.Name, got, p)
			}
		})
	}
	p, _ := db.Production(ctx, "acme-1")
	if p.Digits != 7 || p.Next != 1 {
		t.Errorf("defaults: digits %d next %d, want 7 and 1", p.Digits, p.Next)
	}
	if _, err := db.Production(ctx, "nope"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Production(nope) = %v, want ErrNotFound", err)
	}
	all, err := db.Productions(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "acme-1" || all[1].Name != "second" {
		t.Errorf("Productions = %v, %v; want acme-1 and second", all, err)
	}
}

func TestRecordExportReservesNumbers(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, err := db.CreateProduction(ctx, Production{Name: "p", Prefix: "ACME"}); err != nil {
		t.Fatal(err)
	}
	first := ProductionExport{Time: time.Now(), Messages: 2, Documents: 3, First: 1, Last: 3}
	p, err := db.RecordExport(ctx, "p", first, []BatesAssignment{{"m1", 1, 2}, {"m2", 3, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Next != 4 || len(p.Exports) != 1 || p.Exports[0].Seq != 1 {
		t.Fatalf("after one export: next %d, exports %+v; want next 4 and export 1", p.Next, p.Exports)
	}
	// A second export that started from the old number lost the race.
	if _, err := db.RecordExport(ctx, "p", first, nil); !errors.Is(err, ErrBatesMoved) {
		t.Fatalf("RecordExport from a stale number = %v, want ErrBatesMoved", err)
	}
	// Numbers continue; m1 is produced again.
	second := ProductionExport{Messages: 1, Documents: 2, First: 4, Last: 5}
	if _, err := db.RecordExport(ctx, "p", second, []BatesAssignment{{"m1", 4, 5}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Bates(ctx, "p", "m1")
	if err != nil {
		t.Fatal(err)
	}
	want := []BatesRange{{1, 1, 2}, {2, 4, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Bates(p, m1) = %v, want %v", got, want)
	}
	all, err := db.ProductionBates(ctx, "p")
	if err != nil || len(all) != 2 || !reflect.DeepEqual(all["m2"], []BatesRange{{1, 3, 3}}) {
		t.Errorf("ProductionBates(p) = %v, %v", all, err)
	}
	// Everything withheld: recorded, no number used.
	p, err = db.RecordExport(ctx, "p", ProductionExport{Withheld: 3, First: 99}, nil)
	if err != nil || p.Next != 6 || p.Exports[2].First != 0 {
		t.Errorf("empty export: %v, next %d, %+v", err, p.Next, p.Exports)
	}
	// Ranges outside the export and wrong counts are refused, atomically.
	bad := ProductionExport{Documents: 1, First: 6, Last: 6}
	if _, err := db.RecordExport(ctx, "p", bad, []BatesAssignment{{"m3", 6, 7}}); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("range outside the export = %v, want ErrInvalidInput", err)
	}
	if p, _ := db.Production(ctx, "p"); p.Next != 6 || len(p.Exports) != 3 {
		t.Errorf("a refused export changed the production: next %d, %d exports", p.Next, len(p.Exports))
	}
	if _, err := db.RecordExport(ctx, "p", ProductionExport{Documents: 2, First: 6, Last: 9}, nil); !errors.Is(err, leakscope.ErrInvalidInput) {
		t.Errorf("count and range disagree = %v, want ErrInvalidInput", err)
	}
}

func TestProductionsReadOnlyOnOldStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ps, err := ro.Productions(ctx); err != nil || len(ps) != 0 {
		t.Errorf("Productions on a fresh store = %v, %v; want none", ps, err)
	}
	if _, err := ro.Bates(ctx, "p", "m"); !errors.Is(err, leakscope.ErrNotFound) {
		t.Errorf("Bates of an unknown production = %v, want ErrNotFound", err)
	}
}
