package source

import (
	"bytes"
	"strings"
)

// isHeaderField reports whether line starts an RFC 5322 header field: a
// name of printable ASCII without spaces or colons, optional blanks (the
// obsolete syntax), then ':'.
func isHeaderField(line []byte) bool {
	name := fieldName(line)
	return name != ""
}

// fieldName returns the name of the header field line starts, "" if it
// does not start one.
func fieldName(line []byte) string {
	i := 0
	for i < len(line) && line[i] > ' ' && line[i] < 0x7f && line[i] != ':' {
		i++
	}
	if i == 0 {
		return ""
	}
	j := i
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j >= len(line) || line[j] != ':' {
		return ""
	}
	return string(line[:i])
}

// maxSniffFields bounds how many header lines looksLikeMessage reads.
const maxSniffFields = 200

// looksLikeMessage reports whether b starts with an RFC 5322 header: its
// first line (leading blanks allowed: broken messages have them) is a
// header field, and the header block seen holds at least one field a mail
// message has (From, Subject, Received, Content-Type...). The second rule
// keeps "Key: value" text files such as .mh_sequences out.
func looksLikeMessage(b []byte) bool {
	first, rest := cutLine(b)
	first = bytes.TrimLeft(first, " \t")
	if !isHeaderField(first) {
		return false
	}
	if isMailField(fieldName(first)) {
		return true
	}
	for range maxSniffFields {
		if len(rest) == 0 {
			return false
		}
		var line []byte
		line, rest = cutLine(rest)
		if len(line) == 0 {
			return false // end of the header
		}
		if isMailField(fieldName(line)) {
			return true
		}
	}
	return false
}

// mailFields are header fields that mark a mail message (lower case).
var mailFields = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"message-id": true, "sender": true, "reply-to": true, "in-reply-to": true, "references": true,
	"received": true, "return-path": true, "delivered-to": true, "envelope-to": true,
	"mime-version": true, "content-type": true, "content-transfer-encoding": true,
	"content-disposition": true, "dkim-signature": true, "domainkey-signature": true,
	"authentication-results": true, "arc-seal": true, "user-agent": true, "x-mailer": true,
	"x-original-to": true, "x-sender": true, "x-from": true, "x-to": true, "x-gmail-received": true,
	"x-ymail-umid": true, "x-ms-has-attach": true, "x-ms-exchange-organization-scl": true,
	"thread-topic": true, "thread-index": true, "list-id": true, "list-unsubscribe": true,
	"path": true, "newsgroups": true, "organization": true, "importance": true, "x-priority": true,
	"precedence": true, "status": true, "x-status": true, "x-mozilla-status": true,
	"x-uid": true, "x-keywords": true, "x-message-delivery": true, "x-spam-status": true,
	"recieved": true, // a common misspelling, kept in broken mail
}

// isMailField reports whether name is a header field of mail messages.
func isMailField(name string) bool {
	if name == "" {
		return false
	}
	lower := strings.ToLower(name)
	return mailFields[lower] || strings.HasPrefix(lower, "resent-") || strings.HasPrefix(lower, "arc-") ||
		strings.HasPrefix(lower, "list-") || strings.HasPrefix(lower, "x-ms-exchange-")
}
