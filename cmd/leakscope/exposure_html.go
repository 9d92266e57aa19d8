package main

import (
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sync"

	"github.com/leakscope/leakscope"
)

//go:embed exposure.html.tmpl
var exposureTemplateText string

// exposureTemplate is parsed on first use, not at the start of every
// command.
var exposureTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("exposure").Funcs(template.FuncMap{
		"pct": func(a, b int) string {
			if b == 0 {
				return "0"
			}
			return fmt.Sprintf("%.1f", 100*float64(a)/float64(b))
		},
		"counts":  formatCounts,
		"altered": countAltered,
		"date": func(t any) string {
			switch v := t.(type) {
			case interface{ Format(string) string }:
				return v.Format("2006-01-02")
			}
			return ""
		},
	}).Parse(exposureTemplateText))
})

// bar is one bar of an SVG chart.
type bar struct {
	Label      string
	Value      int
	X, Y, W, H float64
	LabelX     float64
	ShowLabel  bool
}

// chart lays out a bar chart of values in a width × height box.
type chart struct {
	Width, Height float64
	Bars          []bar
	Max           int
}

func newChart(labels []string, values []int, width, height float64) chart {
	c := chart{Width: width, Height: height}
	for _, v := range values {
		c.Max = max(c.Max, v)
	}
	if len(values) == 0 || c.Max == 0 {
		return c
	}
	slot := width / float64(len(values))
	every := max(1, len(values)/12) // at most about 12 labels
	for i, v := range values {
		h := (height - 20) * float64(v) / float64(c.Max)
		c.Bars = append(c.Bars, bar{
			Label: labels[i], Value: v,
			X: float64(i)*slot + slot*0.1, W: slot * 0.8, Y: height - 20 - h, H: h,
			LabelX: float64(i)*slot + slot/2, ShowLabel: i%every == 0,
		})
	}
	return c
}

// writeExposureHTML writes the report as one self-contained HTML file
// (inline CSS, SVG charts, no script), through a temporary file renamed
// into place.
func writeExposureHTML(path string, r *leakscope.ExposureReport) error {
	var months, waves []string
	var mv, wv []int
	for _, m := range r.Months {
		months, mv = append(months, m.Month), append(mv, m.Messages)
	}
	for _, b := range r.Batches {
		label := b.Batch
		if label == "" {
			label = b.Leak
		}
		waves, wv = append(waves, label), append(wv, b.Messages)
	}
	data := struct {
		R      *leakscope.ExposureReport
		Months chart
		Waves  chart
		Top    int
	}{r, newChart(months, mv, 900, 220), newChart(waves, wv, 900, 180), 50}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".exposure-*.html")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := exposureTemplate().Execute(tmp, data); err != nil {
		tmp.Close()
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
