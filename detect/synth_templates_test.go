package detect

import "github.com/leakscope/leakscope"

// tmpl is a sentence or block with slots: "{}" takes a planted value
// (labelled with cat), "{-}" a value that is not labelled (a name, a decoy).
// Templates with an empty cat are decoys: look-alikes that must not be
// flagged.
type tmpl struct {
	cat  string
	text string
	vals func(g gen) []string
}

func v(f ...func(g gen) string) func(g gen) []string {
	return func(g gen) []string {
		out := make([]string, len(f))
		for i, x := range f {
			out[i] = x(g)
		}
		return out
	}
}

func lit(s string) func(g gen) string     { return func(gen) string { return s } }
func name(g gen) string                   { return g.name() }
func pick(s ...string) func(g gen) string { return func(g gen) string { return g.pick(s...) } }
func dig(n int) func(g gen) string        { return func(g gen) string { return g.digits(n) } }
func ssnOf(g gen) string                  { return g.ssn() }
func phoneOf(g gen) string                { return g.phone() }
func cardOf(g gen) string                 { return g.groupCard(g.card()) }
func salaryOf(g gen) string               { return g.salary() }
func dobOf(g gen) string                  { return g.birthDate() }
func pwOf(g gen) string                   { return g.password() }
func ibanG(g gen) string                  { return g.iban(true) }
func ibanC(g gen) string                  { return g.iban(false) }
func abaOf(g gen) string                  { return g.aba() }
func passportOf(g gen) string             { return g.passport() }
func acct(g gen) string                   { return g.digits(6 + g.r.IntN(6)) }
func spacedSSN(g gen) string              { s := g.ssn(); return s[:3] + " " + s[4:6] + " " + s[7:] }
func plainSSN(g gen) string               { return digitsOf(g.ssn()) }
func cardDigits(g gen) string             { return g.card() }
func badLuhn(g gen) string                { d := g.card(); return d[:len(d)-1] + string('0'+(d[len(d)-1]-'0'+1)%10) }
func badIBAN(g gen) string {
	s := g.iban(false)
	return s[:len(s)-1] + string('0'+(s[len(s)-1]-'0'+3)%10)
}
func (t tmpl) planted() bool { return t.cat != "" }

