package export

import (
	"path"
	"slices"
	"strings"

	"github.com/leakscope/leakscope"
)

// addrList formats addresses for a load file: "Name <email>" or the
// address as written, separated by "; ".
func addrList(as []leakscope.Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		if s := a.String(); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// flagList lists a message's flag categories once each, in order found.
func flagList(flags []leakscope.Flag) string {
	var out []string
	for _, f := range flags {
		if !slices.Contains(out, f.Category) {
			out = append(out, f.Category)
		}
	}
	return strings.Join(out, "; ")
}

func tagList(tags []leakscope.Tag) string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Name
	}
	return strings.Join(out, "; ")
}

// custodians returns the custodian of the first copy (whose original is
// the native) and the other custodians the message was found with.
func custodians(copies []leakscope.Copy) (string, []string) {
	if len(copies) == 0 {
		return "", nil
	}
	first := copies[0].Custodian
	var dups []string
	for _, c := range copies[1:] {
		if c.Custodian != "" && c.Custodian != first && !slices.Contains(dups, c.Custodian) {
			dups = append(dups, c.Custodian)
		}
	}
	slices.Sort(dups)
	return first, dups
}

// leaksOf lists the leaks and batches the copies were found in.
func leaksOf(copies []leakscope.Copy) (string, string) {
	var leaks, batches []string
	for _, c := range copies {
		if c.Leak != "" && !slices.Contains(leaks, c.Leak) {
			leaks = append(leaks, c.Leak)
		}
		if c.Batch != "" && !slices.Contains(batches, c.Batch) {
			batches = append(batches, c.Batch)
		}
	}
	return strings.Join(leaks, "; "), strings.Join(batches, "; ")
}

// fileNameOf is the base name of the file or archive member the first
// copy was read from (for a message inside an mbox, the mbox's).
func fileNameOf(copies []leakscope.Copy) string {
	if len(copies) == 0 {
		return ""
	}
	c := copies[0]
	p := c.Source
	if c.Member != "" {
		p = c.Member
		if i := strings.LastIndexByte(p, '!'); i >= 0 {
			p = p[i+1:]
		}
	}
	return path.Base(strings.ReplaceAll(p, `\`, "/"))
}
