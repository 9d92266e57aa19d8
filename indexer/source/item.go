package source

import (
	"strings"

	"github.com/leakscope/leakscope"
)

// item is one input being read: a file on disk, an archive member or a
// decompressed stream, with where it was found.
type item struct {
	source  string   // absolute path of the file on disk (Copy.Source)
	members []string // archive levels, joined by "!" in Copy.Member
	comps   []string // logical path so far; the last element is the item's own name
	name    string   // own base name, for flags and descriptions
	direct  bool     // given directly as a PATH (or the stream of such a file)
	depth   int      // archives and compressed streams around the item
	budget  *budget  // decompressed bytes left for the top-level input
	// converted is set for what a converter (readpst) wrote: Copy.Converted.
	converted bool
}

// member returns the archive member path, levels joined by "!".
func (it *item) member() string { return strings.Join(it.members, "!") }

// location formats a place inside the item like Copy.Location.
func (it *item) location(offset int64) string {
	c := leakscope.Copy{Source: it.source, Member: it.member(), Offset: offset}
	return c.Location()
}

// layer returns the item seen through one more compression layer: same
// place and logical path, one level deeper.
func (it *item) layer() *item {
	c := *it
	c.name = stripCompression(it.name)
	c.depth++
	return &c
}

// memberItem returns the item of the member name (already neutralised)
// of it, an archive or PST whose logical path is base: one more level in
// Copy.Member.
func (it *item) memberItem(base []string, name string) *item {
	members := append(clip(it.members), name)
	parts := strings.Split(name, "/")
	dirs := maildirMemberDirs(parts[:len(parts)-1])
	comps := append(append(clip(base), dirs...), parts[len(parts)-1])
	return &item{
		source:    it.source,
		members:   members,
		comps:     comps,
		name:      parts[len(parts)-1],
		depth:     it.depth + 1,
		budget:    it.budget,
		converted: it.converted,
	}
}

// keptComps is the logical path of a container that acts as a folder:
// its own name without container extensions.
func (it *item) keptComps() []string {
	if len(it.comps) == 0 {
		return nil
	}
	c := clip(it.comps[:len(it.comps)-1])
	return append(c, stripExtensions(it.comps[len(it.comps)-1]))
}

// archiveComps is the logical path of an archive: nothing for one
// given directly as a PATH, else its name as a folder.
func (it *item) archiveComps() []string {
	if it.direct {
		return clip(it.comps[:max(len(it.comps)-1, 0)])
	}
	return it.keptComps()
}

// messageComps is the logical path of a one-message file: its directory.
func (it *item) messageComps() []string {
	return it.comps[:max(len(it.comps)-1, 0)]
}

// clip returns s with no spare capacity, so that appending copies.
func clip(s []string) []string { return s[:len(s):len(s)] }

// budget counts decompressed bytes of one top-level input.
type budget struct {
	used, max int64
}
