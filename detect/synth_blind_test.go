package detect

import "github.com/leakscope/leakscope"

// The templates below were written after the rules had been tuned on the
// first set and the Enron sample, without running them first: they check
// that the rules generalise to phrasings they were not fitted to. Some are
// expected to fail; the evaluation reports what they find.
var blindPositives = []tmpl{
	{leakscope.FlagSSN, "SSN {} for the insurance form.", v(spacedSSN)},
	{leakscope.FlagSSN, "Her social is {}, she said to use it for the lease.", v(ssnOf)},
	{leakscope.FlagSSN, "Soc. Sec. No.: {}", v(ssnOf)},
	{leakscope.FlagCreditCard, "cc: {} / 08-26 / 123", v(cardOf)},
	{leakscope.FlagCreditCard, "card# {} - billing zip 77002", v(cardDigits)},
	{leakscope.FlagIBAN, "IBAN: {} / SWIFT: DEUTDEFF", v(ibanG)},
	{leakscope.FlagIBAN, "please pay into {} by Friday", v(ibanC)},
	{leakscope.FlagBankAccount, "ABA/routing: {} acct: {}", v(abaOf, acct)},
	{leakscope.FlagBankAccount, "Fedwire to Chase, RTN {}, credit account {}.", v(abaOf, acct)},
	{leakscope.FlagCredential, "pw: {}", v(pwOf)},
	{leakscope.FlagCredential, "Here are the creds - user: jsmith / pass: {}", v(pwOf)},
	{leakscope.FlagCredential, "The PIN is {} for the side door.", v(dig(4))},
	{leakscope.FlagCredential, "Passphrase: {}", v(pick("horse-battery-staple", "blue.river.42"))},
	{leakscope.FlagSecretKey, "STRIPE_SECRET=sk_live_{}", v(func(g gen) string { return g.alnum(24, alnums) })},
	{leakscope.FlagSecretKey, "client_secret: {}", v(func(g gen) string { return g.alnum(32, alnums) })},
	{leakscope.FlagMedical, "Jim had {} over the weekend and is recovering at home.", v(lit("a mild stroke"))},
	{leakscope.FlagMedical, "I have been battling {} for two weeks.", v(lit("pneumonia"))},
	{leakscope.FlagMedical, "She's undergoing {}.", v(lit("radiation treatment for lymphoma"))},
	{leakscope.FlagMedical, "My son {} at soccer on Saturday.", v(lit("broke his arm"))},
	{leakscope.FlagMedical, "I'm going on {} next month.", v(lit("disability leave"))},
	{leakscope.FlagCompensation, "Her total comp for 2001 was {}.", v(pick("$1.2 million", "$950,000"))},
	{leakscope.FlagCompensation, "We pay him {} a year.", v(salaryOf)},
	{leakscope.FlagCompensation, "Retention payments of {} each for the three traders.", v(pick("$250K", "$100,000"))},
	{leakscope.FlagCompensation, "starting salary: {}", v(salaryOf)},
	{leakscope.FlagLegalPrivilege, "{}\nRe: the Cal PX claims", v(lit("ATTORNEY-CLIENT PRIVILEGED COMMUNICATION"))},
	{leakscope.FlagLegalPrivilege, "Protected by the {}.", v(lit("attorney-client privilege and work product doctrine"))},
	{leakscope.FlagOffensive, "you're a f*cking {}", v(lit("idiot"))},
	{leakscope.FlagOffensive, "what a {} move", v(pick("dumbass", "jackass"))},
	{leakscope.FlagOffensive, "these {} at the ISO", v(lit("jerks"))},
	{leakscope.FlagConfidential, "{}\nProject Raptor summary", v(lit("CONFIDENTIAL - NOT FOR DISTRIBUTION"))},
	{leakscope.FlagConfidential, "Please {}.", v(lit("treat this as confidential"))},
	{leakscope.FlagConfidential, "{} - do not share", v(lit("Highly confidential"))},
	{leakscope.FlagDateOfBirth, "D.O.B. {}", v(pick("07/04/1976", "12/25/1958"))},
	{leakscope.FlagDateOfBirth, "He was born {} in Ohio.", v(pick("3/14/1962", "May 2, 1970"))},
	{leakscope.FlagDateOfBirth, "Birthdate: {}", v(lit("1971-05-30"))},
	{leakscope.FlagPhone, "tel {}", v(lit("+1.713.853.1234"))},
	{leakscope.FlagPhone, "Ph: {}", v(lit("713/853-6178"))},
	{leakscope.FlagPhone, "office {} x204", v(phoneOf)},
	{leakscope.FlagPassport, "Passport #: {}", v(passportOf)},
	{leakscope.FlagPassport, "PP No. {}", v(passportOf)},
	{leakscope.FlagPassport, "passport {} issued in Houston", v(passportOf)},
}

var blindDecoys = []tmpl{
	{"", "Case No. 123-45-6780 has been filed in district court.", nil},
	{"", "ISBN 978-0-306-40615-7 is the second edition.", nil},
	{"", "Your account ending in 1234 was charged.", nil},
	{"", "IBAN: to follow once the account is open.", nil},
	{"", "Customer account 12345678 for your electric service.", nil},
	{"", "Please enter your PIN at the prompt.", nil},
	{"", "The password field cannot be blank.", nil},
	{"", "The password reset link expires in 24 hours.", nil},
	{"", "Use sk_test_4eC39HqLyjWDarjtT1zdp7dc in the sandbox.", nil},
	{"", "ghp_ is the prefix of GitHub personal tokens.", nil},
	{"", "Grey's Anatomy is a medical drama about surgeons.", nil},
	{"", "Our surgery center partners reported strong growth.", nil},
	{"", "Attorney-client privilege is a topic on the bar exam.", nil},
	{"", "Cockburn and Hancock met in Essex to assume the grape contract.", nil},
	{"", "The documentation for the therapist portal is online.", nil},
	{"", "She played a confidential informant in the movie.", nil},
	{"", "A non-confidential version will be filed publicly.", nil},
	{"", "He was born in 1962 in Ohio.", nil},
	{"", "Date of issue: 04/12/2010.", nil},
	{"", "The birthday party is on 6/3.", nil},
	{"", "Call at 10:30 on 12/20 from room 4-120.", nil},
	{"", "IP 192.168.100.200 and port 8080.", nil},
	{"", "SKU 123-456-7890 is back-ordered.", nil},
	{"", "Passport office hours are 9 to 5.", nil},
	{"", "Bring a passport size photo (2x2).", nil},
	{"", "The deal is worth $85,000 a year in fees.", nil},
	{"", "We set aside a $250K capital budget.", nil},
}

func init() {
	positives = append(positives, blindPositives...)
	decoys = append(decoys, blindDecoys...)
}
