package exposure

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestSegmentBody(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		own    []string   // lines of the own segment
		quoted [][]string // lines of each quoted segment
	}{
		{
			name:   "plain",
			body:   "Hi Bob,\n\nThe numbers are in.\nSee you Monday.\n",
			own:    []string{"The numbers are in.", "See you Monday."},
			quoted: nil,
		},
		{
			name: "outlook original message with header block",
			body: "Agreed.\n\n-----Original Message-----\nFrom: Alice [mailto:a@x.com]\nSent: Monday, January 07, 2013 8:16 PM\n" +
				"To: Bob\nSubject: RE: plan\n\nThe plan is fine.\n",
			own:    []string{"Agreed."},
			quoted: [][]string{{"The plan is fine."}},
		},
		{
			name: "angle quotes after an attribution, nested",
			body: "Yes.\n\nOn Mon, Jan 7, 2013 at 4:46 AM, Alice <a@x.com> wrote:\n> First level.\n>\n> On Sun, Bob wrote:\n>> Second level.\n",
			own:  []string{"Yes."},
			quoted: [][]string{
				{"First level."},
				{"Second level."},
			},
		},
		{
			name:   "attribution wrapped over two lines",
			body:   "Fine.\n\nOn Mon, Jan 7, 2013 at 4:46 AM, Alice\n<a@x.com> wrote:\n> Quoted text here.\n",
			own:    []string{"Fine."},
			quoted: [][]string{{"Quoted text here."}},
		},
		{
			name:   "attribution whose quote lost its prefixes",
			body:   "Fine.\n\nOn Mon, Jan 7, 2013 at 4:46 AM, Alice <a@x.com> wrote:\nQuoted text without prefixes.\n",
			own:    []string{"Fine."},
			quoted: [][]string{{"Quoted text without prefixes."}},
		},
		{
			name:   "inline reply stays own text",
			body:   "> Can you come?\nYes, at ten.\n> And Bob?\nHe cannot.\n",
			own:    []string{"Yes, at ten.", "He cannot."},
			quoted: [][]string{{"Can you come?", "And Bob?"}},
		},
		{
			name: "outlook header block after a rule, no separator line",
			body: "See below.\n\n________________________________\nFrom: Alice\nSent: Monday, January 07, 2013 8:16 PM\nTo: Bob\n" +
				"Subject: plan\n\nBelow it is.\n",
			own:    []string{"See below."},
			quoted: [][]string{{"Below it is."}},
		},
		{
			name: "lotus notes forward",
			body: "FYI\n\n---------------------- Forwarded by Phillip K Allen/HOU/ECT on 05/10/2001 01:46 PM ---------------------------\n\n\n" +
				"\"Jeff Smith\" <jsmith@austintx.com> on 05/09/2001 03:53:56 PM\nTo: <Phillip.K.Allen@enron.com>\ncc:\nSubject: status\n\n\nThe release is drafted.\n",
			own:    []string{"FYI"},
			quoted: [][]string{{"The release is drafted."}},
		},
		{
			name: "lotus notes reply header",
			body: "Sounds right.\n\n\n\n\tJeff Dasovich@ENRON\n\t05/09/2001 10:40 AM\n\t\t\n\t\t To: Phillip K Allen/HOU/ECT@ECT\n\t\t cc: \n" +
				"\t\t Subject: Re: gas\n\nWhat about the gas price?\n",
			own:    []string{"Sounds right."},
			quoted: [][]string{{"What about the gas price?"}},
		},
		{
			name:   "gmail forward",
			body:   "Look.\n\n---------- Forwarded message ---------\nFrom: A <a@x.com>\nDate: Mon, Jan 7, 2013\nSubject: x\nTo: B <b@x.com>\n\nForwarded body.\n",
			own:    []string{"Look."},
			quoted: [][]string{{"Forwarded body."}},
		},
		{
			name:   "signature delimiter",
			body:   "Body line.\n-- \nBob Smith\nACME\n",
			own:    []string{"Body line."},
			quoted: nil,
		},
		{
			name: "closing and signature block, disclaimer",
			body: "Body line.\n\nBest regards,\nBob Smith\nVP Finance\n+1 555 0100\n\nCONFIDENTIALITY NOTICE: This e-mail is for the intended " +
				"recipient only and may be privileged. Any unauthorized use is prohibited.\n",
			own:    []string{"Body line."},
			quoted: nil,
		},
		{
			name:   "gateway banner",
			body:   "CAUTION: This email originated from outside of the organization. Do not click links or open attachments unless you recognize the sender.\n\nReal text.\n",
			own:    []string{"Real text."},
			quoted: nil,
		},
		{
			name:   "a sentence that mentions confidential once is kept",
			body:   "Keep this confidential until Friday.\n",
			own:    []string{"Keep this confidential until Friday."},
			quoted: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := segmentBody(tt.body)
			if len(segs) == 0 || segs[0].quoted {
				t.Fatalf("segmentBody(%q): first segment missing or quoted: %+v", tt.body, segs)
			}
			if got := nonBlank(segs[0].lines); !slices.Equal(got, tt.own) {
				t.Errorf("segmentBody(%q) own = %q, want %q", tt.body, got, tt.own)
			}
			var quoted [][]string
			for _, s := range segs[1:] {
				if !s.quoted {
					t.Errorf("segment after the first not marked quoted: %q", s.lines)
				}
				if l := nonBlank(s.lines); len(l) > 0 {
					quoted = append(quoted, l)
				}
			}
			if len(quoted) != len(tt.quoted) {
				t.Fatalf("segmentBody(%q) quoted = %q, want %q", tt.body, quoted, tt.quoted)
			}
			for i := range quoted {
				if !slices.Equal(quoted[i], tt.quoted[i]) {
					t.Errorf("segmentBody(%q) quoted[%d] = %q, want %q", tt.body, i, quoted[i], tt.quoted[i])
				}
			}
		})
	}
}

