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
	head, cut := prefix(s)
	if cut {
		return strconv.Quote(head) + "…"
	}
	return strconv.Quote(s)
}

// Cut is s cut to its first MaxRunes characters and an ellipsis, unquoted: for user data that
// a message shows in a syntax of its own (an expression, ${{ x }}), or that is already quoted
// (a parser's message).
func Cut(s string) string {
	if head, cut := prefix(s); cut {
		return head + "…"
	}
	return s
}

// prefix is s's first MaxRunes characters, and whether s has more.
func prefix(s string) (string, bool) {
	i := 0
	for n := 0; n < MaxRunes; n++ {
		if i >= len(s) {
			return s, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}
