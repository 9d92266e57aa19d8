package export

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/leakscope/leakscope"
)

// Folders of a production, and how many documents share a subfolder.
const (
	dirNatives = "NATIVES"
	dirText    = "TEXT"
	dirData    = "DATA"
	perFolder  = 1000
)

// writer is one export under way.
type writer struct {
	e     *Exporter
	fs    *files
	sum   *Summary
	next  uint64
	start time.Time
	now   time.Time // the export time recorded in custody records

	dat     *datWriter
	csv     *csvWriter
	xml     *edrmWriter
	custody *custodyWriter
	redLog  *redactionLog // nil unless Options.Redact
	privLog *privilegeLog // nil unless Options.PrivilegeLog
	red     *redactor
}

// write writes every file of the export through s and returns the
// summary; the caller commits or aborts s.
func (e *Exporter) write(ctx context.Context, s sink, ids []string, start time.Time) (*Summary, error) {
	fs, err := newFiles(s)
	if err != nil {
		return nil, err
	}
	w := &writer{e: e, fs: fs, next: e.opts.Start, start: start, now: start.UTC(),
		sum: &Summary{Volume: e.opts.Volume}, red: newRedactor(e.opts.RedactCategories)}
	if err := w.openLoadFiles(); err != nil {
		return nil, err
	}
	// The messages asked for, to produce an attached message with its
	// parent rather than on its own; then those already produced.
	state := make(map[string]uint8, len(ids))
	const (
		asked    = 1
		produced = 2
	)
	for _, id := range ids {
		state[id] = asked
	}
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if state[id] == produced {
			w.sum.Skipped++
			continue
		}
		state[id] = produced
		msg, err := e.src.Message(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("message %s: %w", id, err)
		}
		if msg.ParentID != "" && state[msg.ParentID] != 0 {
			w.sum.Skipped++
		} else if err := w.family(ctx, msg); err != nil {
			return nil, fmt.Errorf("message %s: %w", id, err)
		}
		w.progress(i+1, len(ids), false)
	}
	if err := w.closeLoadFiles(); err != nil {
		return nil, err
	}
	if w.sum.Manifest, err = fs.finish(); err != nil {
		return nil, err
	}
	if err := s.close(); err != nil {
		return nil, err
	}
	w.sum.Files, w.sum.Bytes = fs.count, fs.bytes
	if w.sum.Documents > 0 {
		w.sum.First, w.sum.Last = e.opts.Start, w.next-1
		w.sum.FirstBates, w.sum.LastBates = w.bates(w.sum.First), w.bates(w.sum.Last)
	}
	w.progress(len(ids), len(ids), true)
	return w.sum, nil
}

func (w *writer) progress(done, total int, finished bool) {
	if w.e.opts.Progress == nil {
		return
	}
	w.e.opts.Progress(Progress{Messages: done, Total: total, Documents: w.sum.Documents,
		Bytes: w.fs.bytes, Elapsed: w.e.opts.Now().Sub(w.start), Done: finished})
}

func (w *writer) openLoadFiles() error {
	vol := w.e.opts.Volume
	f, err := w.fs.stream(dirData + "/" + vol + ".dat")
	if err != nil {
		return err
	}
	if w.dat, err = newDATWriter(f); err != nil {
		return err
	}
	if f, err = w.fs.stream(dirData + "/" + vol + ".xml"); err != nil {
		return err
	}
	if w.xml, err = newEDRMWriter(f, vol); err != nil {
		return err
	}
	if f, err = w.fs.stream(dirData + "/" + vol + ".csv"); err != nil {
		return err
	}
	if w.csv, err = newCSVWriter(f); err != nil {
		return err
	}
	if f, err = w.fs.stream(dirData + "/" + CustodyName); err != nil {
		return err
	}
	w.custody = newCustodyWriter(f, w.e.opts.ToolVersion, w.now)
	if w.e.opts.Redact {
		if f, err = w.fs.stream(dirData + "/" + RedactionLogName); err != nil {
			return err
		}
		if w.redLog, err = newRedactionLog(f); err != nil {
			return err
		}
	}
	if w.e.opts.PrivilegeLog {
		if f, err = w.fs.stream(dirData + "/" + PrivilegeLogName); err != nil {
			return err
		}
		if w.privLog, err = newPrivilegeLog(f); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) closeLoadFiles() error {
	errs := []error{w.dat.flush(), w.xml.close(), w.csv.flush(), w.custody.flush()}
	if w.redLog != nil {
		errs = append(errs, w.redLog.flush())
	}
	if w.privLog != nil {
		errs = append(errs, w.privLog.flush())
	}
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("write load files: %w", err)
		}
	}
	return nil
}

