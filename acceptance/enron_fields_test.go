package acceptance

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// Forms of subject words: every word of the Enron subjects whose English
// Snowball stem is the stem of the query word (checked with the Snowball
// stemmer over all subject words of the corpus; words like "gases", stemmed
// "gase", are not forms of "gas").
var (
	formsMeeting      = []string{"meeting", "meetings", "meet", "meets"}
	formsGas          = []string{"gas"}
	formsConfidential = []string{"confidential", "confidentiality"}
	formsPresentation = []string{"presentation", "presentations", "present", "presents", "presented", "presenting"}
	formsReport       = []string{"report", "reports", "reported", "reporting", "reporter", "reporters", "reportable"}
	formsNatural      = []string{"natural", "naturalization"}
	formsCall         = []string{"call", "calls", "called", "calling"}
	formsConference   = []string{"conference", "conferences", "confer"}
	formsPrice        = []string{"price", "prices", "priced", "pricing"}
	formsIrish        = []string{"irish"}
	formsWish         = []string{"wish", "wishes", "wishing", "wished"}
	formsTurbo        = []string{"turbo"}
	formsTax          = []string{"tax", "taxes"}
	formsCrude        = []string{"crude"}
	formsRe           = []string{"re"}
	formsEnergy       = []string{"energy"}
)

// fieldCase is one field query with its oracle.
type fieldCase struct {
	name   string
	query  string
	oracle pred
}

