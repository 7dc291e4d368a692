// Package quote writes user data into one-line messages with a bounded length, so that a hostile
// input cannot make a message, or the output that repeats it, as large as the input.
package quote

import (
	"strconv"
	"unicode/utf8"
)

// MaxRunes is how many characters of a value Short quotes before it cuts the value.
const MaxRunes = 64

// Short quotes s as Go's %q does, cut to its first MaxRunes characters and an ellipsis.
func Short(s string) string {
	if utf8.RuneCountInString(s) <= MaxRunes {
		return strconv.Quote(s)
	}
	i, n := 0, 0
	for n < MaxRunes {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return strconv.Quote(s[:i]) + "…"
}
