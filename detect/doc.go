// Package detect finds sensitive content in messages: identity and
// financial numbers, credentials and keys, health, pay, legal privilege,
// confidentiality markers and offensive language. It runs inside ingest,
// so it is built for speed (one pass per text) and for precision (a
// finding must pass its rule's validator, context and exclusions).
//
// # Use
//
//	rules, err := rulefile.ReadFile("rules.toml") // package detect/rulefile: user rules, TOML or YAML
//	d, err := detect.New(detect.Options{Rules: rules, CounselDomains: []string{"smithlaw.com"}})
//	flags := d.Scan(msg, text)            // []leakscope.Flag, safe for concurrent use
//	msg.Risk = detect.Risk(flags)         // 0-100
//	shown := detect.Redact(text.Body, flags, detect.WhereBody, "")
//	ids := d.Identifiers(msg, text)       // normalised SSNs, cards, IBANs, accounts, phones, emails
//	key := detect.NormalizeValue(f.Category, value) // how a masked value is looked up exactly (values.go)
//
// Scan looks at the subject, the body, each attachment's name and
// extracted text, and (when counsel are configured) the addresses. Each
// flag has a category (the leakscope.Flag* names), the rule id, a severity
// (low, medium, high, critical), a confidence (0-1), where it is (subject,
// body, attachment_name, attachment, or header for mail to or from
// counsel), byte offsets into that part's text, and a snippet with every
// value in view masked as Redact masks them ("Call me at (***) ***-1234").
//
// # Rules
//
// Every finding comes from a rule, modelled on DLP tools (Purview
// sensitive information types, Google DLP infoTypes with hotword and
// exclusion rules, Presidio recognizers, gitleaks rules):
//
//   - What to find: a regular expression (Pattern, RE2) or a lexicon of
//     words and phrases (Words). A pattern's group named "value" is the
//     finding; words match as whole words, case-insensitively, with runs of
//     white space, '-' and '_' matching each other, and a trailing '*'
//     matching any ending ("fuck*" finds "fucking").
//   - Where a pattern runs: scan = "numbers" tries it only on runs of
//     digits joined by separators ("(713) 853-1234", "4111 1111 ...") that
//     hold at least min_digits digits, and keeps a match only if it stands
//     alone as a number (not glued to letters, not part of a longer number
//     through '-', '.', '/' or a thousands comma: "528-12-2400/05" holds no
//     SSN); scan = "keywords" tries it only near its keywords (a gitleaks
//     idea); scan = "text" runs it over the whole text, the slow way.
//   - A validator checks the value: ssn (SSA rules, published sample
//     numbers refused), card (issuer range, length, grouping, Luhn), luhn,
//     iban (country length, ISO 7064 mod 97-10), aba (routing checksum),
//     nanp and nanp_local (North American numbering plan), phone, date,
//     passport, amount, account_no, secret (a password, not a word of
//     prose), entropy (min_entropy bits per byte), jwt, aws_key.
//   - Context words within window = [before, after] bytes raise the
//     confidence by context_boost; with require_context, a finding needs
//     one. Exclude words within exclude_window veto a finding
//     (exclude_sentence limits them to the finding's sentence).
//   - Context also comes from two places a window cannot reach: an earlier
//     finding of the same category within 60 bytes before or 30 after,
//     with no sentence end between (the items of a list share the context
//     of the first), and, for a cell of a delimited table (CSV, TSV, '|'
//     or ';'), its column's header ("ssn", "dob", "salary"), as Google DLP
//     uses column names as hotwords. Header words can exclude too.
//
// A finding's confidence is the rule's confidence plus context_boost with
// context; findings under Options.MinConfidence (default 0.5) are dropped.
// Overlapping findings of one category, or of two patterns (one number is
// not both a phone number and an SSN), keep the most confident, then the
// most severe, then the earliest rule. Lexicon findings of different
// categories may overlap.
//
// Patterns see a no-break space (U+00A0, from HTML) wherever they would
// see a space; lexicons treat it as white space.
//
// # Built-in rules
//
// The pack (Go source, builtin_*.go) covers: ssn (dashed; spaced or plain
// with an SSN label), credit_card, iban, bank_account (ABA routing numbers
// and account numbers with banking words), passport, date_of_birth
// (after DOB/born/birth labels, or in a DOB column), phone (North American,
// local with a phone word, international, national with a trunk 0, toll-free
// vanity), credential ("password: X", "pwd=X", "the password is X",
// "changed the password to X"; not policies, reset links or conference
// codes), secret_key (private-key blocks, AWS, GitHub, Slack, Google and
// Stripe keys, JWTs, high-entropy values assigned to api_key and the like),
// medical (leave, pregnancy, hospital stays, operations and treatments;
// conditions, medicines and "hospital" only with a person near; ICD-10 codes
// after a diagnosis label), compensation (amounts with pay words near; not
// budgets, prices, deals or results), legal_privilege (privilege and
// work-product markers; the privilege's name when asserted; not hedged
// disclaimers), confidential (confidentiality and distribution markers, a
// capitalised CONFIDENTIAL label, Outlook's Sensitivity header; not
// mail-system disclaimers), and offensive (profanity, insults, slurs, whole
// words only). BuiltinRules returns them (with Source "builtin:<id>");
// testdata/LABELING.md says what each category is meant to cover.
//
// # User rules
//
// Options.Rules adds rules to the pack or replaces built-in rules of the
// same id (a Disabled rule turns one off). Package detect/rulefile reads
// them from TOML or YAML files (the format, with examples, is documented
// there) and checks each with CheckRule, so that a mistake is reported
// with its file and line; New checks them again. A rule built in Go needs
// no file:
//
//	d, err := detect.New(detect.Options{Rules: []detect.Rule{
//		{ID: "acme.project", Category: leakscope.FlagConfidential, Severity: "high", Words: []string{"project raptor"}},
//		{ID: "phone.local", Disabled: true},
//	}})
//
// Errors about a rule are *RuleError values naming where the rule comes
// from (Rule.Source: "file:line", "builtin:<id>") and wrap
// leakscope.ErrInvalidInput.
//
// # Limits
//
// Go's regexp is RE2: matching is linear, so no pattern can hang a scan.
// Each part is scanned up to Options.MaxScanBytes (1 MiB); each rule keeps
// at most Options.MaxMatchesPerRule (50) findings per message, examines at
// most 20 times as many candidates and runs its pattern at most 40 times as
// often (a megabyte built to be expensive scans in about 0.1 s; see
// BenchmarkScanWorstCase); keywords extend at most 64 KiB; windows at
// most 4 KiB. All lexicon words, keywords, context and exclusion words of
// all rules are matched in one pass with one automaton (Aho-Corasick
// compiled to a DFA over byte classes), whatever their number.
//
// # Standards followed
//
// ISO 13616 (IBAN) with ISO 7064 MOD 97-10, ISO/IEC 7812 (card numbers,
// Luhn), the ABA routing number checksum, the North American Numbering
// Plan, E.164 (normalised phone numbers), the SSA's SSN rules (including
// randomisation since 2011: any area but 000, 666 and 900-999).
//
// # Known divergences
//
//   - Where may be "header" (not in leakscope.Flag's comment): flags for
//     mail to or from counsel point at no text; Start and End are 0.
//   - The lexicons are English, and SSNs, routing numbers and NANP phone
//     numbers are American. Rules read words, not meaning: a joke about
//     bypass surgery or a news story about a drug's trial may be flagged
//     medical, and a salary table with no pay word near may be missed.
//     testdata/LABELING.md and the evaluation tests measure how often.
//   - Offsets are bytes into the text as given; text past MaxScanBytes is
//     not scanned.
package detect
