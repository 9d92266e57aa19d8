package detect

import (
	"testing"

	"github.com/leakscope/leakscope"
)

func TestRisk(t *testing.T) {
	flag := func(cat, sev, where string, conf float64) leakscope.Flag {
		return leakscope.Flag{Category: cat, Severity: sev, Where: where, Confidence: conf}
	}
	ssn := flag(leakscope.FlagSSN, "critical", WhereBody, 1)
	pw := flag(leakscope.FlagCredential, "critical", WhereBody, 1)
	phone := flag(leakscope.FlagPhone, "low", WhereBody, 1)
	many := func(f leakscope.Flag, n int) []leakscope.Flag {
		out := make([]leakscope.Flag, n)
		for i := range out {
			out[i] = f
		}
		return out
	}
	tests := []struct {
		name  string
		flags []leakscope.Flag
		want  float64
	}{
		{"nothing", nil, 0},
		{"one SSN", []leakscope.Flag{ssn}, 39.35},
		{"one phone", []leakscope.Flag{phone}, 4.88},
		{"SSN and password", []leakscope.Flag{ssn, pw}, 63.21},
		{"ten phones", many(phone, 10), 13.62},
		{"SSN in an attachment", []leakscope.Flag{flag(leakscope.FlagSSN, "critical", WhereAttachment, 1)}, 52.76},
		{"half-sure SSN", []leakscope.Flag{flag(leakscope.FlagSSN, "critical", WhereBody, 0.5)}, 22.12},
	}
	for _, tt := range tests {
		if got := Risk(tt.flags); got != tt.want {
			t.Errorf("Risk(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	if Risk(many(ssn, 100)) <= Risk(many(ssn, 2)) || Risk(many(ssn, 100)) > 100 {
		t.Errorf("Risk grows with the number of SSNs and stays under 100: 2 → %v, 100 → %v", Risk(many(ssn, 2)), Risk(many(ssn, 100)))
	}
	if Risk(many(phone, 10)) >= Risk([]leakscope.Flag{ssn}) {
		t.Errorf("ten phone numbers (%v) should weigh less than one SSN (%v)", Risk(many(phone, 10)), Risk([]leakscope.Flag{ssn}))
	}
}
