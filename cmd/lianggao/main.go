// Command lianggao runs the two-high supervision platform: one binary for the
// web server, the demo province, migrations and administration.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lianggao"
	"lianggao/internal/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lianggao:", describe(err))
		os.Exit(1)
	}
}

// describe gives an application error's text (with its field) and any other
// error as it is: at the command line the operator needs the details.
func describe(err error) string {
	var e *lianggao.Error
	if errors.As(err, &e) {
		return i18n.Error(i18n.ZH, err)
	}
	return err.Error()
}
