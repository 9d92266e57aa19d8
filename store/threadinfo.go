package store

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
)

// threadInfo is what threading needs to know of a message. Threading only
// compares Message-IDs, subjects and addresses for equality, so they are
// kept as 64-bit hashes, the collection folded into the Message-ID and
// subject hashes (messages of different collections never share a
// thread). Stored in binary (appendBinary), a record takes about half the
// space of compressed JSON and is read back much faster by Rethread, which
// reads every record.
type threadInfo struct {
	ID        string   // the message's ID
	MessageID uint64   // hash of collection and lower-cased Message-ID; 0 when none
	Refs      []uint64 // hashes of collection and lower-cased In-Reply-To and References
	Subject   uint64   // hash of collection and normalised subject; 0 when empty
	Reply     bool
	Date      int64    // Unix seconds; 0 when unknown
	People    []uint64 // hashes of the sender's and recipients' addresses
	Thread    string   // from bucket threadof
}

// hashString returns a 64-bit hash of parts, never 0.
func hashString(parts ...string) uint64 {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return max(binary.BigEndian.Uint64(h.Sum(nil)), 1)
}

func newThreadInfo(m *leakscope.Message) *threadInfo {
	coll := string(m.Collection)
	ti := &threadInfo{ID: m.ID}
	mid := strings.ToLower(m.MessageID)
	if mid != "" {
		ti.MessageID = hashString(coll, mid)
	}
	seen := map[string]bool{mid: true}
	for _, r := range append([]string{m.InReplyTo}, m.References...) {
		r = strings.ToLower(r)
		if r != "" && !seen[r] {
			seen[r] = true
			ti.Refs = append(ti.Refs, hashString(coll, r))
		}
	}
	subject, reply := leakscope.NormalizeSubject(m.Subject)
	if subject != "" {
		ti.Subject = hashString(coll, subject)
	}
	ti.Reply = reply
	if !m.Date.IsZero() {
		ti.Date = m.Date.Unix()
	}
	for _, a := range append([]leakscope.Address{m.From}, m.Recipients()...) {
		if a.Email == "" || len(ti.People) >= maxThreadPeople {
			continue
		}
		if p := hashString(a.Email); !slices.Contains(ti.People, p) {
			ti.People = append(ti.People, p)
		}
	}
	return ti
}

// appendBinary appends the stored form of ti to b: the ID (uvarint length
// first), a flags byte (1: reply), the date (varint), the Message-ID and
// subject hashes (8 bytes each, big endian), then the reference hashes and
// the people hashes, each list preceded by its length (uvarint).
func (ti *threadInfo) appendBinary(b []byte) []byte {
	b = appendString(b, ti.ID)
	var flags byte
	if ti.Reply {
		flags |= 1
	}
	b = append(b, flags)
	b = binary.AppendVarint(b, ti.Date)
	b = binary.BigEndian.AppendUint64(b, ti.MessageID)
	b = binary.BigEndian.AppendUint64(b, ti.Subject)
	for _, list := range [][]uint64{ti.Refs, ti.People} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, h := range list {
			b = binary.BigEndian.AppendUint64(b, h)
		}
	}
	return b
}

var errBadThreadInfo = errors.New("bad thread info record")

// parseThreadInfo reverses appendBinary.
func parseThreadInfo(b []byte) (*threadInfo, error) {
	id, b, err := cutString(b)
	if err != nil || len(b) < 1 {
		return nil, errBadThreadInfo
	}
	ti := &threadInfo{ID: id, Reply: b[0]&1 != 0}
	date, k := binary.Varint(b[1:])
	if k <= 0 || len(b) < 1+k+16 {
		return nil, errBadThreadInfo
	}
	ti.Date, b = date, b[1+k:]
	ti.MessageID, ti.Subject, b = binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:]), b[16:]
	for _, list := range []*[]uint64{&ti.Refs, &ti.People} {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k)/8 {
			return nil, errBadThreadInfo
		}
		b = b[k:]
		for range n {
			*list = append(*list, binary.BigEndian.Uint64(b))
			b = b[8:]
		}
	}
	if len(b) != 0 {
		return nil, errBadThreadInfo
	}
	return ti, nil
}
