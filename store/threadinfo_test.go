package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
)

func TestThreadInfoBinary(t *testing.T) {
	d := time.Date(2001, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		m    leakscope.Message
	}{
		{"bare", leakscope.Message{ID: "a"}},
		{"full", leakscope.Message{
			ID: "8966babc2d6156cf214f", MessageID: "X@Y", InReplyTo: "p@y", References: []string{"R@y", "p@y", "x@y"},
			Subject: "Re: Gas prices", Date: d, Collection: leakscope.CollectionLeak,
			From: leakscope.Address{Email: "a@x"}, To: []leakscope.Address{{Email: "b@x"}, {Email: "a@x"}, {}},
		}},
		{"before 1970", leakscope.Message{ID: "b", Date: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC), Subject: "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ti := newThreadInfo(&tc.m)
			got, err := parseThreadInfo(ti.appendBinary(nil))
			if err != nil || !reflect.DeepEqual(got, ti) {
				t.Errorf("parseThreadInfo(appendBinary(%+v)) = %+v, %v", ti, got, err)
			}
		})
	}
	ti := newThreadInfo(&leakscope.Message{
		ID: "c", MessageID: "X@Y", References: []string{"x@y"}, Subject: "RE: a", Collection: leakscope.CollectionLeak,
		From: leakscope.Address{Email: "a@x"}, To: []leakscope.Address{{Email: "a@x"}},
	})
	// The message's own ID is no reference, the same address is one
	// person, and the collection tells Message-IDs apart.
	if len(ti.Refs) != 0 || len(ti.People) != 1 || !ti.Reply || ti.MessageID != hashString("leak", "x@y") {
		t.Errorf("newThreadInfo = %+v, want no refs, one person, a reply, Message-ID hash of leak + x@y", ti)
	}
	ref := newThreadInfo(&leakscope.Message{ID: "d", MessageID: "x@y", Collection: leakscope.CollectionReference})
	if ref.MessageID == ti.MessageID {
		t.Errorf("Message-ID hashes of two collections are equal")
	}
	for _, bad := range [][]byte{nil, {1, 'a'}, {1, 'a', 0, 0}, append(ti.appendBinary(nil), 0)} {
		if got, err := parseThreadInfo(bad); err == nil {
			t.Errorf("parseThreadInfo(%x) = %+v, want an error", bad, got)
		}
	}
}

func FuzzParseThreadInfo(f *testing.F) {
	f.Add(newThreadInfo(&leakscope.Message{ID: "a", MessageID: "m", References: []string{"r"}, Subject: "s", From: leakscope.Address{Email: "e"}}).appendBinary(nil))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		ti, err := parseThreadInfo(b)
		if err != nil {
			return
		}
		again, err := parseThreadInfo(ti.appendBinary(nil))
		if err != nil || !reflect.DeepEqual(again, ti) {
			t.Errorf("parseThreadInfo(appendBinary(%+v)) = %+v, %v", ti, again, err)
		}
	})
}
