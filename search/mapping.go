package search

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion is stored in every index; Open refuses an index built with
// another version (the index must be rebuilt from the store). Bump it with
// any change to this file or to the analysis.
const mappingVersion = "6"

// Index field names. Keyword fields hold lower-cased values.
const (
	fieldSubject    = "subject"    // text
	fieldBody       = "body"       // text
	fieldAttachment = "attachment" // text: attachment names and extracted text

	// Keyword fields of the tokens of the values flagged in each text
	// field (valueToken), which holds them masked.
	fieldSubjectValue    = "subject_value"
	fieldBodyValue       = "body_value"
	fieldAttachmentValue = "attachment_value"

	fieldMessageID = "message_id" // keyword
	fieldThread    = "thread"     // keyword
	fieldLeak      = "leak"       // keyword, facet: one per copy
	fieldBatch     = "batch"      // keyword: one per copy
	fieldCustodian = "custodian"  // keyword, facet: one per copy
	fieldFolder    = "folder"     // keyword: one per copy
	fieldFlag      = "flag"       // keyword, facet: flag categories
	fieldSeverity  = "severity"   // keyword: every level up to the highest flag's
	fieldTag       = "tag"        // keyword, facet (see FacetTag): review tags, leakscope.Document.Tags
	fieldHas       = "has"        // keyword: "attachment"

	fieldDate          = "date"           // datetime: range queries
	fieldDateKey       = "date_key"       // keyword, sort: binary date and ID (dateSortKey), one term per message
	fieldRisk          = "risk"           // number: range queries
	fieldRiskKey       = "risk_key"       // keyword, sort: "042.50", fixed width, one term per message
	fieldSenderDomain  = "sender_domain"  // keyword, facet: the From domain as written
	fieldMonth         = "month"          // keyword, facet: "2001-05" (UTC)
	fieldHasAttachment = "has_attachment" // keyword, facet: "yes" or "no"
)

// Address field names per header role: role + suffix, e.g. "from_addr".
const (
	suffixAddr   = "_addr" // keyword: lower-cased full address
	suffixDomain = "_dom"  // keyword: the domain and its parents (DomainSuffixes)
	suffixName   = "_name" // leakscope_name: display name and local part words
)

var addressRoles = []string{"from", "to", "cc", "bcc"}

// valueFields maps each text field to the field of its values' tokens.
var valueFields = map[string]string{fieldSubject: fieldSubjectValue, fieldBody: fieldBodyValue, fieldAttachment: fieldAttachmentValue}

// mappingConfig holds the knobs benchmarks turn to measure their cost.
// The zero value is not used; defaultMappingConfig is what Open builds.
type mappingConfig struct {
	textAnalyzer string // analyzer of subject, body and attachment
	termVectors  bool   // positions on text and name fields (phrase queries)
}

var defaultMappingConfig = mappingConfig{textAnalyzer: indexTextAnalyzerName, termVectors: true}

// newMapping builds the explicit index mapping: dynamic mapping off, the
// keyword analyzer by default, nothing stored, no _all field, doc values
// only on the fields sorted or faceted on.
func newMapping(cfg mappingConfig) *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:               "text",
			Analyzer:           cfg.textAnalyzer,
			Index:              true,
			IncludeTermVectors: cfg.termVectors,
		}
	}
	name := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:               "text",
			Analyzer:           indexNameAnalyzerName,
			Index:              true,
			IncludeTermVectors: cfg.termVectors,
		}
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:      "text",
			Analyzer:  keyword.Name,
			Index:     true,
			DocValues: docValues,
		}
	}

	doc := mapping.NewDocumentStaticMapping()
	add := func(field string, fm *mapping.FieldMapping) {
		doc.AddFieldMappingsAt(field, fm)
	}
	add(fieldSubject, text())
	add(fieldBody, text())
	add(fieldAttachment, text())
	for _, role := range addressRoles {
		add(role+suffixAddr, kw(false))
		add(role+suffixDomain, kw(false))
		add(role+suffixName, name())
	}
	// The tag facet has no doc values: bleve un-inverts the field (reads
	// its few terms and their postings) once per segment instead, which
	// costs little for a field this small and spared a new mapping version
	// (a rebuild of every index) when tags were added.
	for _, f := range []string{fieldMessageID, fieldThread, fieldBatch, fieldFolder, fieldSeverity, fieldTag, fieldHas,
		fieldSubjectValue, fieldBodyValue, fieldAttachmentValue} {
		add(f, kw(false))
	}
	for _, f := range []string{fieldLeak, fieldCustodian, fieldFlag, fieldSenderDomain, fieldMonth, fieldHasAttachment} {
		add(f, kw(true))
	}
	// Sorting reads doc values. A datetime field holds eight prefix-coded
	// terms per value (for range queries), so date order is kept on a
	// keyword field of one fixed-width term instead, which bleve reads
	// several times faster. Risk order likewise (bleve's SearchAfter also
	// mis-orders prefix-coded numbers).
	add(fieldDate, &mapping.FieldMapping{Type: "datetime", Index: true})
	add(fieldDateKey, kw(true))
	add(fieldRisk, &mapping.FieldMapping{Type: "number", Index: true})
	add(fieldRiskKey, kw(true))

	all := mapping.NewDocumentDisabledMapping()
	doc.AddSubDocumentMapping("_all", all)

	im := mapping.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}
