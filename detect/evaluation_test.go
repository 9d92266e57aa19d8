package detect

import "testing"

// TestEvaluation measures precision and recall per category on the
// synthetic set, on the two hand-labelled Enron samples (the development
// sample the rules were tuned on, and a held-out sample labelled later) and
// on all of them together. It logs the tables with every false positive
// and miss (go test -v -run TestEvaluation) and fails below the targets
// (precision 0.95, recall 0.90): on the synthetic set and on the sum, in
// every category; on each Enron sample alone, in categories with at least
// 20 labels or flags (fewer say little: one miss among seven labels is
// 0.86).
func TestEvaluation(t *testing.T) {
	sd, err := New(syntheticOptions)
	if err != nil {
		t.Fatal(err)
	}
	synth := score(sd, syntheticCases())
	t.Log("\n" + report("Synthetic set", synth))
	logExamples(t, synth)
	checkTargets(t, "synthetic", synth, 1)

	all := []map[string]*tally{synth}
	for _, set := range []struct{ name, file string }{
		{"Enron development sample", "enron_labels.tsv"},
		{"Enron held-out sample", "enron_heldout.tsv"},
	} {
		t.Run(set.file, func(t *testing.T) {
			d, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			tallies := score(d, enronCases(t, set.file))
			t.Log("\n" + report(set.name, tallies))
			logExamples(t, tallies)
			checkTargets(t, set.name, tallies, 20)
			all = append(all, tallies)
		})
	}
	if len(all) > 1 {
		enron := merge(all[1:]...)
		t.Log("\n" + report("Enron, both samples", enron))
		combined := merge(all...)
		t.Log("\n" + report("Combined", combined))
		checkTargets(t, "combined", combined, 1)
	}
}