// positives plants items of every category, in the phrasings people use.
var positives = []tmpl{
	{leakscope.FlagSSN, "Hi, for the background check my SSN is {}.", v(ssnOf)},
	{leakscope.FlagSSN, "Employee: {-}\nSocial Security Number: {}\nStart date: Monday", v(name, ssnOf)},
	{leakscope.FlagSSN, "{-}'s social security # is {} - please update payroll.", v(name, ssnOf)},
	{leakscope.FlagSSN, "SS# {} (spouse)", v(spacedSSN)},
	{leakscope.FlagSSN, "Taxpayer ID (SSN): {}", v(plainSSN)},
	{leakscope.FlagSSN, "Can you fix my W-2? The number on it should read {}.", v(ssnOf)},
	{leakscope.FlagCreditCard, "Please charge my Visa {} exp 09/27.", v(cardOf)},
	{leakscope.FlagCreditCard, "Card number: {}\nExpiration: 11/26\nCVV: 4471", v(cardOf)},
	{leakscope.FlagCreditCard, "Use the corporate card, {}, for the hotel.", v(cardDigits)},
	{leakscope.FlagCreditCard, "My Amex is {} if the booking needs a card.", v(cardOf)},
	{leakscope.FlagIBAN, "Please remit to IBAN {} (BIC COBADEFFXXX).", v(ibanG)},
	{leakscope.FlagIBAN, "Beneficiary account: {}", v(ibanC)},
	{leakscope.FlagIBAN, "Our new bank details: {}, account holder {-}.", v(ibanG, name)},
	{leakscope.FlagBankAccount, "Wire instructions: Bank of the Ozarks, ABA {}, Account # {}", v(abaOf, acct)},
	{leakscope.FlagBankAccount, "Routing number: {}\nAccount number: {}\nBeneficiary: {-}", v(abaOf, acct, name)},
	{leakscope.FlagBankAccount, "For direct deposit use routing {} and checking account {}.", v(abaOf, acct)},
	{leakscope.FlagCredential, "Your username is {-} and your password is {}", v(pick("dwhitfield", "mellery", "pram"), pwOf)},
	{leakscope.FlagCredential, "login: admin\npassword: {}", v(pwOf)},
	{leakscope.FlagCredential, "The new wifi password is \"{}\" starting today.", v(pwOf)},
	{leakscope.FlagCredential, "db_url=postgres://app@db1/prod pwd={}", v(pwOf)},
	{leakscope.FlagCredential, "My voicemail PIN: {}", v(dig(6))},
	{leakscope.FlagCredential, "I changed the admin password to {} - don't share it.", v(pwOf)},
	{leakscope.FlagSecretKey, "aws_access_key_id = {}", v(func(g gen) string { return g.awsKey() })},
	{leakscope.FlagSecretKey, "export GITHUB_TOKEN={}", v(func(g gen) string { return g.githubToken() })},
	{leakscope.FlagSecretKey, "The bot token is {} - rotate it after the demo.", v(func(g gen) string { return g.slackToken() })},
	{leakscope.FlagSecretKey, "maps key: {}", v(func(g gen) string { return g.googleKey() })},
	{leakscope.FlagSecretKey, "Authorization: Bearer {}", v(func(g gen) string { return g.jwt() })},
	{leakscope.FlagSecretKey, "Here is the deploy key:\n{}\nKeep it safe.", v(func(g gen) string { return g.privateKey() })},
	{leakscope.FlagMedical, "My wife was {} last week, so I will be out.", v(pick("diagnosed with breast cancer", "diagnosed with diabetes"))},
	{leakscope.FlagMedical, "I'm having {} on Thursday and will be out until Monday.", v(pick("knee surgery", "back surgery", "hip surgery"))},
	{leakscope.FlagMedical, "{-} is on {} until March.", v(name, pick("maternity leave", "medical leave", "sick leave"))},
	{leakscope.FlagMedical, "Her father is {} after a {}.", v(lit("in the hospital"), pick("stroke", "heart attack"))},
	{leakscope.FlagMedical, "He started {} in May; we should cover his accounts.", v(pick("chemotherapy", "chemo", "dialysis"))},
	{leakscope.FlagMedical, "My doctor put me on {} last month.", v(pick("Zoloft", "insulin", "Xanax"))},
	{leakscope.FlagMedical, "Claim form - diagnosis code: {}", v(pick("E11.9", "J45.909", "M54.5", "F32.1"))},
	{leakscope.FlagMedical, "Sorry, I was {} yesterday and missed the call.", v(pick("out sick", "home sick"))},
	{leakscope.FlagMedical, "She is {} and due in June.", v(lit("pregnant"))},
	{leakscope.FlagCompensation, "We agreed on a base salary of {} plus a signing bonus of {}.", v(salaryOf, salaryOf)},
	{leakscope.FlagCompensation, "{-}'s bonus this year will be {}.", v(name, salaryOf)},
	{leakscope.FlagCompensation, "Offer letter: Senior Analyst, salary {} per year, start 3/1.", v(salaryOf)},
	{leakscope.FlagCompensation, "Her severance package comes to {}.", v(salaryOf)},
	{leakscope.FlagCompensation, "He is currently making {} and wants a raise to {}.", v(salaryOf, salaryOf)},
	{leakscope.FlagCompensation, "Hourly wage for the temps: {}", v(pick("$18/hr", "$22.50/hr", "$31/hour"))},
	{leakscope.FlagLegalPrivilege, "{}\n\nBob, here is my analysis of the claim.", v(pick("PRIVILEGED AND CONFIDENTIAL", "Privileged & Confidential - Attorney-Client Communication"))},
	{leakscope.FlagLegalPrivilege, "This memo is {}.", v(pick("attorney work product", "prepared at the request of counsel"))},
	{leakscope.FlagLegalPrivilege, "Subject to the {}; limit copies to the deal team.", v(lit("attorney-client privilege"))},
	{leakscope.FlagOffensive, "Tell that {} in accounting to fix the report.", v(pick("idiot", "moron", "asshole"))},
	{leakscope.FlagOffensive, "What the {} is going on with the server?", v(lit("fuck"))},
	{leakscope.FlagOffensive, "This is {}, they lied to us.", v(pick("bullshit", "total bullshit"))},
	{leakscope.FlagOffensive, "You lying {}.", v(pick("bastard", "son of a bitch"))},
	{leakscope.FlagOffensive, "He called them {} in the meeting.", v(pick("retards", "faggots"))},
	{leakscope.FlagConfidential, "{}\nQ3 reorganisation plan - draft 2", v(pick("CONFIDENTIAL", "STRICTLY CONFIDENTIAL"))},
	{leakscope.FlagConfidential, "Please {} - the board has not seen it yet.", v(pick("do not forward", "keep this confidential"))},
	{leakscope.FlagConfidential, "Attached is the pricing model ({}).", v(pick("for internal use only", "internal use only"))},
	{leakscope.FlagConfidential, "Importance: High\nSensitivity: {}\n\nSee below.", v(lit("Confidential"))},
	{leakscope.FlagDateOfBirth, "Name: {-}\nDOB: {}", v(name, dobOf)},
	{leakscope.FlagDateOfBirth, "Date of birth: {}", v(dobOf)},
	{leakscope.FlagDateOfBirth, "Our daughter was born on {} at 3:12am.", v(dobOf)},
	{leakscope.FlagDateOfBirth, "My birthday is {}, if HR asks.", v(pick("March 3", "June 21st", "October 9"))},
	{leakscope.FlagPhone, "Call me on my cell at {}.", v(phoneOf)},
	{leakscope.FlagPhone, "{-}\nDirector, Gas Trading\nPhone: {}\nFax: {}", v(name, phoneOf, phoneOf)},
	{leakscope.FlagPhone, "London office: {}", v(pick("+44 20 7783 5355", "+44 (0) 20 7783 5355", "+33 1 42 68 53 00"))},
	{leakscope.FlagPhone, "Reach me at home, {}, after 6.", v(phoneOf)},
	{leakscope.FlagPassport, "Passport number: {}, expires 2027.", v(passportOf)},
	{leakscope.FlagPassport, "For the visa form: passport no. {}", v(passportOf)},
}

