package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/detect/rulefile"
	"github.com/leakscope/leakscope/store"
)

// Settings of a data directory that detection reads (store.Setting).
const (
	settingRulesName = "rules_name" // base name of the user's rule file
	settingRules     = "rules"      // its content
	settingCounsel   = "counsel"    // counsel addresses and domains, one per line
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

// loadDetector builds the detector of the data directory: the built-in
// rules plus the user's rules and counsel list, read from the flags when
// given (and then saved in the store) or else from the store.
func loadDetector(ctx context.Context, st *store.DB, f detectFlags) (*detector, error) {
	name, rules, counsel := "", []byte(nil), []byte(nil)
	var err error
	if f.rules != "" {
		if rules, err = os.ReadFile(f.rules); err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		name = filepath.Base(f.rules)
	} else if !f.noRules {
		if rules, err = st.Setting(ctx, settingRules); err != nil {
			return nil, err
		}
		n, err := st.Setting(ctx, settingRulesName)
		if err != nil {
			return nil, err
		}
		name = string(n)
	}
	if f.counsel != "" {
		counsel = []byte(strings.Join(strings.Split(f.counsel, ","), "\n"))
	} else if counsel, err = st.Setting(ctx, settingCounsel); err != nil {
		return nil, err
	}
	var opts detect.Options
	if len(rules) > 0 {
		if name == "" {
			name = "rules"
		}
		if opts.Rules, err = rulefile.Load(name, rules); err != nil {
			return nil, fmt.Errorf("detection rules: %w", err)
		}
	}
	for _, c := range strings.Fields(string(counsel)) {
		c = strings.ToLower(strings.TrimSpace(c))
		if strings.Contains(c, "@") {
			opts.CounselAddresses = append(opts.CounselAddresses, c)
		} else if c != "" {
			opts.CounselDomains = append(opts.CounselDomains, strings.TrimPrefix(c, "@"))
		}
	}
	d, err := detect.New(opts)
	if err != nil {
		return nil, fmt.Errorf("detection rules: %w", err)
	}
	// Saved only once they load, so a bad file never breaks later runs.
	if f.rules != "" || f.noRules {
		if err := st.PutSetting(ctx, settingRules, rules); err != nil {
			return nil, err
		}
		if err := st.PutSetting(ctx, settingRulesName, []byte(name)); err != nil {
			return nil, err
		}
	}
	if f.counsel != "" {
		if err := st.PutSetting(ctx, settingCounsel, counsel); err != nil {
			return nil, err
		}
	}
	return &detector{d: d}, nil
}

// detector runs detection for the indexer and for redetect.
type detector struct {
	d *detect.Detector
}

// Detect returns the flags, risk and identifiers of a message. The
// message's own addresses count as email identifiers too.
func (a *detector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	flags, found := a.d.Detect(m, t)
	var ids []leakscope.Identifier
	for _, id := range found {
		ids = append(ids, leakscope.Identifier{Kind: id.Kind, Value: id.Value})
	}
	addrs := append(m.Recipients(), m.From)
	addrs = append(addrs, m.ReplyTo...)
	if m.Sender != nil {
		addrs = append(addrs, *m.Sender)
	}
	for _, a := range addrs {
		if a.Email != "" {
			ids = append(ids, leakscope.Identifier{Kind: leakscope.IdentEmail, Value: strings.ToLower(a.Email)})
		}
	}
	return flags, detect.Risk(flags), ids
}
