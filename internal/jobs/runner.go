package jobs

import (
	"log/slog"
	"sync"
)

// Runner runs background work and lets shutdown wait for it. Work is one
// job per batch or per period, never per row.
type Runner struct {
	Log *slog.Logger
	wg  sync.WaitGroup
}

// Go runs fn in the background; a nil Runner runs it at once, which tests
// use to see its effect without waiting.
func (r *Runner) Go(fn func()) {
	if r == nil {
		fn()
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		fn()
	}()
}

// Wait blocks until every job started has finished.
func (r *Runner) Wait() {
	if r != nil {
		r.wg.Wait()
	}
}

// Logger returns where jobs report; the default logger for a nil Runner.
func (r *Runner) Logger() *slog.Logger {
	if r == nil || r.Log == nil {
		return slog.Default()
	}
	return r.Log
}
