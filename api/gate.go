package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
)

// maxSearchWait is how long a search waits for its turn before it is
// answered 503 busy (Server.searchWait).
const maxSearchWait = 30 * time.Second

// acquireSearch waits until fewer than Options.MaxSearches searches are
// running and returns the function that ends this one. Waiting requests
// are served in arrival order (blocked channel senders are). A search then
// takes its own CPU time plus its wait, where with every search running at
// once each one shares the cores with all the others, so that a slow
// search is stretched by the number running (16 clients on 2 cores: eight
// times) and sets the tail latency. Hold it over the computation only, not
// over writes that wait for the disk (the audit record): a waiting search
// would idle a core.
func (s *Server) acquireSearch(ctx context.Context) (release func(), err error) {
	wait := time.NewTimer(s.searchWait)
	defer wait.Stop()
	select {
	case s.searching <- struct{}{}:
		return func() { <-s.searching }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
		return nil, errBusy
	}
}

// gated runs h as one search (see acquireSearch): for the reports, whose
// reads and computation are not worth separating from their audit record.
func (s *Server) gated(h func(c *gin.Context) error) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		release, err := s.acquireSearch(c.Request.Context())
		if err != nil {
			return err
		}
		defer release()
		return h(c)
	}
}
