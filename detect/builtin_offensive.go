package detect

import "github.com/leakscope/leakscope"

// builtinOffensive holds built-in rules (see BuiltinRules): profanity, slurs
// and insults. Words match whole words only (no Scunthorpe problem:
// "Scunthorpe", "Dickson", "assistant" and "cockpit" are not flagged). Mild
// words (damn, hell, crap, sucks, stupid) are left out on purpose.
var builtinOffensive = []Rule{
	{
		ID:          "offensive.profanity",
		Category:    leakscope.FlagOffensive,
		Severity:    "medium",
		Description: "Strong profanity",
		Words: []string{
			"fuck*", "motherfuck*", "f*ck", "f**k", "fck", "fcking", "shit", "shits", "shitty", "shithead*",
			"shitting", "shitload", "bullshit*", "horseshit", "batshit", "dipshit*", "chickenshit",
			"piece of shit", "asshole*", "arsehole*", "jackass*", "dumbass*", "bitch*", "son of a bitch",
			"bastard*", "cunt*", "twat*", "wanker*", "dickhead*", "cocksucker*", "douchebag*", "scumbag*",
			"slut*", "whore*", "goddamn*", "god damn it",
		},
		Confidence: 0.85,
	},
	{
		ID:          "offensive.insult",
		Category:    leakscope.FlagOffensive,
		Severity:    "medium",
		Description: "Insulting epithets for people",
		Words: []string{
			"idiot", "idiots", "moron", "morons", "imbecile", "imbeciles", "retard", "retards", "retarded",
			"cretin", "cretins", "nitwit", "nitwits", "dimwit", "dimwits", "numbnuts", "scum", "lowlife",
			"dirtbag*", "jerk", "jerks",
		},
		Confidence: 0.75,
		Exclude: []string{
			"fire retard", "flame retard", "knee", "chicken", "pork", "beef", "jerk around", "center for",
			"centre for", "school for", "association for", "institute for", "mentally",
		},
		ExcludeWindow: [2]int{20, 10},
	},
	{
		ID:          "offensive.slur",
		Category:    leakscope.FlagOffensive,
		Severity:    "high",
		Description: "Racial, ethnic, homophobic and transphobic slurs",
		Words: []string{
			"nigger*", "nigga*", "faggot*", "fag", "fags", "kike", "kikes", "gook", "gooks", "wetback*",
			"beaner*", "raghead*", "towelhead*", "sand nigger*", "tranny", "trannies", "honky", "honkies",
			"camel jockey*", "slant eye*", "zipperhead*", "shemale*",
		},
		Confidence:    0.8,
		Exclude:       []string{"fag end", "fag hag"},
		ExcludeWindow: [2]int{20, 20},
	},
	// Slurs that are also surnames or words when capitalized ("Kelly Dyke",
	// "Spic and Span"): matched only in lower case or all capitals.
	{
		ID:          "offensive.slur_cased",
		Category:    leakscope.FlagOffensive,
		Severity:    "high",
		Description: "Slurs that are also names, in lower case or capitals",
		Words: []string{
			"dyke", "dykes", "DYKE", "DYKES", "spic", "spics", "SPIC", "SPICS", "chink", "chinks", "CHINK",
			"CHINKS", "coon", "coons", "COON", "COONS", "jap", "japs", "JAP", "JAPS", "wop", "wops", "WOP",
			"WOPS", "kraut", "krauts", "KRAUT", "KRAUTS", "paki", "pakis", "PAKI", "PAKIS",
		},
		CaseSensitive: true,
		Confidence:    0.75,
		Exclude:       []string{"span", "in the armor", "in the armour", "in his armor", "van"},
		ExcludeWindow: [2]int{20, 20},
	},
}
