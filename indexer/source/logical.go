package source

import (
	"slices"
	"strings"
)

// containerExts are the extensions a container loses when its name becomes
// a folder, longest first.
var containerExts = []string{".tar.gz", ".tar.bz2", ".tgz", ".tbz2", ".tbz", ".zip", ".tar", ".gz", ".bz2", ".mbox", ".mbx", ".pst", ".ost", ".txt"}

// stripExtensions removes container extensions from name, repeatedly
// ("x.mbox.gz" -> "x"); a name that would become empty is kept.
func stripExtensions(name string) string {
	for {
		cut := false
		for _, ext := range containerExts {
			if len(name) > len(ext) && strings.EqualFold(name[len(name)-len(ext):], ext) {
				name = name[:len(name)-len(ext)]
				cut = true
				break
			}
		}
		if !cut {
			return name
		}
	}
}

// stripCompression returns the name of the stream inside a compressed file.
func stripCompression(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".tgz"), strings.HasSuffix(lower, ".tbz"):
		return name[:len(name)-4] + ".tar"
	case strings.HasSuffix(lower, ".tbz2"):
		return name[:len(name)-5] + ".tar"
	case strings.HasSuffix(lower, ".gz"):
		return name[:len(name)-3]
	case strings.HasSuffix(lower, ".bz2"):
		return name[:len(name)-4]
	}
	return name
}

// maildirMemberDirs cleans the directory components of an archive member:
// a last "cur" or "new" is dropped, and a Maildir++ folder ".Name" right
// above it becomes Name (dots are folder separators).
func maildirMemberDirs(dirs []string) []string {
	if n := len(dirs); n > 0 && (dirs[n-1] == "cur" || dirs[n-1] == "new") {
		dirs = dirs[:n-1]
		if n := len(dirs); n > 0 && isMaildirPlusPlus(dirs[n-1]) {
			return append(clip(dirs[:n-1]), maildirPlusPlus(dirs[n-1])...)
		}
	}
	return dirs
}

// isMaildirPlusPlus reports whether name looks like a Maildir++ folder.
func isMaildirPlusPlus(name string) bool {
	return len(name) > 1 && name[0] == '.' && name != ".."
}

// maildirPlusPlus splits a Maildir++ folder name into folders:
// ".Lists.go" -> ["Lists", "go"].
func maildirPlusPlus(name string) []string {
	var out []string
	for _, p := range strings.Split(name[1:], ".") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// custodianFolder turns a logical path into a custodian and a folder: empty
// components are dropped, consecutive equal ones collapsed; the first is the
// custodian and the rest the folder, unless override is set, in which case
// it is the custodian and every component belongs to the folder.
func custodianFolder(comps []string, override string) (custodian, folder string) {
	clean := make([]string, 0, len(comps))
	for _, c := range comps {
		if c == "" || (len(clean) > 0 && clean[len(clean)-1] == c) {
			continue
		}
		clean = append(clean, c)
	}
	if override != "" {
		return override, strings.Join(clean, "/")
	}
	if len(clean) == 0 {
		return "", ""
	}
	return clean[0], strings.Join(clean[1:], "/")
}

// flagsFromName returns the maildir flags of a file name
// "unique:2,FLAGS" (or mu's "unique!2,FLAGS"): the upper-case letters,
// sorted and without repeats. Lower-case letters (Dovecot keywords) are
// dropped. A name without an info part has no flags.
func flagsFromName(name string) string {
	i := strings.LastIndex(name, ":2,")
	if j := strings.LastIndex(name, "!2,"); j > i {
		i = j
	}
	if i < 0 {
		return ""
	}
	var fl []byte
	for _, c := range []byte(name[i+3:]) {
		switch {
		case c >= 'A' && c <= 'Z':
			if !slices.Contains(fl, c) {
				fl = append(fl, c)
			}
		case c >= 'a' && c <= 'z':
		default:
			return "" // not an info part
		}
	}
	slices.Sort(fl)
	return string(fl)
}
