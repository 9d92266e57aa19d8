package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/detect"
	"github.com/leakscope/leakscope/detect/rulefile"
)

// Settings of a data directory that detection reads (store.Setting).
const (
	settingRulesName = "rules_name" // base name of the user's rule file
	settingRules     = "rules"      // its content
	// SettingCounsel holds counsel's addresses and domains, one per line.
	SettingCounsel = "counsel"
)

// DetectSettings say which rules and counsel list detection uses. The
// zero value uses those the data directory keeps (the built-in rules
// alone when it keeps none).
type DetectSettings struct {
	// RulesFile, when set, is a rule file (TOML or YAML) whose rules are
	// added to the built-in ones and kept for later runs.
	RulesFile string
	// BuiltinOnly forgets the rule file kept before (with no RulesFile).
	BuiltinOnly bool
	// Counsel, when not empty, replaces the counsel addresses and domains
	// kept before: mail to or from them is flagged legal_privilege.
	Counsel []string
}

// Settings is where a data directory keeps its detection settings
// (store.DB implements it).
type Settings interface {
	Setting(ctx context.Context, key string) ([]byte, error)
	PutSetting(ctx context.Context, key string, value []byte) error
}

// Detector finds the sensitive content of a message for the indexer and
// for redetection.
type Detector struct {
	d *detect.Detector
}

// Detector builds the detector of the data directory (LoadDetector).
func (a *App) Detector(ctx context.Context, s DetectSettings) (*Detector, error) {
	return LoadDetector(ctx, a.Store, s)
}

// LoadDetector builds the detector of a data directory: the built-in
// rules plus the user's rules and counsel list, read from s when it gives
// them (and then kept in st, once they load, so that a bad file never
// breaks later runs) or else from st.
func LoadDetector(ctx context.Context, st Settings, s DetectSettings) (*Detector, error) {
	name, rules, err := loadRules(ctx, st, s)
	if err != nil {
		return nil, err
	}
	counsel := []byte(strings.Join(s.Counsel, "\n"))
	if len(s.Counsel) == 0 {
		if counsel, err = st.Setting(ctx, SettingCounsel); err != nil {
			return nil, err
		}
	}
	opts, err := detectOptions(name, rules, counsel)
	if err != nil {
		return nil, err
	}
	d, err := detect.New(opts)
	if err != nil {
		return nil, fmt.Errorf("detection rules: %w", err)
	}
	if s.RulesFile != "" || s.BuiltinOnly {
		if err := st.PutSetting(ctx, settingRules, rules); err != nil {
			return nil, err
		}
		if err := st.PutSetting(ctx, settingRulesName, []byte(name)); err != nil {
			return nil, err
		}
	}
	if len(s.Counsel) > 0 {
		if err := st.PutSetting(ctx, SettingCounsel, counsel); err != nil {
			return nil, err
		}
	}
	return &Detector{d: d}, nil
}

// loadRules returns the name and content of the user's rule file: s's,
// none with BuiltinOnly, or else the one st keeps.
func loadRules(ctx context.Context, st Settings, s DetectSettings) (string, []byte, error) {
	switch {
	case s.RulesFile != "":
		rules, err := os.ReadFile(s.RulesFile)
		if err != nil {
			return "", nil, fmt.Errorf("read rules: %w", err)
		}
		return filepath.Base(s.RulesFile), rules, nil
	case s.BuiltinOnly:
		return "", nil, nil
	}
	rules, err := st.Setting(ctx, settingRules)
	if err != nil {
		return "", nil, err
	}
	name, err := st.Setting(ctx, settingRulesName)
	return string(name), rules, err
}

// detectOptions parses the rule file and sorts the counsel list (one
// address or domain a line) into addresses and domains.
func detectOptions(name string, rules, counsel []byte) (detect.Options, error) {
	var opts detect.Options
	if len(rules) > 0 {
		if name == "" {
			name = "rules"
		}
		var err error
		if opts.Rules, err = rulefile.Load(name, rules); err != nil {
			return opts, fmt.Errorf("detection rules: %w", err)
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
	return opts, nil
}

// Detect returns the flags, risk and identifiers of a message. The
// message's own addresses (sender, recipients, Reply-To, Sender) count as
// email identifiers too, so that an exposure check of an address finds
// every message it is on.
func (x *Detector) Detect(m *leakscope.Message, t *leakscope.Text) ([]leakscope.Flag, float64, []leakscope.Identifier) {
	flags, found := x.d.Detect(m, t)
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