// decoys look like the categories' items and must not be flagged.
var decoys = []tmpl{
	{"", "Our sample card for training uses 078-05-1120 and 219-09-9999.", nil},
	{"", "If it is urgent call Home 713-61-6096 (typo in the directory).", nil},
	{"", "Monterrey office: 528-12-2400/05", nil},
	{"", "Ship to Houston, TX 77002-1234. Order 000-12-3456 is invalid anyway.", nil},
	{"", "Order #{} shipped yesterday.", v(dig(9))},
	{"", "Employee ID {} is in the system.", v(dig(9))},
	{"", "Tom Clancy's SSN is a good book about submarines.", nil},
	{"", "Tracking number {} - arriving Friday.", v(badLuhn)},
	{"", "Invoice {} for $1,250.00 is attached.", v(dig(16))},
	{"", "Test with 4111 1111 1111 1111 in the sandbox.", nil},
	{"", "Part number DE89 3704 0044 0532 0130 01 is out of stock.", nil},
	{"", "Reference {} on the remittance.", v(badIBAN)},
	{"", "The routing table has {} entries after the change.", v(dig(9))},
	{"", "Your Houston Chronicle subscription account number: {}", v(dig(8))},
	{"", "Please code it to cost center 1648, account {}, order 700003976.", v(dig(8))},
	{"", "Bank routing {} did not validate, please resend.", v(func(g gen) string { return g.badABA() })},
	{"", "Forgot your password? Click here to reset it.", nil},
	{"", "Password policy: passwords must be at least 8 characters and changed every 60 days.", nil},
	{"", "Your password is case sensitive. Enter your password below.", nil},
	{"", "password: ******** (hidden)", nil},
	{"", "Use your network password to log in; the help desk cannot see it.", nil},
	{"", "Dial in: 1-888-555-0142, participant passcode: 771234#", nil},
	{"", "Docs use AKIAIOSFODNN7EXAMPLE as the example key.", nil},
	{"", "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ\n-----END CERTIFICATE-----", nil},
	{"", "api_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", nil},
	{"", "The Asian markets opened lower; the ghp tokens discussion is on Tuesday.", nil},
	{"", "Have you seen the new medical drama? The script doctor did great work.", nil},
	{"", "Join the American Cancer Society walk this Saturday!", nil},
	{"", "Flu shots are available in the lobby on Tuesday.", nil},
	{"", "I'm sick of these meetings.", nil},
	{"", "Open enrollment for the health plan ends Friday.", nil},
	{"", "The drug maker reported clinical trial results for patients with diabetes.", nil},
	{"", "Adding insult to injury, the market fell again.", nil},
	{"", "The marketing budget is $2.5 million for Q3.", nil},
	{"", "The film grossed $120 million at the box office.", nil},
	{"", "Price is $45.00 per unit, minimum order 100.", nil},
	{"", "Earn 5,000 bonus miles when you book by Friday!", nil},
	{"", "The bonus pool for the whole group is $10 million.", nil},
	{"", "Revenue grew to $1.2 billion, and net income rose 12%.", nil},
	{"", "It has been a privilege to work with you.", nil},
	{"", "This email may contain privileged and confidential information. If you are not the intended recipient, please delete it.", nil},
	{"", "The attorney general said the review would take months.", nil},
	{"", "Our work product this quarter was excellent.", nil},
	{"", "We met in Scunthorpe, then Dickson drove to Middlesex.", nil},
	{"", "The assistant reviewed the cockpit analysis in class.", nil},
	{"", "Spic and Span is on the shopping list, next to shiitake mushrooms.", nil},
	{"", "Kelly P. Dyke, Engineering Technology", nil},
	{"", "This message and any attachments are confidential and intended solely for the addressee. If you received this in error, notify the sender.", nil},
	{"", "Attached is the Confidentiality Agreement for signature.", nil},
	{"", "Confidential information is defined in Section 4 of the agreement.", nil},
	{"", "The vote of confidence passed.", nil},
	{"", "Date of hire: 04/24/2000. Start date: 05/01/2000.", nil},
	{"", "Happy birthday! Lunch is at noon on March 3.", nil},
	{"", "Nicholas' 4th Birthday Party is on Monday, January 21st.", nil},
	{"", "Meeting moved to 10/12/2000 at 10:30 in room 3. Deal 1234567 closed.", nil},
	{"", "Server 10.120.45.233 rebooted; ticket 016 7951169443.", nil},
	{"", "Your passport must be valid for 6 months beyond the return date.", nil},
	{"", "Bring two passport photos to the visa office.", nil},
	{"", "Version 2.10.4 and build 20001012 are on the share.", nil},
}