func (w *writer) bates(n uint64) string { return FormatBates(w.e.opts.Prefix, w.e.opts.Digits, n) }

// folder is the subfolder of NATIVES and TEXT holding number n.
func folder(n uint64) string { return fmt.Sprintf("%04d", (n-1)/perFolder+1) }

// family produces msg and its attachments, or withholds them.
func (w *writer) family(ctx context.Context, msg *leakscope.Message) error {
	f, err := w.e.loadFamily(ctx, msg)
	if err != nil {
		return err
	}
	priv, isPriv := f.privileged(w.e.opts.PrivilegedTag)
	withhold := isPriv && !w.e.opts.IncludePrivileged
	var begin, end uint64
	if !withhold {
		begin = w.next
		end = begin + uint64(f.size()) - 1
		w.next = end + 1
	}
	if isPriv && w.privLog != nil {
		if err := w.privLog.add(w, f, priv, withhold, begin, end); err != nil {
			return err
		}
	}
	if withhold {
		w.sum.Withheld++
		return nil
	}
	return w.produce(f, begin, end)
}

// produced is a document's text and whether its native may be produced.
type produced struct {
	subject  string // redacted when redacting
	name     string // attachment name, redacted when redacting
	text     string // the TEXT file's content
	reds     []redaction
	withheld bool // native withheld: it holds a redacted value
}

func (w *writer) produce(f *family, begin, end uint64) error {
	// Texts first: a redaction anywhere in the family withholds the
	// message's native, which holds the whole family.
	parent := w.messageText(f.msg, f.text)
	members := make([]produced, len(f.members))
	redacted := len(parent.reds) > 0
	for i := range f.members {
		members[i] = w.memberText(f, &f.members[i])
		redacted = redacted || len(members[i].reds) > 0
	}
	parent.withheld = redacted
	fam := [2]string{w.bates(begin), w.bates(end)}

	rec, err := w.messageRecord(f.msg, f.copies, f.tags, parent, begin, f.native, fam)
	if err != nil {
		return err
	}
	if err := w.emit(rec, f.msg.ID, f.copies, nil, parent); err != nil {
		return err
	}
	w.sum.Assigned = append(w.sum.Assigned, Assignment{ID: f.msg.ID, Begin: begin, End: end})
	w.sum.Messages++
	for i := range f.members {
		m := &f.members[i]
		n := begin + uint64(i) + 1
		var rec *record
		if m.child != nil {
			rec, err = w.messageRecord(m.child, m.childCopies, nil, members[i], n, m.data, fam)
			w.sum.Assigned = append(w.sum.Assigned, Assignment{ID: m.child.ID, Begin: n, End: n})
		} else {
			rec, err = w.attachmentRecord(m, members[i], n, fam)
		}
		if err != nil {
			return err
		}
		rec.parent = fam[0]
		rec.custodian, rec.dupCustodians = custodians(f.copies)
		att := &custodyAttachment{Index: i + 1, Name: members[i].name, ContentType: m.att.ContentType, Size: m.att.Size, SHA256: m.att.SHA256}
		if err := w.emit(rec, childID(m), f.copies, att, members[i]); err != nil {
			return err
		}
	}
	return nil
}

func childID(m *member) string {
	if m.child != nil {
		return m.child.ID
	}
	return ""
}

