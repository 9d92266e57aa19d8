package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Threading joins messages into threads:
//  1. by Message-ID references (In-Reply-To and References), as JWZ and
//     notmuch do: messages that refer to the same missing message share a
//     thread too;
//  2. for messages without any reference header, by normalised subject
//     (leakscope.NormalizeSubject): a reply or forward ("Re:", "AW:", ...)
//     joins the latest earlier message with the same subject that is at
//     most SubjectWindow older and shares at least one participant (sender
//     or recipient address).
//
// A thread's ID is the smallest message ID in it, so it depends only on
// the set of messages stored, never on the order they were ingested in.
const SubjectWindow = 30 * 24 * time.Hour

// maxThreadPeople caps the addresses kept per message for the subject
// fallback's participant check.
const maxThreadPeople = 64

// maxSubjectScan caps how far back a reply looks for its parent among
// messages with the same subject.
const maxSubjectScan = 256

func markRethread(meta *bolt.Bucket) error { return meta.Put([]byte("rethread"), []byte{1}) }

// NeedsRethread reports whether messages were added since the last Rethread.
func (db *DB) NeedsRethread(ctx context.Context) (bool, error) {
	var need bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		need = tx.Bucket(bucketMeta).Get([]byte("rethread")) != nil
		return nil
	})
	return need, err
}

// Rethread recomputes every message's thread and stores the changes. Thread
// membership lives only in the store (bucket "threads"); the search index
// resolves thread: queries through ThreadMembers, so a thread change never
// rewrites search documents. It returns the number of messages whose
// thread changed.
func (db *DB) Rethread(ctx context.Context) (int, error) {
	var ids []string
	var seqs [][]byte
	var infos []*threadInfo
	err := db.view(ctx, func(tx *bolt.Tx) error {
		threadOf := tx.Bucket(bucketThreadOf)
		return tx.Bucket(bucketThreadInfo).ForEach(func(k, v []byte) error {
			ti, err := parseThreadInfo(v)
			if err != nil {
				return fmt.Errorf("decode thread info %x: %w", k, err)
			}
			ti.Thread = string(threadOf.Get(k))
			ids = append(ids, ti.ID)
			seqs = append(seqs, append([]byte(nil), k...))
			infos = append(infos, ti)
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("rethread: %w", err)
	}
	threads := computeThreads(ids, infos)
	changed := 0
	err = db.update(ctx, func(tx *bolt.Tx) error {
		appendFill(tx)
		threadOf, members := tx.Bucket(bucketThreadOf), tx.Bucket(bucketThreads)
		for i, id := range ids {
			old := infos[i].Thread
			if old == threads[i] {
				continue
			}
			if old != "" {
				if err := members.Delete([]byte(old + "\x00" + id)); err != nil {
					return err
				}
			}
			if err := threadOf.Put(seqs[i], []byte(threads[i])); err != nil {
				return err
			}
			if err := members.Put([]byte(threads[i]+"\x00"+id), nil); err != nil {
				return err
			}
			changed++
		}
		return tx.Bucket(bucketMeta).Delete([]byte("rethread"))
	})
	if err != nil {
		return 0, fmt.Errorf("rethread: %w", err)
	}
	return changed, nil
}

// ThreadMembers returns the IDs of the messages in a thread, sorted.
func (db *DB) ThreadMembers(ctx context.Context, thread string) ([]string, error) {
	var ids []string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		prefix := []byte(strings.ToLower(thread) + "\x00")
		c := tx.Bucket(bucketThreads).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			ids = append(ids, string(k[len(prefix):]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("thread %s: %w", thread, err)
	}
	return ids, nil
}

// computeThreads returns the thread ID of each message (same order as ids).
func computeThreads(ids []string, infos []*threadInfo) []string {
	uf := newUnionFind(len(ids))
	byMsgID := make(map[uint64]int) // hash of collection and Message-ID -> node
	node := func(mid uint64) int {
		if n, ok := byMsgID[mid]; ok {
			return n
		}
		n := uf.add()
		byMsgID[mid] = n
		return n
	}
	for i, ti := range infos {
		if ti.MessageID != 0 {
			uf.union(i, node(ti.MessageID))
		}
		for _, r := range ti.Refs {
			uf.union(i, node(r))
		}
	}
	linkBySubject(infos, uf)

	// The thread ID is the smallest message ID in each set.
	best := make(map[int]string)
	for i, id := range ids {
		r := uf.find(i)
		if cur, ok := best[r]; !ok || id < cur {
			best[r] = id
		}
	}
	out := make([]string, len(ids))
	for i := range ids {
		out[i] = best[uf.find(i)]
	}
	return out
}

// linkBySubject applies the subject fallback to messages without references.
func linkBySubject(infos []*threadInfo, uf *unionFind) {
	groups := make(map[uint64][]int) // hash of collection and subject -> messages
	for i, ti := range infos {
		if len(ti.Refs) == 0 && ti.Subject != 0 && ti.Date != 0 {
			groups[ti.Subject] = append(groups[ti.Subject], i)
		}
	}
	window := int64(SubjectWindow / time.Second)
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		slices.SortFunc(g, func(a, b int) int {
			if d := infos[a].Date - infos[b].Date; d != 0 {
				if d < 0 {
					return -1
				}
				return 1
			}
			return a - b
		})
		for j, m := range g {
			if !infos[m].Reply {
				continue
			}
			for k := j - 1; k >= 0 && j-k <= maxSubjectScan; k-- {
				e := g[k]
				if infos[m].Date-infos[e].Date > window {
					break
				}
				if sharePeople(infos[m].People, infos[e].People) {
					uf.union(m, e)
					break
				}
			}
		}
	}
}

func sharePeople(a, b []uint64) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	uf := &unionFind{parent: make([]int, n)}
	for i := range uf.parent {
		uf.parent[i] = i
	}
	return uf
}

func (u *unionFind) add() int {
	u.parent = append(u.parent, len(u.parent))
	return len(u.parent) - 1
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.parent[ra] = rb
	}
}
