package export

import (
	"mime"
	"path"
	"strings"
)

// extensions maps common attachment types to a file extension, for
// attachments whose name has none. The system's MIME table is not used:
// it differs from machine to machine, and file names must not.
var extensions = map[string]string{
	"application/pdf": ".pdf", "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
	"application/vnd.ms-powerpoint": ".ppt", "application/zip": ".zip", "application/rtf": ".rtf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"text/plain": ".txt", "text/html": ".html", "text/csv": ".csv", "text/calendar": ".ics",
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/tiff": ".tif",
	"message/rfc822": ".eml", "message/global": ".eml",
}

// extension returns the file extension for an attachment's native: its
// name's, when short and plain, else its type's, else ".bin".
func extension(name, contentType string) string {
	if ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/"))); len(ext) >= 2 && len(ext) <= 10 && safeName(ext[1:]) && !strings.Contains(ext[1:], ".") {
		return ext
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if ext, ok := extensions[mt]; ok {
		return ext
	}
	return ".bin"
}