// emit writes a document's native and text files and its load-file rows.
func (w *writer) emit(rec *record, id string, copies []leakscope.Copy, att *custodyAttachment, p produced) error {
	w.sum.Documents++
	if err := w.dat.row(rec.values(`\`)); err != nil {
		return err
	}
	if err := w.csv.row(rec.values("/")); err != nil {
		return err
	}
	if err := w.xml.document(rec); err != nil {
		return err
	}
	for _, r := range p.reds {
		w.sum.Redactions++
		if err := w.redLog.add(rec.bates, r, p.withheld); err != nil {
			return err
		}
	}
	return w.custody.add(rec, id, copies, att, p.withheld)
}

// putNative writes a native and fills the record's native fields.
func (w *writer) putNative(rec *record, n uint64, ext string, data []byte) error {
	sum := sha256.Sum256(data)
	m := md5.Sum(data)
	rec.sha256, rec.md5 = hex.EncodeToString(sum[:]), hex.EncodeToString(m[:])
	rec.native = dirNatives + "/" + folder(n) + "/" + rec.bates + ext
	rec.nativeSize, rec.nativeMD5 = int64(len(data)), rec.md5
	return w.fs.put(rec.native, data)
}

// putText writes a text file and fills the record's text fields.
func (w *writer) putText(rec *record, n uint64, text string) error {
	data := []byte(text)
	m := md5.Sum(data)
	rec.text = dirText + "/" + folder(n) + "/" + rec.bates + ".txt"
	rec.textSize, rec.textMD5 = int64(len(data)), hex.EncodeToString(m[:])
	return w.fs.put(rec.text, data)
}

// messageRecord describes a message (top-level or attached) and writes
// its native and text.
func (w *writer) messageRecord(msg *leakscope.Message, copies []leakscope.Copy, tags []leakscope.Tag, p produced, n uint64, native []byte, fam [2]string) (*record, error) {
	rec := &record{bates: w.bates(n), begAttach: fam[0], endAttach: fam[1], docType: docMessage, mimeType: "message/rfc822",
		from: msg.From.String(), to: addrList(msg.To), cc: addrList(msg.Cc), bcc: addrList(msg.Bcc),
		subject: p.subject, mih: MIH(msg.MessageID), flags: flagList(msg.Flags), tags: tagList(tags), fileName: p.name}
	if msg.MessageID != "" {
		rec.messageID = "<" + msg.MessageID + ">"
	}
	if !msg.Date.IsZero() && msg.DateSource != leakscope.DateNone {
		rec.date = msg.Date.UTC().Format(time.RFC3339)
	}
	rec.custodian, rec.dupCustodians = custodians(copies)
	rec.leak, rec.batch = leaksOf(copies)
	if rec.fileName == "" {
		rec.fileName = fileNameOf(copies)
	}
	if native != nil && !p.withheld {
		if err := w.putNative(rec, n, ".eml", native); err != nil {
			return nil, err
		}
	} else if len(copies) > 0 {
		rec.sha256 = copies[0].RawSHA256
		if !p.withheld {
			w.sum.Missing++ // its original is lost to damage
			w.e.log.Warn("message produced without its native: its original is unreadable (see leakscope verify)", "bates", rec.bates, "sha256", rec.sha256)
		}
	}
	return rec, w.putText(rec, n, p.text)
}

// attachmentRecord describes a plain attachment and writes its native and
// text.
func (w *writer) attachmentRecord(m *member, p produced, n uint64, fam [2]string) (*record, error) {
	rec := &record{bates: w.bates(n), begAttach: fam[0], endAttach: fam[1], docType: docFile,
		mimeType: m.att.ContentType, fileName: p.name, sha256: m.att.SHA256}
	if rec.mimeType == "" {
		rec.mimeType = "application/octet-stream"
	}
	switch {
	case m.data != nil && !p.withheld:
		if err := w.putNative(rec, n, extension(m.att.Name, m.att.ContentType), m.data); err != nil {
			return nil, err
		}
	case m.data == nil:
		w.sum.Missing++
		w.e.log.Debug("attachment bytes not found", "bates", rec.bates, "sha256", m.att.SHA256)
	}
	if p.text != "" {
		if err := w.putText(rec, n, p.text); err != nil {
			return nil, err
		}
	}
	return rec, nil
}
