package search

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

// pagingDocs returns synthetic documents with many ties: dates take six
// values (and one in nine is undated), and thirty documents are identical
// but for their ID, so that they score the same.
func pagingDocs() []leakscope.Document {
	docs := newGenerator(7).docs(240)
	for i, d := range docs {
		switch {
		case i%9 == 0:
			d.Message.Date = time.Time{}
		default:
			d.Message.Date = day0.Add(time.Duration(i%6) * time.Hour)
		}
		d.Message.Risk = float64(i % 4) // ties for the risk order too
		if i%8 == 0 {
			d.Message.Subject = "tie breaker"
			d.Message.Attachments = nil
			d.Text = &leakscope.Text{Body: "tie breaker tie"}
		}
	}
	return docs
}

var pagingQueries = []string{"*", "tie", "tie OR from:enron.com", "-tie", "from:enron.com"}

var sorts = []string{SortDateDesc, SortDateAsc, SortRelevance, SortRisk, ""}

// TestPaging walks every page with After and with Offset, for every sort
// order, and checks that both give exactly the hits of one big page, in an
// order that follows the sort and breaks ties by ID.
func TestPaging(t *testing.T) {
	docs := pagingDocs()
	byID := map[string]*leakscope.Message{}
	for _, d := range docs {
		byID[d.Message.ID] = d.Message
	}
	ix := openMem(t, docs)
	ctx := context.Background()
	for _, text := range pagingQueries {
		q, err := query.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, sort := range sorts {
			all, err := ix.Search(ctx, Request{Query: q, Sort: sort, Limit: MaxLimit})
			if err != nil {
				t.Fatalf("Search(%q, %q): %v", text, sort, err)
			}
			if all.Next != "" || uint64(len(all.Hits)) != all.Total || all.Total < 20 {
				t.Fatalf("Search(%q, %q) one page: %d hits of %d, next %q; want all hits (at least 20) and no next page",
					text, sort, len(all.Hits), all.Total, all.Next)
			}
			checkOrder(t, text, sort, all.Hits, byID)
			want := hitIDs(all)

			for _, size := range []int{1, 7, 50} {
				var got []string
				after := ""
				for pages := 0; ; pages++ {
					if pages > len(want)+1 {
						t.Fatalf("Search(%q, %q): pages do not end", text, sort)
					}
					res, err := ix.Search(ctx, Request{Query: q, Sort: sort, Limit: size, After: after})
					if err != nil {
						t.Fatalf("Search(%q, %q, after page %d): %v", text, sort, pages, err)
					}
					if res.Total != all.Total {
						t.Errorf("Search(%q, %q) page %d total = %d, want %d", text, sort, pages, res.Total, all.Total)
					}
					got = append(got, hitIDs(res)...)
					if res.Next == "" {
						break
					}
					if len(res.Hits) != size {
						t.Errorf("Search(%q, %q) page %d has %d hits and a next page, want %d", text, sort, pages, len(res.Hits), size)
					}
					after = res.Next
				}
				if !slices.Equal(got, want) {
					t.Errorf("Search(%q, sort %q) pages of %d with After = %q, want %q", text, sort, size, got, want)
				}

				got = got[:0]
				for off := 0; off < len(want)+size; off += size {
					res, err := ix.Search(ctx, Request{Query: q, Sort: sort, Limit: size, Offset: off})
					if err != nil {
						t.Fatalf("Search(%q, %q, offset %d): %v", text, sort, off, err)
					}
					got = append(got, hitIDs(res)...)
					if wantNext := off+size < len(want); (res.Next != "") != wantNext {
						t.Errorf("Search(%q, %q, offset %d) next = %q, want a next page: %v", text, sort, off, res.Next, wantNext)
					}
					// A cursor from an Offset page continues after it.
					if res.Next != "" {
						more, err := ix.Search(ctx, Request{Query: q, Sort: sort, Limit: 1, After: res.Next})
						if err != nil {
							t.Fatal(err)
						}
						if ids := hitIDs(more); !slices.Equal(ids, want[off+size:off+size+1]) {
							t.Errorf("Search(%q, %q) after offset page %d = %q, want %q", text, sort, off, ids, want[off+size])
						}
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("Search(%q, sort %q) pages of %d with Offset = %q, want %q", text, sort, size, got, want)
				}
			}
		}
	}
}

// checkOrder checks that hits follow sort, ties broken by date and then
// by ID (descending, but for SortDateAsc), undated messages last in both
// date orders.
func checkOrder(t *testing.T, text, sort string, hits []Hit, byID map[string]*leakscope.Message) {
	t.Helper()
	for i := 1; i < len(hits); i++ {
		a, b := hits[i-1], hits[i]
		var c int // <0: a must come first; 0: tie
		switch sort {
		case SortRelevance:
			if a.Score <= 0 {
				t.Errorf("Search(%q, relevance) hit %s has score %v", text, a.ID, a.Score)
			}
			if a.Score != b.Score {
				if a.Score < b.Score {
					t.Fatalf("Search(%q, relevance): hit %s (score %v) before %s (score %v)", text, a.ID, a.Score, b.ID, b.Score)
				}
				continue
			}
			fallthrough // equal scores: newest first
		default:
			if sort == SortRisk {
				if ra, rb := byID[a.ID].Risk, byID[b.ID].Risk; ra != rb {
					if ra < rb {
						t.Fatalf("Search(%q, risk): hit %s (risk %v) before %s (risk %v)", text, a.ID, ra, b.ID, rb)
					}
					continue
				}
			}
			da, db := byID[a.ID].Date, byID[b.ID].Date
			switch {
			case da.IsZero() && db.IsZero():
			case da.IsZero():
				c = 1
			case db.IsZero():
				c = -1
			default:
				c = da.Compare(db)
				if sort != SortDateAsc {
					c = -c
				}
			}
			if a.Score != 0 && sort != SortRelevance {
				t.Errorf("Search(%q, %q) hit %s has score %v, want 0 when sorting by date", text, sort, a.ID, a.Score)
			}
		}
		if c == 0 { // same date: IDs in the date's direction
			c = strings.Compare(b.ID, a.ID)
			if sort == SortDateAsc {
				c = -c
			}
		}
		if c >= 0 {
			t.Fatalf("Search(%q, sort %q): hit %d %s before %s is out of order", text, sort, i-1, a.ID, b.ID)
		}
	}
}

func TestCursorErrors(t *testing.T) {
	ix := openMem(t, pagingDocs())
	ctx := context.Background()
	q := leakscope.MatchAll{}
	next := map[string]string{}
	for _, sort := range sorts[:4] {
		res, err := ix.Search(ctx, Request{Query: q, Sort: sort, Limit: 5})
		if err != nil || res.Next == "" {
			t.Fatalf("Search(*, %q) = %v, %v; want a next page", sort, res, err)
		}
		next[sort] = res.Next
	}
	// The default sort is -date: their cursors are interchangeable.
	res, err := ix.Search(ctx, Request{Query: q, Limit: 5})
	if err != nil || res.Next != next[SortDateDesc] {
		t.Errorf("default sort cursor = %q, %v; want the -date cursor %q", res.Next, err, next[SortDateDesc])
	}
	if _, err := ix.Search(ctx, Request{Query: q, Limit: 5, After: next[SortDateDesc]}); err != nil {
		t.Errorf("a -date cursor with the default sort: %v", err)
	}
	for from, cur := range next {
		for _, to := range sorts[:4] {
			if to == from {
				continue
			}
			_, err := ix.Search(ctx, Request{Query: q, Sort: to, After: cur})
			if !errors.Is(err, leakscope.ErrInvalidInput) || !strings.Contains(err.Error(), "another sort") {
				t.Errorf("Search(sort %q) with a %q cursor = %v, want ErrInvalidInput for another sort", to, from, err)
			}
		}
	}

	raw, _ := base64.RawURLEncoding.DecodeString(next[SortDateAsc])
	enc := base64.RawURLEncoding.EncodeToString
	bad := map[string]string{
		"not base64":        "!!!",
		"padded base64":     next[SortDateAsc] + "==",
		"one byte":          enc([]byte{cursorVersion}),
		"other version":     enc(append([]byte{cursorVersion + 1}, raw[1:]...)),
		"unknown sort code": enc([]byte{cursorVersion, 9, 1, 'a', 1, 'b'}),
		"truncated":         enc(raw[:len(raw)-1]),
		"trailing byte":     enc(append(slices.Clone(raw), 0)),
		"no value":          enc([]byte{cursorVersion, sortCodes[SortDateAsc]}),
		"two values":        enc([]byte{cursorVersion, sortCodes[SortDateAsc], 1, 'a', 1, 'b'}),
		"huge length":       enc([]byte{cursorVersion, sortCodes[SortDateAsc], 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
		"bad varint":        enc([]byte{cursorVersion, sortCodes[SortDateAsc], 0x80}),
	}
	for name, cur := range bad {
		if _, err := ix.Search(ctx, Request{Query: q, Sort: SortDateAsc, After: cur}); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("Search with a cursor (%s) = %v, want ErrInvalidInput", name, err)
		}
	}
	rel := func(score string) string {
		b := []byte{cursorVersion, sortCodes[SortRelevance], byte(len(score))}
		b = append(b, score...)
		return enc(append(b, 2, 'i', 'd'))
	}
	for _, score := range []string{"high", "", "NaN", "+Inf", "-Inf", "1e999"} {
		if _, err := ix.Search(ctx, Request{Query: q, Sort: SortRelevance, After: rel(score)}); !errors.Is(err, leakscope.ErrInvalidInput) {
			t.Errorf("Search with a relevance cursor of score %q = %v, want ErrInvalidInput", score, err)
		}
	}
	if _, err := ix.Search(ctx, Request{Query: q, Sort: SortRelevance, After: rel("0.5")}); err != nil {
		t.Errorf("Search with a well-formed relevance cursor: %v", err)
	}
}

// TestDefaultLimit checks Limit 0 and the last page's cursor.
func TestDefaultLimit(t *testing.T) {
	ix := openMem(t, pagingDocs())
	res, err := ix.Search(context.Background(), Request{Query: leakscope.MatchAll{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != DefaultLimit || res.Total != 240 || res.Next == "" {
		t.Errorf("Search(*) = %d hits of %d, next %q; want %d of 240 and a next page", len(res.Hits), res.Total, res.Next, DefaultLimit)
	}
	res, err = ix.Search(context.Background(), Request{Query: leakscope.MatchAll{}, Limit: 240})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 240 || res.Next != "" {
		t.Errorf("Search(*, limit 240) = %d hits, next %q; want 240 and no next page", len(res.Hits), res.Next)
	}
	res, err = ix.Search(context.Background(), Request{Query: leakscope.MatchAll{}, Offset: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 0 || res.Total != 240 || res.Next != "" {
		t.Errorf("Search(*, offset past the end) = %d hits of %d, next %q; want none of 240", len(res.Hits), res.Total, res.Next)
	}
}