func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One. Two! Three? four.", []string{"One.", "Two!", "Three? four."}},
		{"Pay $1.5m by Friday. 2014 was good.", []string{"Pay $1.5m by Friday.", "2014 was good."}},
		{"No end", []string{"No end"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := splitSentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzModel reads arbitrary bodies and checks what matching relies on:
// the first segment is the own text and the others are quoted, no line
// holds a line break, shingle sets are sorted and unique, the own text's
// shingles are in the whole text's, and a message matched against a leak
// holding only itself is an exact match.
func FuzzModel(f *testing.F) {
	f.Add("Hi,\n\nThe plan.\n\n-----Original Message-----\nFrom: A\nSent: x\nSubject: y\n\n> old text\n")
	f.Add("On Mon, A wrote:\n>> deep\n> less\nown\n-- \nsig")
	f.Add("o 1. ? ?? € http://x <mailto:y> M?ller Müller")
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 1<<16 {
			return
		}
		md := newModel(&leakscope.Text{Body: body})
		for i, s := range md.segs {
			if s.quoted != (i > 0) {
				t.Fatalf("segment %d quoted=%v", i, s.quoted)
			}
			for _, l := range s.lines {
				if strings.ContainsAny(l, "\n") {
					t.Fatalf("segment line %q holds a line break", l)
				}
			}
		}
		for _, set := range append([][]uint64{md.own, md.full}, md.quotes...) {
			if !slices.IsSorted(set) || len(slices.Compact(slices.Clone(set))) != len(set) {
				t.Fatalf("shingle set not sorted and unique")
			}
		}
		for _, s := range md.own {
			if _, found := slices.BinarySearch(md.full, s); !found {
				t.Fatalf("own shingle missing from the whole text")
			}
		}
		m := NewMatcher(Options{})
		msg := &leakscope.Message{ID: "l", Subject: "s", From: leakscope.Address{Email: "a@b.example"}}
		if err := m.AddLeaked(msg, &leakscope.Text{Body: body}); err != nil {
			t.Fatal(err)
		}
		ref := *msg
		ref.ID = "r"
		got, err := m.Match(context.Background(), &ref, &leakscope.Text{Body: body})
		if err != nil || got.Kind != KindExact || got.Altered || len(got.IDs()) != 1 {
			t.Fatalf("Match of a message against itself = %+v, %v; want exact, unaltered", got, err)
		}
	})
}
