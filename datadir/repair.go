package datadir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/indexer"
	"github.com/leakscope/leakscope/store"
)

// RepairReport says what Repair found, did, and could not mend.
type RepairReport struct {
	Dir     string   `json:"dir"`
	Before  *Report  `json:"before"`
	Actions []string `json:"actions"` // what was done, in order
	// Rebuilt is the rebuild of the store from its packs, when it was
	// needed.
	Rebuilt *store.RebuildReport `json:"rebuilt,omitempty"`
	// Mended is what was done about damaged blobs, the store being sound.
	Mended    *store.MendReport `json:"mended,omitempty"`
	Reindexed *ReindexReport    `json:"reindexed,omitempty"`
	// Lost is every loss the store lists after the repair: originals (or
	// texts) that cannot be read, with the messages they cost.
	Lost      []store.Lost  `json:"lost,omitempty"`
	Reference *RepairReport `json:"reference,omitempty"`
	// After is the check made once the repair is done.
	After *Report `json:"after"`
}

// Repair mends the data directory (see the package documentation for
// what mends what) and checks it again. What it cannot mend is listed in
// the report, never dropped: originals lost to damaged packs, with the
// messages they cost. Nothing in the packs is ever rewritten; a damaged
// store file is kept beside the rebuilt one.
func Repair(ctx context.Context, dir Dir, opts Options) (*RepairReport, error) {
	opts.defaults()
	before, err := Verify(ctx, dir, opts)
	if err != nil {
		return nil, err
	}
	rep, err := repairPart(ctx, dir, before, leakscope.CollectionLeak, opts)
	if err != nil {
		return rep, err
	}
	if before.Reference != nil {
		// The reference archive is flagged with the rules of the data
		// directory, which its store holds.
		refOpts := opts
		if opts.Detector != nil {
			refOpts.Detector = func(ctx context.Context, _ *store.DB) (indexer.Detector, error) {
				st, err := store.Open(ctx, dir.Store(), store.Options{ReadOnly: true, Logger: opts.Logger})
				if err != nil {
					return nil, err
				}
				defer st.Close()
				return opts.Detector(ctx, st)
			}
		}
		if rep.Reference, err = repairPart(ctx, dir.Reference(), before.Reference, leakscope.CollectionReference, refOpts); err != nil {
			return rep, err
		}
	}
	if rep.After, err = Verify(ctx, dir, opts); err != nil {
		return rep, err
	}
	if rep.Reference != nil {
		rep.Reference.After = rep.After.Reference
	}
	return rep, nil
}

// repairPart repairs the store of dir and, for the leak, its index.
func repairPart(ctx context.Context, dir Dir, before *Report, coll leakscope.Collection, opts Options) (*RepairReport, error) {
	rep := &RepairReport{Dir: string(dir), Before: before}
	withIndex := coll == leakscope.CollectionLeak
	storeBad := before.StoreProblem != "" || before.Store.StoreDamaged()
	reindexNeeded := withIndex && before.Index != nil && len(before.Index.Problems) > 0
	var st *store.DB
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	var err error
	switch {
	case storeBad && packBytes(dir.Packs()) == 0:
		rep.Actions = append(rep.Actions, "the store is damaged and no packs hold its originals: there is nothing to rebuild it from")
		return rep, fmt.Errorf("%s: %s: %w", dir.Store(), before.StoreProblem, leakscope.ErrDamaged)
	case storeBad:
		if st, err = rebuildStore(ctx, dir, coll, rep, opts); err != nil {
			return rep, err
		}
		reindexNeeded = withIndex
	default:
		if before.Store.Damaged() {
			if err := mendPacks(ctx, dir, before.Store, rep, opts); err != nil {
				return rep, err
			}
		}
		if st, err = store.Open(ctx, dir.Store(), store.Options{Logger: opts.Logger}); err != nil {
			return rep, err
		}
		if rep.Mended != nil {
			if err := reextractTexts(ctx, st, rep, coll, opts); err != nil {
				return rep, err
			}
		}
	}
	if reindexNeeded {
		if rep.Reindexed, err = reindex(ctx, dir, st, opts); err != nil {
			return rep, err
		}
		rep.Actions = append(rep.Actions, fmt.Sprintf("rebuilt the search index from the store: %d messages", rep.Reindexed.Messages))
	}
	if rep.Lost, err = st.LostOriginals(ctx); err != nil {
		return rep, err
	}
	return rep, nil
}