// enronFieldCases are the field queries whose totals must equal the oracle's.
var enronFieldCases = []fieldCase{
	// Addresses, exact.
	{"from address", "from:phillip.allen@enron.com", from("phillip.allen@enron.com")},
	{"from address upper case", "from:Debra.Perlingiere@ENRON.com", from("debra.perlingiere@enron.com")},
	{"from malformed .ward", "from:.ward@enron.com", from(".ward@enron.com")},
	{"from malformed k..allen", "from:k..allen@enron.com", from("k..allen@enron.com")},
	{"from malformed h..foster", "from:h..foster@enron.com", from("h..foster@enron.com")},
	{"from outside address", "from:soblander@carrfut.com", from("soblander@carrfut.com")},
	{"to address", "to:kenneth.lay@enron.com", to("kenneth.lay@enron.com")},
	{"to address klay", "to:klay@enron.com", to("klay@enron.com")},
	{"to malformed .ward", "to:.ward@enron.com", to(".ward@enron.com")},
	{"cc address", "cc:rosalee.fleming@enron.com", cc("rosalee.fleming@enron.com")},
	{"bcc address", "bcc:kim.ward@enron.com", bcc("kim.ward@enron.com")},
	{"to nobody", "to:nobody@nowhere.invalid", to("nobody@nowhere.invalid")},
	// Domains, subdomains included.
	{"from domain", "from:enron.com", from("enron.com")},
	{"from @domain", "from:@enron.com", from("@enron.com")},
	{"from outside domain", "from:carrfut.com", from("carrfut.com")},
	{"from parent domain msn.com", "from:msn.com", from("msn.com")},
	{"from subdomain email.msn.com", "from:email.msn.com", from("email.msn.com")},
	{"from parent domain rr.com", "from:rr.com", from("rr.com")},
	{"to domain", "to:enron.com", to("enron.com")},
	{"to subdomain ect.enron.com", "to:ect.enron.com", to("ect.enron.com")},
	{"to domain aol.com", "to:aol.com", to("aol.com")},
	{"cc domain", "cc:enron.com", cc("enron.com")},
	{"bcc domain", "bcc:@aol.com", bcc("@aol.com")},
	{"to quoted local part", "to:connie.mcgregor@enron.com", to("connie.mcgregor@enron.com")},
	{"to slash local part", "to:john.lavorato/corp/enron@enron.com", to("john.lavorato/corp/enron@enron.com")},
	{"from upper-case domain", "from:ENRON.COM", from("enron.com")},
	// `<stephens"@zenith.howellcorp.com."betty@enron.com>` is at enron.com,
	// but its local part holds the words "howellcorp com": a dotted value is
	// also read as name words (see addressMatches).
	{"to domain inside a mangled local part", "to:howellcorp.com", to("howellcorp.com")},
	{"to @domain only", "to:@howellcorp.com", to("@howellcorp.com")},
	// Name words: display names and the words of local parts, unstemmed.
	{"from name word", "from:phillip", from("phillip")},
	{"from name phrase", `from:"phillip allen"`, from("phillip allen")},
	{"from name of a malformed address", "from:houston", from("houston")},
	{"from name upper case", "from:Allen", from("allen")},
	{"to name word", "to:lay", to("lay")},
	{"to name phrase", `to:"kenneth lay"`, to("kenneth lay")},
	{"to name with hyphen", "to:e-mail", to("e-mail")},
	{"cc name word", "cc:fleming", cc("fleming")},
	{"bcc name word", "bcc:ward", bcc("ward")},
	// Custodian and folder.
	{"custodian lay-k", "custodian:lay-k", custodian("lay-k")},
	{"custodian alias mailbox", "mailbox:allen-p", custodian("allen-p")},
	{"custodian upper case", "custodian:Griffith-J", custodian("griffith-j")},
	{"folder inbox", "folder:inbox", folder("inbox")},
	{"folder _sent_mail", "folder:_sent_mail", folder("_sent_mail")},
	{"folder nested", "folder:eol/clickathome", folder("eol/clickathome")},
	{"folder nested deep", "folder:deleted_items/eol_restored_by_exmerge_/clickathome", folder("deleted_items/eol_restored_by_exmerge_/clickathome")},
	{"folder prefix inbox*", "folder:inbox*", folderPrefix("inbox")},
	{"custodian and folder", "custodian:lay-k folder:inbox", and(custodian("lay-k"), folder("inbox"))},
	// Dates: UTC days, both ends included, open ends.
	{"date year", "date:2001", days("2001-01-01", "2001-12-31")},
	{"date month", "date:2001-05", days("2001-05-01", "2001-05-31")},
	{"date day", "date:2001-09-11", days("2001-09-11", "2001-09-11")},
	{"date range", "date:2000-01-01..2000-06-30", days("2000-01-01", "2000-06-30")},
	{"date range months", "date:2001-05..2001-06", days("2001-05-01", "2001-06-30")},
	{"date open start", "date:..1999-12-31", days("", "1999-12-31")},
	{"date open end", "date:2002..", days("2002-01-01", "")},
	{"date slashes", "date:2001/12/2", days("2001-12-02", "2001-12-02")},
	{"after", "after:2001-10-01", days("2001-10-01", "")},
	{"before", "before:2000-01-01", days("", "1999-12-31")},
	// Subject words (stemmed) and phrases.
	{"subject meeting", "subject:meeting", subjectWord(formsMeeting...)},
	{"subject gas", "subject:gas", subjectWord(formsGas...)},
	{"subject confidential", "subject:Confidential", subjectWord(formsConfidential...)},
	{"subject presentation", "subject:presentation", subjectWord(formsPresentation...)},
	{"subject reports", "subject:reports", subjectWord(formsReport...)},
	{"subject re", "subject:re", subjectWord(formsRe...)},
	{"subject prefix", "subject:meet*", subjectPrefix("meet")},
	{"subject phrase natural gas", `subject:"natural gas"`, subjectPhrase(formsNatural, formsGas)},
	{"subject phrase conference call", `subject:"conference call"`, subjectPhrase(formsConference, formsCall)},
	{"subject phrase gas prices", `subject:"gas prices"`, subjectPhrase(formsGas, formsPrice)},
	{"subject phrase encoded words", `subject:"irish wish"`, subjectPhrase(formsIrish, formsWish)},
	{"subject phrase encoded turbo tax", `subject:"turbo tax"`, subjectPhrase(formsTurbo, formsTax)},
	// Message-ID.
	{"id", "id:12059332.1075852813136.JavaMail.evans@thyme", id("12059332.1075852813136.javamail.evans@thyme")},
	{"id with brackets", "id:<12059332.1075852813136.JavaMail.evans@thyme>", id("12059332.1075852813136.javamail.evans@thyme")},
	{"mid alias", "mid:10589104.1075858542530.JavaMail.evans@thyme", id("10589104.1075858542530.javamail.evans@thyme")},
	{"id unknown", "id:no-such-id@example.invalid", id("no-such-id@example.invalid")},
	// Boolean combinations.
	{"and", "from:phillip.allen@enron.com date:2001", and(from("phillip.allen@enron.com"), days("2001-01-01", "2001-12-31"))},
	{"explicit AND", "to:kenneth.lay@enron.com AND subject:meeting", and(to("kenneth.lay@enron.com"), subjectWord(formsMeeting...))},
	{"or", "to:kenneth.lay@enron.com OR to:klay@enron.com", or(to("kenneth.lay@enron.com"), to("klay@enron.com"))},
	{"not", "NOT from:enron.com", not(from("enron.com"))},
	{"minus", "from:enron.com -to:enron.com", and(from("enron.com"), not(to("enron.com")))},
	{"only negations", "-custodian:lay-k -custodian:allen-p", and(not(custodian("lay-k")), not(custodian("allen-p")))},
	{"group", "(custodian:lay-k OR custodian:allen-p) subject:meeting", and(or(custodian("lay-k"), custodian("allen-p")), subjectWord(formsMeeting...))},
	{"negated group", "custodian:ward-k -(folder:inbox OR folder:sent_items)", and(custodian("ward-k"), not(or(folder("inbox"), folder("sent_items"))))},
	{"precedence", "from:carrfut.com subject:crude OR custodian:slinger-r date:2001-05", or(and(from("carrfut.com"), subjectWord(formsCrude...)), and(custodian("slinger-r"), days("2001-05-01", "2001-05-31")))},
	{"lower-case operators", "cc:enron.com and not bcc:enron.com", and(cc("enron.com"), not(bcc("enron.com")))},
	{"dates and domains", "date:2001-05..2001-06 to:aol.com -from:enron.com", and(days("2001-05-01", "2001-06-30"), to("aol.com"), not(from("enron.com")))},
	{"subject and folder", "subject:energy folder:inbox* -custodian:lay-k", and(subjectWord(formsEnergy...), folderPrefix("inbox"), not(custodian("lay-k")))},
	{"no attachments in Enron", "has:attachment", none},
	{"everything", "*", all},
}

