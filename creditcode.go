package lianggao

import "strings"

// creditCodeAlphabet is the 31-character set of GB 32100-2015: digits and the
// capital letters without I, O, Z, S and V.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights 3^(i) mod 31 of positions 1–17 (GB 32100-2015 §5).
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidCreditCode reports whether s is an 18-character unified social credit code
// whose last character is the check character of the first seventeen.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := CreditCodeCheck(s[:17])
	return ok && s[17] == c
}

// CreditCodeCheck computes the check character of the first seventeen characters
// of a unified social credit code.
func CreditCodeCheck(body string) (byte, bool) {
	if len(body) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeAlphabet, body[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	return creditCodeAlphabet[(31-sum%31)%31], true
}