// tables are delimited attachments: planted cells take their meaning from
// the column header, and decoy columns look alike.
var tables = []struct {
	name   string
	header string
	cols   []string // category per column ("" = not labelled)
	vals   []func(g gen) string
}{
	{"employees.csv", "name,ssn,dob,phone", []string{"", leakscope.FlagSSN, leakscope.FlagDateOfBirth, leakscope.FlagPhone},
		[]func(gen) string{name, ssnOf, func(g gen) string {
			y, m, d := 1950+g.r.IntN(50), 1+g.r.IntN(12), 1+g.r.IntN(28)
			return pad2(m) + "/" + pad2(d) + "/" + itoa(y)
		}, phoneOf}},
	{"payroll.tsv", "Employee\tTitle\tBase Salary\tBonus", []string{"", "", leakscope.FlagCompensation, leakscope.FlagCompensation},
		[]func(gen) string{name, pick("Analyst", "Director", "VP"), func(g gen) string { return "$" + itoa(60+g.r.IntN(200)) + ",000" }, func(g gen) string { return "$" + itoa(5+g.r.IntN(90)) + ",000" }}},
	{"staff.csv", "name,employee id,hire date,extension", []string{"", "", "", ""},
		[]func(gen) string{name, dig(9), func(g gen) string { return "0" + itoa(1+g.r.IntN(9)) + "/1" + itoa(g.r.IntN(9)) + "/2005" }, func(g gen) string { return "x" + g.digits(4) }}},
	{"budget.csv", "department,budget,actual", []string{"", "", ""},
		[]func(gen) string{pick("IT", "Legal", "Trading"), func(g gen) string { return "$" + itoa(1+g.r.IntN(9)) + ",200,000" }, func(g gen) string { return "$" + itoa(1+g.r.IntN(9)) + ",150,000" }}},
	{"wires.csv", "beneficiary,bank,routing,account", []string{"", "", leakscope.FlagBankAccount, ""},
		[]func(gen) string{name, pick("First National", "Ozark Trust"), abaOf, dig(10)}},
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// names are attachment names, some with planted items.
var attachmentNames = []tmpl{
	{leakscope.FlagConfidential, "{} - Q3 reorg plan.docx", v(pick("CONFIDENTIAL", "Confidential"))},
	{leakscope.FlagLegalPrivilege, "{} - settlement memo.pdf", v(pick("Privileged & Confidential", "Attorney Work Product"))},
	{leakscope.FlagSSN, "W2 {-} SSN {}.pdf", v(name, ssnOf)},
	{"", "Q3 results final.xlsx", nil},
	{"", "confidentiality_agreement_v2.docx", nil},
	{"", "invoice-4111-2000.pdf", nil},
}
