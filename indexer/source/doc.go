// Package source finds the mail in leak dumps and streams each message's
// raw bytes with where it was found. New(Options).Walk reads files and
// directory trees and calls back once per message (a Message: the bytes,
// a leakscope.Copy saying where they were, the mbox From_ line) and once
// per problem (a leakscope.Problem: a file that is not mail, a limit hit, a
// broken archive). Nothing is dropped silently and nothing panics: in a
// mailbox every byte ends up in a message or is covered by a problem,
// except the separators of the format (From_ lines, the blank line before
// them, MMDF separators, a byte-order mark, blank lines before the first
// message), and every directory, file or member that is not read is
// reported (a directory without read permission is a failure of its own,
// and the rest is read). A panic while one file on disk is read (or one
// file readpst wrote) is recovered and reported as a "panic" failure of
// that file, the messages it gave before kept; the walk goes on.
//
// # Formats
//
// What an input is comes from its first 8 KiB, never from its name: a
// .zip holding an mbox is read as an mbox, a .eml holding prose is "not
// mail", a .pdf holding a message is a message.
//
//   - mbox (see below): a file whose first line (after a BOM and blank
//     lines) starts with "From " and looks like a From_ line or is followed
//     by a header field; MMDF: a file that starts with a line of four ^A.
//   - Maildir (a directory with cur/ or new/; tmp/ is reported and not
//     read), MH folders and any tree of one-message-per-file (the Enron
//     layout user/folder/N.): each file is sniffed like any other input.
//   - A single RFC 5322 message (.eml and friends): the first line is a
//     header field and the header holds a field that mail has.
//   - Apple Mail .emlx: the byte count line, the message, then a property
//     list that is not kept.
//   - gzip (several members are read one after the other, as gzip -d does)
//     and bzip2 streams; zip (stored and deflated members) and tar archives
//     (.tar.gz, .tgz...), nested in any order. Nothing is extracted to disk;
//     a zip met inside a stream is held in memory (MaxBufferedBytes).
//   - Outlook PST/OST files, converted with readpst (Debian package
//     pst-utils; "readpst -e -D -8", so deleted items are included) into a
//     temporary tree (Options.TempDir) that is read and removed; a PST
//     inside an archive is first copied to a temporary file. Without
//     readpst the file is a "pst" failure that says how to install it.
//   - xz, 7-Zip, RAR, zstd and OLE2 (Outlook .msg) files are recognised
//     and reported as "unsupported", with the command that unpacks them.
//
// # mbox
//
// Each variant is read with LF or CRLF line endings:
//
//   - mboxo: kept byte-exact; ">From " body lines stay as they are (a
//     reader cannot tell them from lines written that way).
//   - mboxrd: one '>' is removed from every line matching ^>+From . A whole
//     file is mboxrd when one of its lines starts with ">>From "; that is
//     decided in a first pass over files on disk and in memory, and for
//     each message on its own in streams (a decompressed mbox).
//   - mboxcl and mboxcl2: a Content-Length header field is trusted when the
//     body it measures ends where a message can end (the end of the input,
//     or one optional line ending then a "From " line); the From_ line
//     after it always separates, and nothing inside it does. A
//     Content-Length that does not fit is a "mbox" warning and the message
//     is cut at From_ lines instead.
//   - MMDF: messages between lines of four ^A characters; From_ lines never
//     separate.
//
// The one blank line a writer adds before each From_ line is not part of
// the message. Where From_ lines separate is described under Known
// divergences.
//
// # Where a message was found
//
// Copy.Source is the file on disk; Copy.Member the path inside archives
// (levels joined by "!"; a compression layer adds none); Copy.Offset the
// byte offset of the message in its container after decompression: of
// the From_ line in an mbox (the message bytes follow that line), of the
// opening separator in MMDF, of the message after the count line in an
// .emlx, of the first byte after a BOM and blank lines in a one-message
// file (usually 0).
//
// A message is given the logical path of its place: the directories below
// the PATH given to Walk, archive member directories, and the names of
// containers (without extensions such as .mbox, .gz, .zip, .pst), with
// maildir cur/ and new/ left out and a Maildir++ folder ".A.B" read as
// A/B. Empty and repeated consecutive components are dropped. The first
// component is the custodian and the rest the folder:
//
//	PATH leak/ holding alice/Sent.mbox        custodian alice, folder Sent
//	PATH leak/ holding bob/.Lists.go/cur/1    custodian bob, folder Lists/go
//	PATH leak/ holding x.zip!carol/inbox/3    custodian x, folder carol/inbox
//	PATH enron/maildir, lay-k/inbox/a/12.     custodian lay-k, folder inbox/a
//	PATH alice/Sent.mbox (a file)             custodian Sent, folder ""
//	PATH alice/ when alice/ is a maildir      custodian alice
//	PATH outlook.pst                          custodian outlook, folder Personal Folders/Inbox
//	PATH x.zip holding carol/inbox/3          custodian carol, folder inbox
//	PATH alice/inbox/3 (a message)            custodian "", folder ""
//
// A file, maildir or PST given directly is one mailbox, so it is its own
// custodian; a directory or an archive given directly is a collection, so
// the first component below it is. Options.Custodian replaces the custodian
// and then every component is part of the folder.
//
// Copy.MaildirFlags holds the flags of a name "unique:2,FLAGS" (or mu's
// "!2,"): the upper-case letters, sorted, without repeats.
//
// # Problems
//
// Each problem has a severity (failure, warning, skipped), the location
// of the input (Copy.Location form: source, "!" member, "@" offset) and a
// stable code:
//
//	read            the file or directory cannot be read
//	not_mail        skipped: the content is not mail (the detail says what it looks like)
//	empty           skipped: an empty file or message
//	unsupported     skipped: links, special files, maildir tmp/, formats not read
//	too_large       a message over MaxMessageBytes, a zip over MaxBufferedBytes
//	depth           archives nested deeper than MaxArchiveDepth
//	bomb            MaxRatio or MaxArchiveBytes exceeded
//	archive         a truncated or corrupt archive or compressed stream, an encrypted
//	                or unsupported zip member, an .emlx shorter than its count (warning),
//	                data after the last gzip member (warning)
//	path_traversal  warning: an archive member name that is absolute or goes up with
//	                ".."; it is read under its cleaned name
//	pst             readpst is missing or failed
//	mbox            warning: text before the first From_ line or outside MMDF
//	                separators, a malformed first From_ line, a Content-Length
//	                that does not fit
//
// When a stream breaks (a truncated gzip or tar, a limit hit), the messages
// before the break are read and the one being read is reported at its
// offset; a one-message input that breaks is reported whole.
//
// # Limits
//
// Options.Limits bound what one input may cost (zero fields take the
// defaults): MaxMessageBytes (64 MiB), MaxArchiveDepth (4 nested archives or
// compressed streams; a .tar.gz counts 2), MaxRatio (200, checked once a
// stream produced 1 MiB), MaxArchiveBytes (16 GiB decompressed per
// top-level input, summed over every layer) and MaxBufferedBytes (512 MiB).
// Whatever the size of an mbox, memory stays bounded: a 64 KiB line
// buffer, the message being read (at most MaxMessageBytes), at most 4 MiB
// read ahead (see below); inputs up to 1 MiB are read whole, and a zip in
// a stream is held up to MaxBufferedBytes. A compressed input that is not
// mail is only sniffed, never decompressed further.
//
// # Known divergences
//
//   - A From_ line is a separator when it is "strong" (a token then an
//     asctime-like date, or "From -"), or "weak" (an address, "-" or
//     MAILER-DAEMON without a date) right after a blank line; a line longer
//     than 1 KiB is never one. Unescaped body lines such as "From Monday at
//     10:30 in Jan" therefore split an mboxo message written by a writer
//     that did not escape them.
//   - Inside a multipart message whose closing boundary was not seen yet, a
//     From_ line is taken as content when that boundary comes within the
//     next 4 MiB (an mbox attached unescaped). A truncated multipart message
//     followed by a copy of itself is then read as one message. Bytes read
//     ahead in vain are not read ahead again.
//   - The mboxrd decision is per file: an mboxo file holding a ">>From "
//     line loses one '>' on each of its ">From " lines.
//   - Without a Content-Length that fits, the line ending before the next
//     From_ line belongs to the message unless it makes a blank line;
//     MimeKit counts it with the separator.
//   - Maildir tmp/ directories on disk are not read (messages there are
//     still being delivered); inside archives they are read like any other
//     directory. Symbolic links are not followed, except a PATH itself.
//   - Directory entries and zip members are read in name order, tar
//     members in archive order.
package source
