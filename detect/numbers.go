package detect

// numRun is a run of digits joined by short separators ("(713) 853-1234",
// "4111 1111 1111 1111", "078-05-1120"): the candidates that rules with
// scan = "numbers" look at, so that number patterns never run over prose.
type numRun struct {
	start, end int // text[start:end] begins and ends with a digit
	digits     int
}

// isNumSep reports whether c may join two digit groups of a run.
func isNumSep(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '-', '.', '/', '(', ')', ',':
		return true
	}
	return false
}

// maxNumSep is the longest separator sequence inside a run: ") " and " \n"
// (a number wrapped at the end of a line) are common, longer ones are not.
const maxNumSep = 3

// numberRuns appends the runs of text to runs.
func numberRuns(text string, runs []numRun) []numRun {
	i := 0
	for i < len(text) {
		if !isDigit(text[i]) {
			i++
			continue
		}
		r := numRun{start: i}
		for {
			for i < len(text) && isDigit(text[i]) {
				r.digits++
				i++
			}
			r.end = i
			j := i
			for j < len(text) && j-i < maxNumSep && isNumSep(text[j]) {
				j++
			}
			if j == i || j >= len(text) || !isDigit(text[j]) || !joinable(text[i:j]) {
				break
			}
			i = j
		}
		runs = append(runs, r)
	}
	return runs
}

// joinable reports whether a separator sequence may join two digit groups:
// at most one line break and no blank line.
func joinable(sep string) bool {
	nl := 0
	for i := 0; i < len(sep); i++ {
		if sep[i] == '\n' {
			nl++
		}
	}
	return nl <= 1
}

// isStrongSep reports whether c binds the digits around it into one number
// when a digit follows it directly ("2400/05", "12-31-01"); spaces do not,
// and commas do only as thousands separators (see glued).
func isStrongSep(c byte) bool { return c == '-' || c == '.' || c == '/' }

// thousandsComma reports whether the comma at text[i] separates thousands
// ("159,500"): one to three digits before it, exactly three after, and the
// group after it ends the number. A comma between the cells of a row
// ("310783237,3774308711", "1997,737-537-1692") does not.
func thousandsComma(text string, i int) bool {
	if i <= 0 || i+3 >= len(text) || text[i] != ',' {
		return false
	}
	n := 0
	for j := i - 1; j >= 0 && isDigit(text[j]); j-- {
		n++
	}
	if n < 1 || n > 3 {
		return false
	}
	for j := i + 1; j <= i+3; j++ {
		if !isDigit(text[j]) {
			return false
		}
	}
	k := i + 4
	return k >= len(text) || !(isDigit(text[k]) || isStrongSep(text[k]) && k+1 < len(text) && isDigit(text[k+1]))
}

// numberBoundary reports whether text[start:end] stands alone as a number:
// not glued to letters or digits, and not part of a longer number through a
// strong separator or a thousands comma ("528-12-2400/05" holds no SSN and
// "$159,500" no "$159").
func numberBoundary(text string, start, end int) bool {
	if start > 0 {
		c := text[start-1]
		if isAlnum(c) || isStrongSep(c) && start > 1 && isDigit(text[start-2]) {
			return false
		}
		if c == ',' && thousandsComma(text, start-1) {
			return false
		}
	}
	if end < len(text) {
		c := text[end]
		if isAlnum(c) || isStrongSep(c) && end+1 < len(text) && isDigit(text[end+1]) {
			return false
		}
		if c == ',' && thousandsComma(text, end) {
			return false
		}
	}
	return true
}
