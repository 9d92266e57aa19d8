package app

import (
	"context"
	"slices"
	"testing"

	"github.com/leakscope/leakscope/search"
)

// TestTotals: the command's totals and the server's agree with the
// fixture: its messages, copies, the one leak, every message indexed, the
// sizes adding up and the facets over every message.
func TestTotals(t *testing.T) {
	a := testApp(t)
	ctx := context.Background()
	tot, err := a.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tot.Store.Messages != fixtureMessages || tot.Store.Copies != int64(len(fixtureFiles)) || tot.Indexed != fixtureMessages {
		t.Errorf("Totals: %d messages, %d copies, %d indexed; want %d, %d, %d",
			tot.Store.Messages, tot.Store.Copies, tot.Indexed, fixtureMessages, len(fixtureFiles), fixtureMessages)
	}
	if len(tot.Leaks) != 1 || tot.Leaks[0].Name != "test" {
		t.Errorf("Totals: leaks %+v, want test", tot.Leaks)
	}
	if tot.IndexBytes <= 0 || tot.DataBytes != tot.IndexBytes+tot.Store.FileBytes+tot.Store.PackBytes {
		t.Errorf("Totals: index %d bytes, data %d; want the index's size and data = index + store + packs", tot.IndexBytes, tot.DataBytes)
	}
	var names []string
	for _, f := range tot.Facets {
		names = append(names, f.Name)
		if f.Name == search.FacetCustodian && len(f.Values) != 4 {
			t.Errorf("Totals: custodian facet %+v, want alice, bob, carol, eve", f.Values)
		}
	}
	if !slices.Equal(names, search.FacetNames) {
		t.Errorf("Totals: facets %q, want %q", names, search.FacetNames)
	}
	st, err := a.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != tot.Store.Messages || st.Copies != tot.Store.Copies || st.Originals != tot.Store.Originals ||
		st.RawBytes != tot.Store.RawBytes || st.Indexed != tot.Indexed || len(st.Leaks) != 1 {
		t.Errorf("Stats = %+v, want the totals %+v", st, tot)
	}
}
