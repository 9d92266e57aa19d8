package detect

import (
	"strconv"
	"strings"
)

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
	"october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// validDate accepts a calendar date written as "June 15, 2000",
// "15 June 2000", "July 12th", "06/15/2000", "15.06.2000" or "2000-06-15":
// the month and day must exist (day-month order is tried both ways for
// numeric dates) and a four-digit year must lie in 1880-2099.
func validDate(v string) bool {
	_, _, _, ok := dateParts(v)
	return ok
}

// dateParts reads a date as validDate accepts it: its year (0 when it
// has none), month and day. A numeric date is read month first when that
// makes a date, day first otherwise; a two-digit year is of the 1900s.
func dateParts(v string) (year, month, day int, ok bool) {
	var nums []int
	var lens []int
	for _, f := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == ',' || r == '/' || r == '-' || r == '.' || r == '\n' || r == '\t'
	}) {
		lf := strings.ToLower(f)
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			if len(lf) > 2 && strings.HasSuffix(lf, suf) && isDigit(lf[len(lf)-3]) {
				lf = lf[:len(lf)-2]
			}
		}
		if m, ok := monthNames[lf]; ok {
			if month != 0 {
				return 0, 0, 0, false
			}
			month = m
			continue
		}
		n, err := strconv.Atoi(lf)
		if err != nil {
			return 0, 0, 0, false
		}
		nums = append(nums, n)
		lens = append(lens, len(lf))
	}
	if month != 0 {
		switch len(nums) {
		case 1:
			return 0, month, nums[0], dayOK(month, nums[0], 2000)
		case 2:
			return nums[1], month, nums[0], lens[1] == 4 && yearOK(nums[1]) && dayOK(month, nums[0], nums[1])
		}
		return 0, 0, 0, false
	}
	if len(nums) != 3 {
		return 0, 0, 0, false
	}
	if lens[0] == 4 { // year-month-day
		return nums[0], nums[1], nums[2], yearOK(nums[0]) && dayOK(nums[1], nums[2], nums[0])
	}
	year = nums[2]
	switch lens[2] {
	case 4:
		if !yearOK(year) {
			return 0, 0, 0, false
		}
	case 2:
		year += 1900
	default:
		return 0, 0, 0, false
	}
	switch {
	case dayOK(nums[0], nums[1], year):
		return year, nums[0], nums[1], true
	case dayOK(nums[1], nums[0], year):
		return year, nums[1], nums[0], true
	}
	return 0, 0, 0, false
}

func yearOK(y int) bool { return y >= 1880 && y <= 2099 }

func dayOK(month, day, year int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && !(year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
		days = 28
	}
	return day <= days
}
