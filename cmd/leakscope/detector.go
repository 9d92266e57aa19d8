package main

import (
	"context"
	"flag"
	"strings"

	"github.com/leakscope/leakscope/app"
	"github.com/leakscope/leakscope/store"
)

// detectFlags are the detection flags of index and redetect.
type detectFlags struct {
	rules   string
	noRules bool
	counsel string
}

func addDetectFlags(fs *flag.FlagSet) *detectFlags {
	f := &detectFlags{}
	fs.StringVar(&f.rules, "rules", "", rulesFlagHelp)
	fs.BoolVar(&f.noRules, "builtin-rules", false, "use the built-in detection rules only, forgetting a rule file given before")
	fs.StringVar(&f.counsel, "counsel", "", counselFlagHelp)
	return f
}

const rulesFlagHelp = "add the detection rules in `FILE` (TOML or YAML, see README) to the built-in ones; " +
	"kept in the data directory for later runs"

const counselFlagHelp = "counsel's addresses and domains, comma-separated (`LIST`): mail to or from them " +
	"is flagged legal_privilege; kept in the data directory"

// settings are the detection settings the flags ask for.
func (f detectFlags) settings() app.DetectSettings {
	s := app.DetectSettings{RulesFile: f.rules, BuiltinOnly: f.noRules}
	if f.counsel != "" {
		s.Counsel = strings.Split(f.counsel, ",")
	}
	return s
}

// loadDetector builds the detector of the data directory whose store is
// st (app.LoadDetector), with the settings the flags f ask for.
func loadDetector(ctx context.Context, st *store.DB, f detectFlags) (*app.Detector, error) {
	return app.LoadDetector(ctx, st, f.settings())
}
