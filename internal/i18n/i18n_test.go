package i18n

import (
	"testing"

	"lianggao"
)

// Ensure every English key has a Chinese original, and every Chinese key an
// English translation, so switching language never shows a raw key.
func TestCatalogsMatch(t *testing.T) {
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("%s: English only", k)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("%s: no English text", k)
		}
	}
}

// Ensure an error is shown with its field's label, and anything unknown as an
// internal error without details.
func TestErrorText(t *testing.T) {
	err := lianggao.FieldError("credit_code", "credit_code.invalid", "123")
	if got := Error(ZH, err); got != "统一社会信用代码：“123”不是有效的统一社会信用代码（18位，末位为校验码）" {
		t.Errorf("zh: %s", got)
	}
	if got := Error(EN, err); got != "Credit code: “123” is not a valid unified social credit code (18 characters, the last a check character)" {
		t.Errorf("en: %s", got)
	}
	if got := Error(ZH, errString("db down at 10.0.0.1")); got != zh["internal"] {
		t.Errorf("internal error leaked: %s", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
