package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NotifyCSVFields are the columns of the report's CSV form: one row per
// person, a message count per notification category.
var NotifyCSVFields = []string{"NAME", "ADDRESS", "DEPARTMENT", "CATEGORIES", "MESSAGES",
	"IDENTITY", "FINANCIAL", "MEDICAL", "CREDENTIALS", "EMPLOYMENT", "CONTACT",
	"BASIS", "FIRST_WAVE_LEAK", "FIRST_WAVE_BATCH", "FIRST_WAVE_PUBLISHED", "FIRST_WAVE_INGESTED", "BATES"}

// WriteCSV writes the report as CSV (RFC 4180, UTF-8 with a byte order
// mark, CR LF), one row per person.
func (r *NotifyReport) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(NotifyCSVFields)
	for _, p := range r.People {
		row := []string{p.Name, p.Address, p.Department, strings.Join(p.Categories, "; "), strconv.Itoa(p.Messages)}
		for _, c := range NotifyCategoryNames {
			row = append(row, strconv.Itoa(p.ByCategory[c]))
		}
		row = append(row, basisString(p.Basis))
		if wv := p.FirstWave; wv != nil {
			pub := ""
			if wv.Published != nil {
				pub = wv.Published.Format(time.DateOnly)
			}
			row = append(row, wv.Leak, wv.Batch, pub, wv.Ingested.Format(time.RFC3339))
		} else {
			row = append(row, "", "", "", "")
		}
		row = append(row, strings.Join(p.Bates, "; "))
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// basisString formats basis counts strongest first: "named 3; sender 1".
func basisString(b map[string]int) string {
	var parts []string
	for _, k := range []string{BasisNamed, BasisSender, BasisRecipient} {
		if b[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, b[k]))
		}
	}
	keys := make([]string, 0, len(b))
	for k := range b {
		if k != BasisNamed && k != BasisSender && k != BasisRecipient {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, b[k]))
	}
	return strings.Join(parts, "; ")
}
