// Package parse turns one raw mail message into a leakscope.Message (header
// fields, addresses, dates, attachments, warnings) and a leakscope.Text (the
// body text and the text of attachments), plus the messages attached to it
// (message/rfc822 parts), each a Parsed of its own linked to its parent.
//
// Leak dumps hold every kind of broken mail, so Parse is lenient the way the
// best mail readers are: it returns an error only when the input has no
// header field at all, and every other problem becomes a Warning on the
// message (see leakscope.Warn*). Limits (header bytes, parts, nesting
// depth, decoded bytes per part, text bytes) bound the work on hostile
// input; going past one is a "limit" warning, never a crash.
//
// # Standards
//
//   - RFC 5322 (and the obsolete syntax of its section 4): header fields,
//     folding, address lists and groups, dates.
//   - RFC 2045-2049: MIME types, parameters, transfer encodings (base64,
//     quoted-printable), multiparts, message/rfc822.
//   - RFC 2047: encoded words in unstructured fields, display names and
//     (non-standard but common) parameter values.
//   - RFC 2231: parameter continuations, charsets and percent-encoding.
//   - RFC 6532: UTF-8 header fields are read as they are.
//   - RFC 3676 (format=flowed) and RFC 1896 (text/enriched) bodies are
//     turned into plain text; HTML is rendered to text with x/net/html
//     (script, style and head dropped, entities decoded, blocks kept as
//     lines); text is extracted from text/*, CSV, iCalendar, vCard and
//     Office Open XML (docx, xlsx, pptx) attachments.
//
// # What go-message does, and the fallbacks
//
// github.com/emersion/go-message reads every message it accepts. The
// lenient code of this package runs only on what go-message rejects or gets
// wrong; the choice for each piece was made by running both on the shared
// test corpus (35,192 files: Enron, notmuch, mu and the MIME oddities of
// enmime, CPython, crymap, MimeKit, ruby-mail and SpamAssassin), counting
// where they agree and reading every case where they do not.
//
//   - Header blocks: go-message's textproto.ReadHeader, into a
//     message.Header used everywhere after (the lenient reader builds one
//     too). It rejects 10 of the corpus messages' headers (a line that is
//     neither a field nor a continuation, a continuation first; a header
//     over MaxHeaderBytes is rejected too); the lenient reader then takes
//     the fields up to the bad line and reads the rest as body, as Python's
//     email package does, and drops the fields past MaxHeaderBytes.
//   - MIME structure: go-message's textproto multipart reader, part by part
//     (a part's bytes are copied once, as the reader streams). It rejects
//     24 more corpus messages: 12 whose delimiter is never found or is
//     malformed, most of them a nested multipart reusing its parent's
//     boundary; 6 whose closing delimiter is missing; 3 part headers
//     without their blank line; 3 multiparts without a boundary parameter.
//     The whole message is then read again by the lenient reader, which
//     works on offsets in the input, matches delimiter lines against the
//     boundaries of all enclosing multiparts, innermost first, as GMime
//     does, keeps the parts read before a missing delimiter and reads a
//     multipart whose boundary is missing or never found as text. A message
//     read leniently carries a warning ("header" or "mime"): the lenient
//     reader's own when it names the problem, else one saying that
//     go-message rejected the message. The corpus texts are the same as
//     when the lenient reader read everything.
//   - Content-Type and Content-Disposition: go-message's Header.ContentType
//     and Header.ContentDisposition (mime.ParseMediaType with RFC 2231, and
//     RFC 2047 words in values). They fail on 24 corpus fields (unquoted
//     values with spaces or 8-bit bytes, duplicates, junk after a value),
//     read then by the lenient parameter reader. mime.ParseMediaType also
//     drops RFC 2231 values in a charset other than UTF-8 or US-ASCII
//     (6 corpus fields); the lenient reader fills those in.
//   - Transfer encodings: go-message's entity decoding (message.New). Its
//     base64 decoder stops at the first invalid byte and wants padding (22
//     corpus parts fail) and its quoted-printable decoder rejects control
//     characters; the lenient decoders then skip invalid bytes and accept
//     missing padding, with an "encoding" warning. Where both succeed (1,272
//     parts) they agree byte for byte.
//   - Charsets: go-message's charset tables (go-message/charset, that is
//     every charset of golang.org/x/text's IANA and WHATWG indexes), except
//     for three label groups read as mail readers do: utf-8 (invalid bytes
//     become U+FFFD), us-ascii and no label (UTF-8 when valid, else
//     Windows-1252: 8-bit bytes under a us-ascii label are the most common
//     charset error in old mail) and iso-8859-1 (read as Windows-1252, as
//     WHATWG says, so that "smart quotes" in 0x80-0x9F are not C1 controls).
//     Of the 75 corpus text parts that are not plain ASCII, go-message's
//     conversion gave these label groups C1 controls or invalid UTF-8 in 8.
//     go-message rejects the label of 9 corpus parts, most of them empty
//     (read as no label); a label that is really unknown gets the same best
//     effort as no label and a "charset" warning.
//   - Encoded words: go-message's decoder (mime.WordDecoder with its charset
//     tables, as in Header.Text) when its result is sound. It agreed on 97
//     of the 99 corpus values with encoded words; it leaves words it cannot
//     decode as written (base64 without padding, unknown charsets) and reads
//     each word alone (a character split over two words becomes U+FFFD),
//     so a result with an undecoded word, a new U+FFFD or a C1 control is
//     decoded again by the lenient decoder, which joins adjacent words of
//     one charset before converting them.
//   - Addresses: each address of a list is read with net/mail (go-message's
//     mail package uses it too) and, when it refuses one, by a lenient reader
//     that keeps the address as written in Raw and takes a best-effort Email
//     from the last <...> or the token holding '@': `houston
//     <.ward@enron.com>` and `h..foster@enron.com` both get a domain.
//   - Dates: net/mail's ParseDate (the parser behind go-message's
//     mail.Header.Date), then ISO 8601, then a token reader for the broken
//     forms (missing day name, two-digit years, named and obsolete zones,
//     "GMT+0100", dotted times, am/pm). A missing or unreadable Date falls
//     back to the newest Received field, then to the mbox From_ line, each
//     with a "date" warning.
//
// # Known divergences
//
//   - When go-message rejects any part of a message's MIME structure, the
//     whole message is read by the lenient reader.
//   - Quoted-printable "=" not followed by two hex digits is kept as written
//     without a warning (go-message's decoder does so silently).
//   - Text in an unknown charset that is plain ASCII gets no warning: it
//     reads the same in any ASCII-based charset.
//   - Two-digit years 50-68, which time.Parse (so net/mail) reads as
//     2050-2068, are 1950-1968 as RFC 5322 section 4.3 says.
//   - ISO-8859-1 is read as Windows-1252, and 8-bit bytes under a us-ascii
//     label as UTF-8 or Windows-1252, not as U+FFFD.
//   - A message/rfc822 part is indexed even when its header is broken; an
//     attached message without any header field is recorded with a warning.
//   - multipart/alternative yields the text of one alternative: the first
//     non-empty text/plain, else the last HTML or multipart.
//   - Only the first From address is used; the others are counted in a
//     warning.
package parse