// rebuildStore moves dir's damaged store aside and rebuilds it from the
// packs, returning it open for writing.
func rebuildStore(ctx context.Context, dir Dir, coll leakscope.Collection, rep *RepairReport, opts Options) (*store.DB, error) {
	unlock, err := lockStore(dir.Store())
	if err != nil {
		return nil, err
	}
	defer unlock()
	building := dir.Store() + ".rebuild"
	if err := os.Remove(building); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove an unfinished rebuild: %w", err)
	}
	rb, err := store.Rebuild(ctx, building, store.Options{Logger: opts.Logger, PackDir: dir.Packs()})
	if err != nil {
		return nil, err
	}
	var det indexer.Detector
	if opts.Detector != nil {
		if det, err = opts.Detector(ctx, rb.DB); err != nil {
			rb.DB.Close()
			return nil, err
		}
	}
	parse := indexer.Options{Detector: det, Collection: coll, Logger: opts.Logger}
	done := 0
	res, err := rb.Reingest(ctx, func(raw []byte, fromLine string, c leakscope.Copy) ([]leakscope.Ingested, []leakscope.Problem) {
		done++
		if done%256 == 0 {
			opts.Progress("rebuild", int64(done), 0)
		}
		return indexer.Reparse(raw, fromLine, c, parse)
	})
	if err == nil {
		_, err = rb.DB.Rethread(ctx)
	}
	if cerr := rb.DB.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(building)
		return nil, fmt.Errorf("rebuild %s: %w", dir.Store(), err)
	}
	if exists(dir.Store()) {
		aside := fmt.Sprintf("%s.damaged-%s", dir.Store(), time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(dir.Store(), aside); err != nil {
			return nil, fmt.Errorf("move the damaged store aside: %w", err)
		}
		rep.Actions = append(rep.Actions, "moved the damaged store aside to "+aside)
	}
	if err := os.Rename(building, dir.Store()); err != nil {
		return nil, fmt.Errorf("put the rebuilt store in place: %w", err)
	}
	if err := syncDir(string(dir)); err != nil {
		return nil, err
	}
	rep.Rebuilt = res
	rep.Actions = append(rep.Actions, fmt.Sprintf("rebuilt the store from %d packs: %d messages from %d copies in %d batches, %d journal records replayed, %d lost",
		res.Packs, res.Messages, res.Copies, res.Manifests, res.Journals, len(res.Lost)))
	return store.Open(ctx, dir.Store(), store.Options{Logger: opts.Logger})
}

// mendPacks mends damaged blobs of a sound store: intact copies pointed
// at, the rest listed as lost. The store is opened for repair: a pack cut
// short or missing would make a plain writer refuse to open.
func mendPacks(ctx context.Context, dir Dir, found *store.VerifyReport, rep *RepairReport, opts Options) error {
	st, err := store.Open(ctx, dir.Store(), store.Options{Logger: opts.Logger, Repairing: true})
	if err != nil {
		return err
	}
	m, err := st.MendPacks(ctx, found)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	rep.Mended = m
	if n := len(m.Repointed); n > 0 {
		rep.Actions = append(rep.Actions, fmt.Sprintf("pointed %d originals at intact copies of their blobs", n))
	}
	if n := len(m.Lost); n > 0 {
		rep.Actions = append(rep.Actions, fmt.Sprintf("listed %d damaged blobs as lost (the messages they cost keep their metadata, copies, flags and search documents)", n))
	}
	return nil
}

// reextractTexts extracts again from their originals the texts MendPacks
// found damaged; a text that cannot be is listed as lost.
func reextractTexts(ctx context.Context, st *store.DB, rep *RepairReport, coll leakscope.Collection, opts Options) error {
	parse := indexer.Options{Collection: coll, Logger: opts.Logger}
	for _, l := range rep.Mended.Texts {
		id := l.Messages[0]
		if err := reextract(ctx, st, id, parse); err != nil {
			l.Reason += "; extracting it again failed: " + err.Error()
			rep.Mended.Lost = append(rep.Mended.Lost, l)
		} else {
			l.Reason += "; the text was extracted again from the original"
			rep.Actions = append(rep.Actions, "extracted the text of "+id+" again from its original")
		}
		if err := st.PutLost(ctx, []store.Lost{l}); err != nil {
			return err
		}
	}
	return nil
}

// reextract extracts the text of message id again from its original and
// stores it.
func reextract(ctx context.Context, st *store.DB, id string, parse indexer.Options) error {
	copies, err := st.Copies(ctx, id)
	if err != nil || len(copies) == 0 {
		return fmt.Errorf("no copy of %s to read its original from", id)
	}
	raw, err := st.Original(ctx, copies[0].RawSHA256)
	if err != nil {
		return err
	}
	items, _ := indexer.Reparse(raw, "", copies[0], parse)
	for _, it := range items {
		if it.Message.ID == id {
			return st.PutText(ctx, id, it.Text)
		}
	}
	return fmt.Errorf("parsing its original again does not give message %s", id)
}

// lockStore takes the lock bbolt takes on a store file, so that nothing
// uses the store while it is replaced; a missing file needs none.
func lockStore(path string) (func(), error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is in use by another leakscope process: stop it, then repair", path)
	}
	return func() { f.Close() }, nil
}
