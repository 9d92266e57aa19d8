package detect

import (
	"math"
	"sort"

	"github.com/leakscope/leakscope"
)

// severityWeight is how much one certain finding of a severity counts.
var severityWeight = map[string]float64{"low": 1, "medium": 3, "high": 6, "critical": 10}

// whereWeight makes findings in attachments (often the document that
// matters: a spreadsheet of salaries, a scanned passport) and in subjects
// (shown in every listing) count more than in bodies.
var whereWeight = map[string]float64{
	WhereAttachment: 1.5, WhereAttachmentName: 1.2, WhereSubject: 1.2, WhereBody: 1, WhereHeader: 1,
}

// Risk scores a message's flags from 0 (nothing found) to 100:
//
//	score(flag)     = weight(severity) × confidence × weight(where)
//	                  severity: low 1, medium 3, high 6, critical 10
//	                  where: attachment 1.5, attachment_name 1.2, subject 1.2, body and header 1
//	category(c)     = Σ score(k-th highest flag of c) / k        (k = 1, 2, ...)
//	risk            = 100 × (1 − exp(−Σ category(c) / 20))
//
// Counts matter with diminishing returns (ten phone numbers weigh less than
// one SSN; a hundred SSNs weigh more than one), and several categories add
// up. One certain SSN or credential scores 39, one phone number 5; a
// certain SSN and a password together score 63. The result has two
// decimals.
func Risk(flags []leakscope.Flag) float64 {
	byCat := map[string][]float64{}
	for _, f := range flags {
		w := severityWeight[f.Severity]
		if w == 0 {
			w = severityWeight["medium"]
		}
		ww := whereWeight[f.Where]
		if ww == 0 {
			ww = 1
		}
		c := math.Min(math.Max(f.Confidence, 0), 1)
		byCat[f.Category] = append(byCat[f.Category], w*c*ww)
	}
	total := 0.0
	for _, scores := range byCat {
		sort.Sort(sort.Reverse(sort.Float64Slice(scores)))
		for k, s := range scores {
			total += s / float64(k+1)
		}
	}
	return math.Round(100*(1-math.Exp(-total/20))*100) / 100
}
