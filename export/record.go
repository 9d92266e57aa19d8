package export

import (
	"strings"
)

// Fields are the columns of the DAT and CSV load files, in order, and the
// tag names of the EDRM XML file.
var Fields = []string{
	"BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "PARENTID",
	"CUSTODIAN", "DUPCUSTODIANS", "FROM", "TO", "CC", "BCC", "SUBJECT",
	"DATESENT", "MESSAGEID", "MIH", "FILENAME", "SHA256", "MD5",
	"NATIVELINK", "TEXTLINK", "LEAK", "BATCH", "FLAGS", "TAGS",
}

// Document types of the EDRM XML file (Document/@DocType).
const (
	docMessage = "Message"
	docFile    = "File"
)

// record is one produced document, as the load files describe it: a
// message (possibly an attached one) or an attachment.
type record struct {
	bates                string // BEGBATES = ENDBATES: one number per document
	begAttach, endAttach string // the family's range
	parent               string // the parent's number; "" for a top-level message
	docType              string // docMessage or docFile
	mimeType             string

	custodian     string
	dupCustodians []string
	from, to      string
	cc, bcc       string
	subject       string
	date          string // ISO 8601 UTC, "" when unknown
	messageID     string // with angle brackets, "" when none
	mih           string
	fileName      string
	sha256, md5   string // of the native bytes

	native, text         string // paths in the production, '/'-separated; "" when none
	nativeSize, textSize int64
	nativeMD5, textMD5   string
	leak, batch          string
	flags, tags          string
}

// values returns the record's fields in Fields order; links use sep
// between path elements.
func (r *record) values(sep string) []string {
	return []string{
		r.bates, r.bates, r.begAttach, r.endAttach, r.parent,
		r.custodian, strings.Join(r.dupCustodians, "; "), r.from, r.to, r.cc, r.bcc, r.subject,
		r.date, r.messageID, r.mih, r.fileName, r.sha256, r.md5,
		link(r.native, sep), link(r.text, sep), r.leak, r.batch, r.flags, r.tags,
	}
}

func link(p, sep string) string {
	if sep == "/" {
		return p
	}
	return strings.ReplaceAll(p, "/", sep)
}
