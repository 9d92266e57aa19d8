package search

import (
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Facet counts the hits per value of one field.
type Facet struct {
	Name   string       // one of FacetNames, or FacetTag
	Values []FacetValue // most frequent first, ties by value
	// Other counts the hits outside the listed values, hits without a value
	// included. For the fields a message can hold several values of
	// (custodian, leak, flag, tag) it counts values, not messages.
	Other int
}

// FacetValue is one value of a facet and its number of hits.
type FacetValue struct {
	Value string
	Count int
}

// Facet names, in the order Result.Facets lists them.
const (
	FacetSenderDomain  = "sender_domain" // domain of the From address
	FacetCustodian     = "custodian"     // mailbox owner of a copy
	FacetMonth         = "month"         // "2001-05", UTC
	FacetLeak          = "leak"          // leak name
	FacetHasAttachment = "has_attachment"
	FacetFlag          = "flag" // sensitive-content category
)

// FacetNames lists the facets in the order Result.Facets holds them.
var FacetNames = []string{FacetSenderDomain, FacetCustodian, FacetMonth, FacetLeak, FacetHasAttachment, FacetFlag}

// FacetTag counts hits per review tag. It is computed only when
// Request.TagFacet asks for it, and then follows FacetNames in
// Result.Facets: tags are counsel's work product, never shown to
// employees, so a caller must ask for them knowingly.
const FacetTag = "tag"

var tagFacet = struct{ name, field string }{FacetTag, fieldTag}

var facetFields = []struct{ name, field string }{
	{FacetSenderDomain, fieldSenderDomain},
	{FacetCustodian, fieldCustodian},
	{FacetMonth, fieldMonth},
	{FacetLeak, fieldLeak},
	{FacetHasAttachment, fieldHasAttachment},
	{FacetFlag, fieldFlag},
}

// facets reads the facets asked for (facetFields, then the tag facet when
// tags is set) from res.
func facets(res bsearch.FacetResults, tags bool) []Facet {
	fields := facetFields
	if tags {
		fields = append(fields[:len(fields):len(fields)], tagFacet)
	}
	out := make([]Facet, 0, len(fields))
	for _, f := range fields {
		fr := res[f.name]
		facet := Facet{Name: f.name}
		if fr != nil {
			facet.Other = fr.Other + fr.Missing
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					facet.Values = append(facet.Values, FacetValue{Value: t.Term, Count: t.Count})
				}
			}
		}
		out = append(out, facet)
	}
	return out
}
