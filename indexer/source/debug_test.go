package source

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leakscope/leakscope"
)

func TestDebugWalk(t *testing.T) {
	p := os.Getenv("WALK")
	if p == "" {
		t.Skip()
	}
	n := 0
	per := map[string]int{}
	err := New(Options{}).Walk(context.Background(), strings.Split(p, ","), func(m *Message) error {
		n++
		per[m.Copy.Source+" | "+m.Copy.Custodian+" | "+m.Copy.Folder]++
		if os.Getenv("V") != "" {
			fmt.Printf("MSG %s cust=%q folder=%q flags=%q size=%d from=%q\n", m.Copy.Location(), m.Copy.Custodian, m.Copy.Folder, m.Copy.MaildirFlags, len(m.Data), m.FromLine)
		}
		return nil
	}, func(p leakscope.Problem) {
		fmt.Printf("PROBLEM %s %s %s: %s\n", p.Severity, p.Code, p.Location, p.Detail)
	})
	if os.Getenv("P") != "" {
		for k, v := range per {
			fmt.Println(v, k)
		}
	}
	fmt.Println("total", n, err)
}
