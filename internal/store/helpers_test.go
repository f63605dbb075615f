package store_test

import (
	"errors"

	"lianggao"
)

func asError(err error, target **lianggao.Error) bool { return errors.As(err, target) }
