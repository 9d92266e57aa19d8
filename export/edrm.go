package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"path"
	"strconv"
)

// edrmWriter streams an EDRM XML 1.2 load file:
//
//	<Root MajorVersion="1" MinorVersion="2" DataInterchangeType="Export">
//	  <Batch>
//	    <Documents>
//	      <Document DocID="ACME0000001" DocType="Message" MimeType="message/rfc822">
//	        <Files>
//	          <File FileType="Native"><ExternalFile FilePath="NATIVES\0001" FileName="ACME0000001.eml" FileSize="..." Hash="MD5"/></File>
//	          <File FileType="Text"><ExternalFile FilePath="TEXT\0001" FileName="ACME0000001.txt" FileSize="..." Hash="MD5"/></File>
//	        </Files>
//	        <Tags><Tag TagName="FROM" TagDataType="Text" TagValue="..."/>...</Tags>
//	      </Document>
//	    </Documents>
//	    <Relationships>
//	      <Relationship Type="Attachment" ParentDocID="ACME0000001" ChildDocID="ACME0000002"/>
//	    </Relationships>
//	  </Batch>
//	</Root>
//
// DocID is the Bates number; tags carry the DAT fields under the same
// names (empty ones are left out); families are Attachment relationships.
// The relationships, which follow every document, are kept in memory until
// the end: two short strings per attachment.
type edrmWriter struct {
	buf  *bufio.Writer
	enc  *xml.Encoder
	rels [][2]string
}

func newEDRMWriter(w io.Writer, volume string) (*edrmWriter, error) {
	x := &edrmWriter{buf: bufio.NewWriterSize(w, 64<<10)}
	x.buf.WriteString(xml.Header)
	x.enc = xml.NewEncoder(x.buf)
	x.enc.Indent("", " ")
	err := x.start("Root", "MajorVersion", "1", "MinorVersion", "2", "DataInterchangeType", "Export",
		"Description", "Leakscope production "+volume)
	if err == nil {
		err = x.start("Batch")
	}
	if err == nil {
		err = x.start("Documents")
	}
	return x, err
}

func (x *edrmWriter) start(name string, attrs ...string) error {
	return x.enc.EncodeToken(startElement(name, attrs...))
}

func (x *edrmWriter) end(name string) error {
	return x.enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}})
}

// empty writes an element without content.
func (x *edrmWriter) empty(name string, attrs ...string) error {
	if err := x.start(name, attrs...); err != nil {
		return err
	}
	return x.end(name)
}

func startElement(name string, attrs ...string) xml.StartElement {
	se := xml.StartElement{Name: xml.Name{Local: name}}
	for i := 0; i+1 < len(attrs); i += 2 {
		se.Attr = append(se.Attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
	}
	return se
}

// document writes one document.
func (x *edrmWriter) document(r *record) error {
	if err := x.start("Document", "DocID", r.bates, "DocType", r.docType, "MimeType", r.mimeType); err != nil {
		return err
	}
	if r.native != "" || r.text != "" {
		x.start("Files")
		if r.native != "" {
			x.file("Native", r.native, r.nativeSize, r.nativeMD5)
		}
		if r.text != "" {
			x.file("Text", r.text, r.textSize, r.textMD5)
		}
		x.end("Files")
	}
	x.start("Tags")
	for i, v := range r.values(`\`) {
		if v == "" {
			continue
		}
		typ := "Text"
		if Fields[i] == "DATESENT" {
			typ = "DateTime"
		}
		x.empty("Tag", "TagName", Fields[i], "TagDataType", typ, "TagValue", v)
	}
	x.end("Tags")
	if r.parent != "" {
		x.rels = append(x.rels, [2]string{r.parent, r.bates})
	}
	return x.end("Document")
}

func (x *edrmWriter) file(typ, p string, size int64, md5 string) {
	x.start("File", "FileType", typ)
	x.empty("ExternalFile", "FilePath", link(path.Dir(p), `\`), "FileName", path.Base(p),
		"FileSize", strconv.FormatInt(size, 10), "Hash", md5)
	x.end("File")
}

// close ends the documents, writes the relationships and ends the file.
func (x *edrmWriter) close() error {
	x.end("Documents")
	if len(x.rels) > 0 {
		x.start("Relationships")
		for _, r := range x.rels {
			x.empty("Relationship", "Type", "Attachment", "ParentDocID", r[0], "ChildDocID", r[1])
		}
		x.end("Relationships")
	}
	x.end("Batch")
	if err := x.end("Root"); err != nil {
		return err
	}
	if err := x.enc.Flush(); err != nil {
		return err
	}
	x.buf.WriteString("\n")
	return x.buf.Flush()
}
