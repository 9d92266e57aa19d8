package export_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/leakscope/leakscope/export"
	"github.com/leakscope/leakscope/exposure"
)

func TestNotify(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	people := []exposure.Person{
		{Name: "Jane Doe", Addresses: []string{"jane.doe@example.com"}, Department: "Sales"},
		{Name: "Bruno Brandt", Addresses: []string{"bruno.brandt@example.com"}},
		{Name: "Alice Abbott", Addresses: []string{"alice.abbott@example.com"}},
		{Name: "Chen Castillo", Addresses: []string{"chen.castillo@example.com"}},
		{Name: "Dana Dumont", Addresses: []string{"dana.dumont@example.com"}},
		{Name: "Human Resources", Addresses: []string{"hr@example.com"}},
	}
	listID := f.idOf(t, "list@hr.example.com")
	rep, err := export.Notify(ctx, f.db, export.NotifyOptions{People: people, Bates: func(id string) []string {
		if id == listID {
			return []string{"ACME0000042"}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]export.AffectedPerson{}
	for _, p := range rep.People {
		got[p.Address] = p
	}
	tests := []struct {
		name, address string
		categories    []string
		basis         string
		bates         bool
	}{
		// "my SSN is ...": nobody named near it, so the sender.
		{"self-disclosed", "jane.doe@example.com", []string{"identity", "financial"}, export.BasisSender, false},
		// Named next to the SSN in a mail between two other people.
		{"named in the body", "bruno.brandt@example.com", []string{"identity"}, export.BasisNamed, true},
		// Named in the attachment's table.
		{"named in an attachment", "chen.castillo@example.com", []string{"identity"}, export.BasisNamed, false},
		{"password sent to", "alice.abbott@example.com", []string{"credentials"}, export.BasisRecipient, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := got[tt.address]
			if !ok {
				t.Fatalf("%s not in the report", tt.address)
			}
			for _, c := range tt.categories {
				if !slices.Contains(p.Categories, c) {
					t.Errorf("categories of %s = %v, want %s", tt.address, p.Categories, c)
				}
			}
			if p.Basis[tt.basis] == 0 {
				t.Errorf("basis of %s = %v, want %s", tt.address, p.Basis, tt.basis)
			}
			if (len(p.Bates) > 0) != tt.bates {
				t.Errorf("Bates of %s = %v, want some: %v", tt.address, p.Bates, tt.bates)
			}
			if p.FirstWave == nil || p.FirstWave.Leak != "sample" || p.FirstWave.Batch != "wave-1" || p.FirstWave.Published == nil {
				t.Errorf("first wave of %s = %+v, want sample/wave-1 with its published date", tt.address, p.FirstWave)
			}
		})
	}
	// The new-hire list names Bruno next to the SSN: HR and payroll, who
	// only sent and received it, are not attributed for it.
	if hr, ok := got["hr@example.com"]; ok && slices.Contains(hr.IDs, listID) {
		t.Errorf("hr@example.com attributed the new-hire list (basis %v), though Bruno is named beside the value", hr.Basis)
	}
	// Dana is only in a harmless message and next to a value that is no
	// valid SSN: not affected.
	if d, ok := got["dana.dumont@example.com"]; ok {
		t.Errorf("dana.dumont@example.com listed: %+v", d)
	}
	if rep.Flagged == 0 || rep.Messages < len(f.ids) {
		t.Errorf("report read %d messages, %d flagged", rep.Messages, rep.Flagged)
	}

	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, &buf)
	if !slices.Equal(rows[0], export.NotifyCSVFields) || len(rows)-1 != len(rep.People) {
		t.Fatalf("CSV header %v with %d rows, want %d people", rows[0], len(rows)-1, len(rep.People))
	}
	for _, r := range rows[1:] {
		if r[1] == "bruno.brandt@example.com" && (r[5] != "1" || r[16] != "ACME0000042") {
			t.Errorf("CSV row for Bruno = %v, want 1 identity message and its Bates number", r)
		}
	}
}
