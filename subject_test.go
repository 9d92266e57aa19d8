package leakscope

import "testing"

func TestNormalizeSubject(t *testing.T) {
	tests := []struct {
		name, in, want string
		reply          bool
	}{
		{"plain", "Quarterly results", "quarterly results", false},
		{"re", "Re: Quarterly  results", "quarterly results", true},
		{"stacked", "RE: Fwd: AW: SV:  Budget", "budget", true},
		{"counted", "Re[2]: Budget", "budget", true},
		{"list tag", "[sony-exec] Re: Budget", "budget", true},
		{"fullwidth colon", "回复：预算", "预算", true},
		{"not a prefix", "Note: call me", "note: call me", false},
		{"empty", "", "", false},
		{"only prefix", "Re:", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reply := NormalizeSubject(tt.in)
			if got != tt.want || reply != tt.reply {
				t.Errorf("NormalizeSubject(%q) = %q, %v, want %q, %v", tt.in, got, reply, tt.want, tt.reply)
			}
		})
	}
}

func TestNormalizeMessageID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<a@b>", "a@b"},
		{"  <a@b>  ", "a@b"},
		{"<9209252113.AA00975@ ebony >", "9209252113.AA00975@ebony"},
		{"<a@b> <c@d>", "a@b"},
		{"a@b", "a@b"},
		{"<a@b", "a@b"},
		{"", ""},
	} {
		if got := NormalizeMessageID(tc.in); got != tc.want {
			t.Errorf("NormalizeMessageID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
