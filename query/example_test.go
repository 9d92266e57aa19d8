package query_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/query"
)

func ExampleParse() {
	q, err := query.Parse(`from:amy -to:legal "box office" (subject:merger OR has:attachments) date:2014-01..2014-06`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	// Output:
	// from:amy AND NOT to:legal AND "box office" AND (subject:merger OR has:attachment) AND date:2014..2014-06
}

func ExampleParse_error() {
	_, err := query.Parse("frm:amy budget")
	var qe *leakscope.QueryError
	if errors.As(err, &qe) {
		fmt.Println(errors.Is(err, leakscope.ErrInvalidQuery), qe.Pos)
		fmt.Println(qe.Query)
		fmt.Printf("%*s^\n", qe.Pos, "")
	}
	_, err = query.Parse("date:2014-02-30")
	fmt.Println(err)
	// Output:
	// true 0
	// frm:amy budget
	// ^
	// invalid query at position 14: bad date "2014-02-30": the day must be 01 to 28 in 2014-02
}

func ExampleParseAt() {
	now := time.Date(2014, 11, 24, 9, 0, 0, 0, time.UTC)
	q, _ := query.ParseAt("after:yesterday", now)
	dr := q.(leakscope.DateRange)
	fmt.Println(dr.From.Format(time.DateOnly), dr.To.IsZero())
	fmt.Println(q)
	// Output:
	// 2014-11-23 true
	// after:2014-11-23
}
