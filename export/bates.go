package export

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
)

// FormatBates formats Bates number n: the prefix and the number padded
// with zeros to digits ("ACME", 7, 12 gives "ACME0000012"). A number wider
// than digits is written in full.
func FormatBates(prefix string, digits int, n uint64) string {
	s := strconv.FormatUint(n, 10)
	if pad := digits - len(s); pad > 0 {
		s = strings.Repeat("0", pad) + s
	}
	return prefix + s
}

// FormatBatesRange formats a range: one number, or "FIRST-LAST".
func FormatBatesRange(prefix string, digits int, begin, end uint64) string {
	if end <= begin {
		return FormatBates(prefix, digits, begin)
	}
	return FormatBates(prefix, digits, begin) + "-" + FormatBates(prefix, digits, end)
}

// MIH returns the EDRM Message Identification Hash of a Message-ID: the
// lower-case hex MD5 of the Message-ID value with its angle brackets, as
// the EDRM MIH specification 1.0 (January 2023) and Relativity compute it
// ("<CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com>" gives
// 1de319c276884bd0c9e2f1621ada26cc). messageID is given without brackets,
// as leakscope.Message.MessageID holds it; brackets are added. An empty
// Message-ID has no MIH ("").
func MIH(messageID string) string {
	if messageID == "" {
		return ""
	}
	sum := md5.Sum([]byte("<" + messageID + ">"))
	return hex.EncodeToString(sum[:])
}

// safeName reports whether s can be a file name on every system: ASCII
// letters, digits, '.', '_' and '-', not starting with '.'.
func safeName(s string) bool {
	if s == "" || s[0] == '.' || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
