package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope"
)

// attachmentTextTypes are text types that are always attachments, never
// body text, and whose text is extracted.
var attachmentTextTypes = map[string]bool{
	"text/csv": true, "text/x-csv": true, "text/comma-separated-values": true, "text/tab-separated-values": true,
	"text/calendar": true, "text/x-vcalendar": true, "text/vcard": true, "text/x-vcard": true,
	"text/directory": true, "application/ics": true,
}

// bodyTextTypes are non-text/* types read as body text when inline.
var bodyTextTypes = map[string]bool{
	"message/delivery-status": true, "message/disposition-notification": true,
	"message/feedback-report": true, "message/global-headers": true,
	"message/global-delivery-status": true, "message/global-disposition-notification": true,
}

// textExtensions are file name extensions of text for application/*
// attachments whose bytes sniff as text.
var textExtensions = map[string]bool{
	".txt": true, ".text": true, ".csv": true, ".tsv": true, ".log": true, ".ics": true, ".vcs": true,
	".vcf": true, ".md": true, ".json": true, ".xml": true, ".htm": true, ".html": true, ".diff": true,
	".patch": true, ".ini": true, ".cfg": true, ".conf": true, ".yaml": true, ".yml": true, ".sql": true,
	".asc": true, ".eml": true,
}

// isBodyType reports whether an inline, unnamed part of type mt is body text.
func isBodyType(mt string) bool {
	if strings.HasPrefix(mt, "text/") {
		return !attachmentTextTypes[mt]
	}
	return bodyTextTypes[mt]
}

// disposition returns a part's Content-Disposition value (lower-case) and
// its file name: the disposition's filename, else the type's name
// parameter, decoded.
func disposition(e *entity, w warner) (disp, name string) {
	var dps map[string]string
	if v := e.h.Get("Content-Disposition"); strings.TrimSpace(v) != "" {
		disp, dps = parseField(v, e.h.ContentDisposition)
	}
	n := dps["filename"]
	if strings.TrimSpace(n) == "" {
		n = e.params["name"]
	}
	if n != "" {
		name = headerText(n, w)
		if clean := dropControls(name); clean != name {
			w.warn(leakscope.WarnHeader, "control characters removed from an attachment's file name")
			name = clean
		}
		name = collapseSpace(name)
	}
	return disp, name
}

// dropControls returns s without its C0 control characters but white space
// (which collapseSpace turns into spaces) and without DEL: a NUL in a file
// name would end up in the text that is indexed.
func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && !unicode.IsSpace(r) || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// attachment records a leaf part as an attachment and extracts its text.
func (ms *msgState) attachment(e *entity, disp, name string) {
	data := decodeBody(e, ms.w.lim.MaxPartBytes, ms)
	sum := sha256.Sum256(data)
	a := leakscope.Attachment{
		Name:        name,
		ContentType: e.mediaType,
		Size:        int64(len(data)),
		SHA256:      hex.EncodeToString(sum[:]),
		Inline:      disp == "inline" || disp == "" && e.h.Has("Content-Id"),
	}
	if !e.opaque {
		text, err := ms.extract(e, name, data)
		if err != nil {
			ms.warn(leakscope.WarnExtract, fmt.Sprintf("attachment %d (%s): %v", len(ms.atts)+1, e.mediaType, err))
		}
		if text = ms.addText(text); text != "" {
			a.HasText = true
			ms.text.Attachments = append(ms.text.Attachments, leakscope.AttachmentText{Name: name, Text: text})
		}
	}
	ms.atts = append(ms.atts, a)
}

// extract returns the text of an attachment: text types in their charset,
// HTML rendered, Office Open XML documents (sniffed from the zip's content
// types, whatever the declared type or name), and application/* parts with
// a text file name whose bytes are UTF-8 without NUL. Other types (PDF,
// legacy Office, images) give no text.
func (ms *msgState) extract(e *entity, name string, data []byte) (string, error) {
	mt := e.mediaType
	switch {
	case len(data) == 0:
		return "", nil
	case strings.HasPrefix(mt, "text/") || attachmentTextTypes[mt] || bodyTextTypes[mt]:
		return ms.partText(e, data), nil
	case isZip(data):
		text, ok, err := ooxmlText(data, ms.textLeft())
		if !ok {
			return "", nil
		}
		return cleanText(text), err
	case textExtensions[strings.ToLower(path.Ext(name))] && utf8.Valid(data) && !containsNUL(data):
		return cleanText(string(data)), nil
	}
	return "", nil
}

func containsNUL(b []byte) bool {
	for _, c := range b {
		if c == 0 {
			return true
		}
	}
	return false
}
