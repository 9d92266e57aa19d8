// Package rulefile reads user rule files for package detect: TOML or YAML
// files of detect.Rule values, checked as they are read so that a mistake
// is reported with its file and line before any mail is scanned.
//
//	rules, err := rulefile.ReadFile("rules.toml")
//	if err != nil {
//		return err // rules.toml:12: field "window": want ...
//	}
//	d, err := detect.New(detect.Options{Rules: rules})
//
// # Rule files
//
// The rules of a file are added to detect's built-in pack (through
// detect.Options.Rules) or replace built-in rules of the same id
// (disabled = true turns one off). Load and ReadFile read TOML or YAML (by
// extension: .toml, .yaml, .yml; otherwise a file starting with "rules:"
// is YAML) and check every rule with detect.CheckRule; every error is a
// *detect.RuleError that names the file, the line and the reason
// ("rules.toml:12: field \"window\": want a whole number or a list of two
// whole numbers [before, after]"). Unknown fields are errors. A TOML file:
//
//	# Our project code names, a vendor account format, and a built-in rule off.
//	[[rule]]
//	id = "acme.project"
//	category = "confidential"
//	severity = "high"
//	description = "Code names of unannounced deals"
//	words = ["project raptor", "project condor", "project*"]
//	confidence = 0.7
//	exclude = ["project manager"]
//	exclude_window = [0, 10]
//
//	[[rule]]
//	id = "acme.vendor_account"
//	category = "bank_account"        # flags use the stable categories
//	severity = "high"
//	scan = "numbers"
//	min_digits = 7
//	pattern = '''\bV-\d{7}'''         # literal strings: no escaping in patterns
//	context = ["vendor account", "remit to"]
//	context_boost = 0.3
//	window = [40, 0]
//	require_context = true
//	where = ["body", "attachment"]
//
//	[[rule]]
//	id = "phone.local"               # a built-in rule's id: turn it off
//	disabled = true
//
// The same in YAML:
//
//	rules:
//	  - id: acme.project
//	    category: confidential
//	    severity: high
//	    description: Code names of unannounced deals
//	    words: [project raptor, project condor, "project*"]
//	    confidence: 0.7
//	    exclude: [project manager]
//	    exclude_window: [0, 10]
//	  - id: acme.vendor_account
//	    category: bank_account
//	    severity: high
//	    scan: numbers
//	    min_digits: 7
//	    pattern: '\bV-\d{7}'
//	    context:
//	      - vendor account
//	      - remit to
//	    context_boost: 0.3
//	    window: [40, 0]
//	    require_context: true
//	    where: [body, attachment]
//	  - id: phone.local
//	    disabled: true
//
// Fields (the detect.Rule fields they fill are documented there): id,
// category, severity, description, confidence (default 0.6), pattern or
// words, case_sensitive, scan, keywords, min_digits (default 1), extend =
// [before, after] (bytes around a number run or keyword the pattern also
// sees; default [3, 3] for numbers, [20, 80] for keywords), validator,
// min_entropy (default 3), context, context_boost (default 0.3),
// require_context, window (default [60, 30]; one number means both sides),
// exclude, exclude_window (default: window), exclude_sentence, where
// (subject, body, attachment_name, attachment; default all), disabled.
//
// Each rule's Source is "file:line", the line where the rule starts; an
// error in one rule's meaning (a bad pattern, an unknown category) is
// reported at that line, an error in one field at the field's line.
//
// # Standards followed
//
// TOML 1.0.0, read with github.com/pelletier/go-toml/v2: all of it
// (multi-line strings, inline tables, dotted keys). YAML 1.2, read with
// github.com/goccy/go-yaml: block scalars, flow collections, anchors and
// aliases (a word list written once, "words: *names" elsewhere). Syntax
// errors are the libraries' messages, at the libraries' lines.
//
// # Limits
//
// A rule file is at most 8 MiB.
//
// # Known divergences
//
//   - A TOML file holds only [[rule]] tables (or rule = [{...}]); a YAML
//     file one document with only "rules:". Other top-level keys are
//     errors.
//   - A YAML value that reads as a number, a boolean or null (2024, 0.5,
//     true, ~) is not a string: quote it where a string is wanted
//     (id: "2024"). Yes and no are strings (YAML 1.2), so "disabled: yes"
//     is an error. A number written as a string ("0.5") is not a number.
//   - Dates, times, infinities and NaN are not accepted in any field.
//   - YAML merge keys ("<<: *base") cannot override a key of the merged
//     mapping: go-yaml reports the key as a duplicate, so a rule cannot
//     be built from another (it would repeat the other's id).
//   - go-toml matches table names ignoring case; rulefile does not
//     ([[Rule]] is an unknown key).
package rulefile
