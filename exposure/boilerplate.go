package exposure

import "strings"

// stripBoilerplate removes from one segment's lines what is not the
// message: disclaimer and gateway-banner paragraphs, greetings ("Hi
// Chen," alone on a line) and signature blocks: a closing such as
// "Thanks," or "Best regards," with at most six short lines after it in
// its paragraph, and the paragraph of short lines right after it (name,
// title, telephone). Signatures are found anywhere, not only at the end:
// a quote that lost its separator carries its author's signature in the
// middle of the text. Blank lines at either end are dropped.
func stripBoilerplate(lines []string) []string {
	out := lines[:0:0]
	start := 0
	afterClosing := false
	for i := 0; i <= len(lines); i++ {
		if i < len(lines) && lines[i] != "" {
			continue
		}
		para := lines[start:i]
		start = i + 1
		if len(para) == 0 {
			continue
		}
		if afterClosing && len(para) <= 6 && allShort(para) {
			afterClosing = false
			continue
		}
		afterClosing = false
		if isDisclaimer(para) || len(para) == 1 && isGreeting(para[0]) {
			continue
		}
		for c, l := range para {
			if isClosing(l) && len(para)-c-1 <= 6 && allShort(para[c+1:]) {
				para = para[:c]
				afterClosing = true
				break
			}
		}
		if len(para) == 0 {
			continue
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, para...)
	}
	return out
}

func allShort(lines []string) bool {
	for _, l := range lines {
		if len(l) > 60 {
			return false
		}
	}
	return true
}

// isGreeting reports whether a line is a salutation such as "Hi Chen,"
// or "Dear Ms. Abbott,": at most four words, ending in a comma.
func isGreeting(l string) bool {
	return strings.HasSuffix(l, ",") && strings.Count(strings.TrimSpace(l), " ") < 4
}

// closings are the sign-off lines that start a signature (lower-case,
// without trailing punctuation).
var closings = map[string]bool{
	"thanks": true, "thank you": true, "thanks again": true, "many thanks": true, "thx": true, "best": true,
	"regards": true, "best regards": true, "kind regards": true, "warm regards": true, "cheers": true,
	"sincerely": true, "yours": true, "yours sincerely": true, "all the best": true, "best wishes": true,
	"cordialement": true, "mit freundlichen grüßen": true, "viele grüße": true, "saludos": true, "groeten": true,
	"met vriendelijke groet": true, "hälsningar": true, "med venlig hilsen": true, "-- ": true,
}

func isClosing(l string) bool {
	if len(l) > 30 {
		return false
	}
	return closings[strings.ToLower(strings.TrimRight(strings.TrimSpace(l), ",.!-"))]
}

// disclaimerWords are the stems that make a paragraph a confidentiality
// disclaimer or a gateway banner when three different ones occur in it.
var disclaimerWords = []string{"confidential", "privileged", "intended recipient", "unauthori", "prohibited",
	"disclos", "notify the sender", "contact the sender", "delete", "destroy", "virus", "originated from outside",
	"do not click", "legally", "this e-mail", "this email", "this message", "recognize the sender"}

// isDisclaimer reports whether a paragraph is a disclaimer or a banner:
// at most 150 words with three or more different disclaimer stems, one of
// them "confidential", "intended", "originated", "privileged" or
// "unauthori[sz]ed".
func isDisclaimer(para []string) bool {
	words, hint := 0, false
	for _, l := range para {
		words += strings.Count(l, " ") + 1
		// A cheap look for the commonest stems first, their first letter
		// left out so that case does not matter.
		hint = hint || strings.Contains(l, "onfidential") || strings.Contains(l, "ntended") ||
			strings.Contains(l, "riginated") || strings.Contains(l, "rivileged") || strings.Contains(l, "nauthori") ||
			strings.Contains(l, "ONFIDENTIAL") || strings.Contains(l, "NTENDED")
	}
	if words > 150 || !hint {
		return false
	}
	text := strings.ToLower(strings.Join(para, " "))
	hits := 0
	for _, w := range disclaimerWords {
		if strings.Contains(text, w) {
			hits++
			if hits == 3 {
				return true
			}
		}
	}
	return false
}
