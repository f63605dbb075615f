// Package harness lets the benchmark programs use the test helpers (storetest)
// outside `go test`.
package harness

import (
	"fmt"
	"os"
	"testing"
	"time"

	"lianggao/internal/store/storetest"
)

// Engines returns the engines to measure on: SQLite, and PostgreSQL when
// storetest's DSN is set.
func Engines() []string {
	engines := []string{"sqlite"}
	if os.Getenv(storetest.EnvPostgres) != "" {
		engines = append(engines, "postgres")
	}
	return engines
}

// Must stops the program on an error.
func Must(err error) {
	if err != nil {
		panic(err)
	}
}

// MS returns d in milliseconds.
func MS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

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
