package search_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
	"github.com/leakscope/leakscope/search"
)

// message builds a small document for the examples.
func message(id, from, subject, body string, date time.Time, custodian string) leakscope.Document {
	return leakscope.Document{
		Message: &leakscope.Message{
			ID: id, MessageID: id + "@example.com", Date: date, Subject: subject,
			From: leakscope.Address{Email: from},
			To:   []leakscope.Address{{Name: "Amy Pascal", Email: "amy.pascal@sony.com"}},
		},
		Text:   &leakscope.Text{Body: body},
		Copies: []leakscope.Copy{{Leak: "sony", Custodian: custodian, Folder: "Inbox"}},
	}
}

func ExampleIndex_Search() {
	ctx := context.Background()
	ix, err := search.Open("", search.Options{}) // "" keeps the index in memory
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	day := time.Date(2014, 11, 3, 9, 0, 0, 0, time.UTC)
	err = ix.Put(ctx, []leakscope.Document{
		message("m1", "scott.rudin@rudinprod.com", "Box office numbers", "The box office report is grim.", day, "amy.pascal"),
		message("m2", "michael.lynton@spe.sony.com", "Re: box office", "Reporting the box office again.", day.Add(48*time.Hour), "michael.lynton"),
		message("m3", "legal@spe.sony.com", "Privileged", "Box office figures, privileged.", day.Add(time.Hour), "amy.pascal"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	q, err := query.Parse(`"box office" from:sony.com -from:legal`)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := ix.Search(ctx, search.Request{Query: q, Sort: search.SortDateDesc, Limit: 10, Facets: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total:", res.Total)
	for _, h := range res.Hits {
		fmt.Println("hit:", h.ID)
	}
	for _, f := range res.Facets {
		if f.Name == search.FacetCustodian {
			fmt.Println("custodians:", f.Values)
		}
	}

	// Snippets highlight what the query matched, stemmed forms included.
	q, _ = query.Parse("reports")
	text, spans := search.Snippet(q, "Reporting the box office again.", 40)
	for i := len(spans) - 1; i >= 0; i-- {
		text = text[:spans[i].End] + "]" + text[spans[i].End:]
		text = text[:spans[i].Start] + "[" + text[spans[i].Start:]
	}
	fmt.Println(text)

	// Pages after the first come from the cursor of the page before.
	all, _ := query.Parse("*")
	first, _ := ix.Search(ctx, search.Request{Query: all, Sort: search.SortDateAsc, Limit: 2})
	next, _ := ix.Search(ctx, search.Request{Query: all, Sort: search.SortDateAsc, Limit: 2, After: first.Next})
	fmt.Println("pages:", ids(first), ids(next), next.Next == "")

	// A query the index cannot run is an error naming its position.
	q, _ = query.Parse("budget from:@")
	_, err = ix.Search(ctx, search.Request{Query: q})
	var qe *leakscope.QueryError
	fmt.Println(errors.As(err, &qe), qe.Pos, err)
	// Output:
	// total: 1
	// hit: m2
	// custodians: [{michael.lynton 1}]
	// [Reporting] the box office again.
	// pages: [m1 m3] [m2] true
	// true 7 invalid query at position 8: empty domain
}

func ids(r *search.Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return "[" + strings.Join(out, " ") + "]"
}

// Review tags are part of a message's document: a tag change puts the
// document again, with its new tags (the store says which messages
// changed and gives their documents).
func ExampleIndex_Put_tags() {
	ctx := context.Background()
	ix, err := search.Open("", search.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	day := time.Date(2014, 11, 3, 9, 0, 0, 0, time.UTC)
	m1 := message("m1", "legal@spe.sony.com", "Advice", "On the merger.", day, "amy.pascal")
	m2 := message("m2", "amy.pascal@sony.com", "Lunch", "Friday?", day, "amy.pascal")
	if err := ix.Put(ctx, []leakscope.Document{m1, m2}); err != nil {
		fmt.Println(err)
		return
	}
	tagged := func() {
		q, _ := query.Parse("tag:privileged")
		res, err := ix.Search(ctx, search.Request{Query: q, Facets: true, TagFacet: true})
		if err != nil {
			fmt.Println(err)
			return
		}
		tags := res.Facets[len(res.Facets)-1] // the tag facet comes last
		fmt.Println(ids(res), tags.Name, tags.Values)
	}
	tagged()

	m1.Tags = []string{leakscope.TagPrivileged, leakscope.TagHot}
	if err := ix.Put(ctx, []leakscope.Document{m1}); err != nil {
		fmt.Println(err)
		return
	}
	tagged()

	m1.Tags = nil
	if err := ix.Put(ctx, []leakscope.Document{m1}); err != nil {
		fmt.Println(err)
		return
	}
	tagged()
	// Output:
	// [] tag []
	// [m1] tag [{hot 1} {privileged 1}]
	// [] tag []
}

// An index on disk is opened by one writer, which puts documents (a
// message, its text and its copies, as the store gives them), deletes
// them, merges the index after a batch of changes, and closes it; then
// any number of readers may open it ReadOnly and search it.
func ExampleOpen() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "search-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "index")

	ix, err := search.Open(path, search.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	day := time.Date(2014, 11, 3, 9, 0, 0, 0, time.UTC)
	err = ix.Put(ctx, []leakscope.Document{
		message("m1", "scott.rudin@rudinprod.com", "Box office numbers", "The box office report is grim.", day, "amy.pascal"),
		message("m2", "michael.lynton@spe.sony.com", "Re: box office", "Reporting the box office again.", day.Add(time.Hour), "michael.lynton"),
	})
	if err == nil {
		err = ix.Delete(ctx, []string{"m1"})
	}
	if err == nil {
		err = ix.Optimize(ctx)
	}
	n, _ := ix.Count(ctx)
	fmt.Println("documents:", n, err)
	if err := ix.Close(); err != nil {
		fmt.Println(err)
		return
	}

	ro, err := search.Open(path, search.Options{ReadOnly: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ro.Close()
	q, _ := query.Parse("custodian:michael.lynton box")
	ids, err := ro.IDs(ctx, search.Request{Query: q})
	fmt.Println("hits:", ids, err)
	err = ro.Put(ctx, []leakscope.Document{message("m3", "amy.pascal@sony.com", "Hello", "Hi.", day, "amy.pascal")})
	fmt.Println("read-only put:", errors.Is(err, leakscope.ErrInvalidInput))
	// Output:
	// documents: 1 <nil>
	// hits: [m2] <nil>
	// read-only put: true
}
