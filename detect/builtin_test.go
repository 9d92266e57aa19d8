package detect

import (
	"reflect"
	"testing"
)

func TestBuiltinRules(t *testing.T) {
	rules := BuiltinRules()
	if len(rules) != 46 {
		t.Errorf("BuiltinRules() has %d rules, want 46", len(rules))
	}
	ids := map[string]bool{}
	cats := map[string]bool{}
	for _, r := range rules {
		if ids[r.ID] {
			t.Errorf("built-in rule id %q defined twice", r.ID)
		}
		ids[r.ID] = true
		cats[r.Category] = true
		if r.Description == "" {
			t.Errorf("built-in rule %q has no description", r.ID)
		}
		if want := "builtin:" + r.ID; r.Source != want {
			t.Errorf("built-in rule %q Source = %q, want %q", r.ID, r.Source, want)
		}
		if r.Disabled {
			t.Errorf("built-in rule %q is disabled", r.ID)
		}
		if err := CheckRule(r); err != nil {
			t.Errorf("CheckRule(%q) = %v", r.ID, err)
		}
	}
	for _, c := range Categories {
		if !cats[c] {
			t.Errorf("no built-in rule for category %q", c)
		}
	}
	if first, last := rules[0].ID, rules[len(rules)-1].ID; first != "ssn.dashed" || last != "offensive.slur_cased" {
		t.Errorf("BuiltinRules() runs from %q to %q, want ssn.dashed to offensive.slur_cased", first, last)
	}
}

// TestBuiltinRulesCopy checks that changing the returned rules leaves the
// pack alone.
func TestBuiltinRulesCopy(t *testing.T) {
	a := BuiltinRules()
	want := BuiltinRules()
	for i := range a {
		a[i].ID = "changed"
		for _, list := range [][]string{a[i].Words, a[i].Keywords, a[i].Context, a[i].Exclude, a[i].Where} {
			for j := range list {
				list[j] = "changed"
			}
		}
	}
	if got := BuiltinRules(); !reflect.DeepEqual(got, want) {
		t.Errorf("BuiltinRules() changed after its result was modified")
	}
}
