// Package spell suggests the name a misspelt one was meant to be, for "did you mean" hints.
package spell

import "strings"

// maxDistance is the edit distance below which a name is taken for a misspelling.
const maxDistance = 3

// Suggest returns the candidate name is a misspelling of, or "": one equal to it but for case,
// or else the first at the least edit distance below 3, case aside. Its cost is the length of
// name times a candidate's for each candidate within 2 bytes of name's length, so a hostile name
// of megabytes costs no more than reading it.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", maxDistance
	lower := strings.ToLower(name)
	var rows []int // Distance's two rows, reused from candidate to candidate
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
		if abs(len(lower)-len(c)) >= bestDist {
			continue // at least that many insertions or deletions apart
		}
		if d := distance(lower, strings.ToLower(c), &rows); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, in bytes.
func Distance(a, b string) int {
	var rows []int
	return distance(a, b, &rows)
}

// distance is Distance with its two rows in *rows, grown as needed.
func distance(a, b string, rows *[]int) int {
	if cap(*rows) < 2*(len(b)+1) {
		*rows = make([]int, 2*(len(b)+1))
	}
	prev := (*rows)[:len(b)+1]
	cur := (*rows)[len(b)+1 : 2*(len(b)+1)]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