// TestEnronFieldQueries compares leakscope's totals for field queries with
// the oracle's: they must be equal.
func TestEnronFieldQueries(t *testing.T) {
	data, _ := enronData(t)
	o := loadOracle(t)
	if len(o.messages) != 34496 {
		t.Errorf("oracle read %d Enron files, want 34496 (SOURCES.md)", len(o.messages))
	}
	type row struct {
		name, query      string
		leakscope, oracl int
	}
	var rows []row
	for _, c := range enronFieldCases {
		t.Run(c.name, func(t *testing.T) {
			got := searchTotal(t, data, c.query)
			want := o.count(c.oracle)
			rows = append(rows, row{c.name, c.query, got, want})
			if got != want {
				t.Errorf("search %q: total %d, oracle %d\n%s", c.query, got, want, explainDiff(t, data, o, c))
			}
		})
	}
	// The two malformed shapes, `houston <.ward@enron.com>` and
	// `h..foster@enron.com`, are found by their domain: every message from
	// them is a message from:enron.com.
	for _, addr := range []string{".ward@enron.com", "h..foster@enron.com"} {
		byAddr := searchTotal(t, data, "from:"+addr)
		q := "from:enron.com from:" + addr
		if byDomain := searchTotal(t, data, q); byAddr == 0 || byDomain != byAddr {
			t.Errorf("search %q: total %d, want from:%s's total %d (not 0)", q, byDomain, addr, byAddr)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "field queries on the Enron maildir (%d messages):\n", len(o.messages))
	fmt.Fprintf(&b, "%-72s %9s %9s  %s\n", "query", "leakscope", "oracle", "")
	for _, r := range rows {
		mark := "ok"
		if r.leakscope != r.oracl {
			mark = "DIFFERENT"
		}
		fmt.Fprintf(&b, "%-72s %9d %9d  %s\n", r.query, r.leakscope, r.oracl, mark)
	}
	t.Log(b.String())
}

// explainDiff lists the messages only one side finds (by Message-ID), a few
// of each, with their paths, to tell which side is wrong.
func explainDiff(t *testing.T, data string, o *oracle, c fieldCase) string {
	t.Helper()
	ids, err := allHits(t, data, c.query)
	if err != nil {
		return fmt.Sprintf("(cannot list the hits: %v)", err)
	}
	got := map[string]bool{}
	var onlyLeakscope, onlyOracle []string
	for _, mid := range ids {
		mid = strings.ToLower(mid)
		got[mid] = true
		m := o.byID[mid]
		switch {
		case m == nil:
			onlyLeakscope = append(onlyLeakscope, "unknown Message-ID "+mid)
		case !c.oracle(m):
			onlyLeakscope = append(onlyLeakscope, m.path)
		}
	}
	for _, m := range o.messages {
		if c.oracle(m) && !got[m.messageID] {
			onlyOracle = append(onlyOracle, m.path)
		}
	}
	sort.Strings(onlyLeakscope)
	sort.Strings(onlyOracle)
	return fmt.Sprintf("only leakscope finds %d: %s\nonly the oracle finds %d: %s",
		len(onlyLeakscope), strings.Join(head(onlyLeakscope, 10), " "),
		len(onlyOracle), strings.Join(head(onlyOracle, 10), " "))
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// TestEnronIngest checks the Enron index run: exit 0 (checked by enronData),
// every file indexed, nothing failed or skipped, and one message per file
// (all 34,496 Message-IDs are unique, SOURCES.md).
func TestEnronIngest(t *testing.T) {
	data, s := enronData(t)
	want := runCounts{Inputs: 34496, Messages: 34496, New: 34496, Copies: 34496}
	got := s.Counts
	if got.Inputs != want.Inputs || got.Messages != want.Messages || got.New != want.New ||
		got.Copies != want.Copies || got.Known != 0 || got.Duplicates != 0 || got.Failures != 0 || got.Skipped != 0 {
		t.Errorf("index counts = %+v, want inputs, messages, new and copies %d and no known, duplicates, failures or skips",
			got, want.Inputs)
	}
	if s.Status != "done" {
		t.Errorf("index status = %q, want done", s.Status)
	}
	if n := searchTotal(t, data, "*"); n != 34496 {
		t.Errorf("search '*' total = %d, want 34496", n)
	}
	rep := getReport(t, data)
	byCode := map[string]int{}
	for _, p := range rep.Problems {
		if p.Severity != "warning" {
			t.Errorf("problem %+v: want only warnings on the Enron maildir", p)
		}
		byCode[p.Code+": "+p.Detail]++
	}
	var b strings.Builder
	for k, n := range byCode {
		fmt.Fprintf(&b, "  %5d %s\n", n, k)
	}
	t.Logf("Enron ingest: %+v\nwarnings:\n%s", got, b.String())
}
