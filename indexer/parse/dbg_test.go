package parse

import (
	"encoding/json"
	"os"
	"testing"
)

func TestDebugDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	raw, _ := os.ReadFile(f)
	p, err := Parse(raw, os.Getenv("FROMLINE"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var dump func(p *Parsed)
	dump = func(p *Parsed) {
		b, _ := json.MarshalIndent(struct {
			M    any
			T    any
			Part string
		}{p.Message, p.Text, p.Part}, "", "  ")
		t.Log(string(b))
		for _, c := range p.Attached {
			dump(c)
		}
	}
	dump(p)
}
