// Package harness lets the benchmark programs use the test helpers (storetest)
// outside `go test`.
package harness

import (
	"fmt"
	"os"
	"testing"
)

// TB is a testing.TB for a program: failures panic, cleanups run at Close.
type TB struct {
	testing.TB
	cleanups []func()
}

// New returns a TB; call Close when done.
func New() *TB {
	testing.Init()
	return &TB{}
}

func (t *TB) Helper()                      {}
func (t *TB) Cleanup(f func())             { t.cleanups = append(t.cleanups, f) }
func (t *TB) Fatal(args ...any)            { panic(fmt.Sprint(args...)) }
func (t *TB) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }
func (t *TB) Skipf(f string, args ...any)  { panic(fmt.Sprintf(f, args...)) }

// TempDir makes a directory removed at Close.
func (t *TB) TempDir() string {
	d, err := os.MkdirTemp("", "bench-")
	if err != nil {
		panic(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// Close runs the cleanups, last first.
func (t *TB) Close() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
