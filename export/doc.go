// Package export writes counsel's productions of leaked mail, and the
// breach-notification report. It imports only the standard library, the
// root package and exposure (for the people directory); it reads the store
// through small interfaces (Source, Tagger, Corpus) that store.DB
// satisfies.
//
// # Productions
//
//	e := export.New(db, export.Options{Prefix: "ACME", Start: p.Next, Tags: db, Commit: record})
//	sum, err := e.Run(ctx, ids, "/prod/ACME-001")      // or ".../ACME-001.zip"
//
// Each message is a document with its own Bates number (document-level
// numbering: ACME0000001); its attachments follow as documents of the
// same family, numbered right after it (BEGATTACH..ENDATTACH is the
// family's range, PARENTID the parent's number). An attached message
// (message/rfc822) is a family member whose native is its own original.
// Messages are taken in the order given; an attached message whose parent
// is also asked for is produced once, in its parent's family.
//
// A production holds:
//
//	NATIVES/0001/ACME0000001.eml   the original bytes of the first copy, byte for byte (= `leakscope show --raw`)
//	NATIVES/0001/ACME0000002.pdf   an attachment's decoded bytes (found in the original by its recorded SHA-256)
//	TEXT/0001/ACME0000001.txt      extracted text: a header block (From, To, Cc, Bcc, Date, Subject) and the body;
//	                               an attachment's extracted text (none when it has none)
//	DATA/VOLUME.dat                Concordance DAT load file
//	DATA/VOLUME.xml                EDRM XML 1.2 load file describing the same documents
//	DATA/VOLUME.csv                the same rows as CSV, for people without a review platform
//	DATA/CUSTODY.jsonl             chain of custody, one JSON object per document (CustodyRecord)
//	DATA/REDACTIONS.csv            with Options.Redact: every value redacted (never the value)
//	DATA/PRIVILEGE_LOG.csv         with Options.PrivilegeLog: every privileged message
//	MANIFEST.sha256                the SHA-256 of every other file, in sha256sum format
//
// Subfolders hold 1,000 numbers each (0001 holds 1-1000, 0002 1001-2000),
// so numbers continue across exports without clashing folders. VOLUME is
// the first Bates number unless Options.Volume names it.
//
// The output is written to a temporary sibling of the requested path and
// renamed into place once every file is written and the manifest closed,
// and after Options.Commit (where a production records the export and
// reserves its numbers) has succeeded. A failed or cancelled export
// leaves nothing at the requested path. Memory is bounded by one family
// (a message, its original and its attachments) plus the list of IDs and,
// for the EDRM relationships, two numbers per attachment.
//
// # Load files
//
// Fields (DAT and CSV columns, EDRM tag names): BEGBATES, ENDBATES (the
// same: one number per document), BEGATTACH, ENDATTACH, PARENTID,
// CUSTODIAN (of the first copy, whose original is the native),
// DUPCUSTODIANS (the other custodians the message was found with,
// "; "-separated), FROM, TO, CC, BCC ("Name <address>", "; "-separated),
// SUBJECT, DATESENT (ISO 8601, UTC; empty when the message has no usable
// date), MESSAGEID (with angle brackets), MIH, FILENAME (an attachment's
// name; for a message the base name of the file or archive member it was
// read from), SHA256 and MD5 (of the native), NATIVELINK and TEXTLINK
// (paths relative to the production's root), LEAK and BATCH (every leak
// and batch a copy was found in), FLAGS (sensitive-content categories),
// TAGS (review tags).
//
// The DAT file is UTF-8 with a byte order mark; the first row names the
// fields; every value is enclosed in þ (U+00FE) and values are separated
// by DC4 (ASCII 20); a line break inside a value is written ® (U+00AE);
// rows end with CR LF; links use '\' (NATIVES\0001\ACME0000001.eml), as
// Windows review platforms expect. A value's own þ, DC4 or ® would be read
// as structure, so each becomes U+FFFD (no standard escape exists).
//
// The EDRM XML file follows the EDRM XML 1.2 layout (see edrm.go):
// Root/Batch/Documents/Document with DocID (the Bates number), DocType
// (Message or File) and MimeType; Files/File (FileType Native or Text)
// with an ExternalFile (FilePath, FileName, FileSize, Hash: MD5); Tags
// carrying the DAT fields under the same names (TagDataType DateTime for
// DATESENT, Text otherwise); and Relationships of Type Attachment from
// parent to child.
//
// The CSV file has the same columns (RFC 4180, UTF-8 with a byte order
// mark, links with '/'); a value starting with '=', '+', '-' or '@' gets a
// leading "'" so that a spreadsheet does not evaluate it.
//
// # MIH
//
// MIH is the EDRM Message Identification Hash (EDRM MIH specification 1.0,
// January 2023): the MD5 of the Message-ID header value including its
// angle brackets, as 32 lower-case hex digits, as Relativity documents it
// ("<CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com>" gives
// 1de319c276884bd0c9e2f1621ada26cc). Divergence: the value hashed is the
// Message-ID as the parser normalised it (white space inside the brackets
// removed, first id of the field) with brackets added, so a folded or
// doubled header hashes as its well-formed equivalent. A message without
// Message-ID has no MIH.
//
// # Redaction and privilege
//
// With Options.Redact, every flagged value of the redacted categories (by
// default all but legal_privilege and confidential, which mark messages,
// not values) is replaced by "[REDACTED: category]" in TEXT files and in
// the SUBJECT and FILENAME fields, and listed in DATA/REDACTIONS.csv
// (document, part, category, rule, byte offsets in the original text).
// Natives cannot be redacted: an attachment's native is withheld when its
// text or name had a redaction, and a message's native (which holds every
// attachment) when any document of its family had one; the document keeps
// its number, text and metadata, and its SHA256 field still names the
// original. Values the detector did not flag are not redacted.
//
// A message tagged privileged (Options.PrivilegedTag) is withheld with
// its whole family and uses no number, unless Options.IncludePrivileged.
// With Options.PrivilegeLog, DATA/PRIVILEGE_LOG.csv lists every privileged
// message met: date, author, recipients, subject (redacted when
// redacting), basis (the tag's note), number of attachments, withheld or
// produced with its range, Message-ID, MIH, custodian, who tagged it and
// when. Only the top-level message's tags count.
//
// # Breach-notification report
//
// Notify reads every stored message once and lists the people whose
// personal data is exposed: see notify.go for the categories and the
// attribution rule.
//
// # Standards
//
// Zip output follows the ZIP application note as archive/zip writes it
// (Deflate). The manifest is GNU coreutils' sha256sum text format. CSV is
// RFC 4180. MIME parts are located per RFC 2045/2046 with the standard
// library; a part the standard library cannot read in a badly broken
// message has no native (its record says so).
package export
