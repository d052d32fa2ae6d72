package money

import (
	"cmp"
	"math/bits"
	"slices"
)

// Allocate splits amount over parts in proportion to their weights, by the
// largest remainder: each part gets its proportional share rounded down, and
// the minor units left go one by one to the parts with the largest
// remainders (the earlier part first on a tie). The parts add up to amount
// exactly, and a zero or negative weight gets nothing. With no positive
// weight, or a negative amount, nothing is allocated.
func Allocate(amount int64, weights []int64) []int64 {
	parts := make([]int64, len(weights))
	var total int64
	for _, w := range weights {
		total += max(w, 0)
	}
	if amount <= 0 || total == 0 {
		return parts
	}
	type share struct {
		index int
		rem   int64
	}
	shares := make([]share, 0, len(weights))
	var given int64
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		part, rem := MulDiv(amount, w, total)
		parts[i], given = part, given+part
		shares = append(shares, share{index: i, rem: rem})
	}
	slices.SortStableFunc(shares, func(a, b share) int { return cmp.Compare(b.rem, a.rem) })
	for i := 0; given < amount; i++ {
		parts[shares[i].index]++
		given++
	}
	return parts
}

// MulDiv is a*b/c with its remainder, for non-negative a, b and c with
// b ≤ c, exact where a*b alone would overflow int64.
func MulDiv(a, b, c int64) (quotient, remainder int64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	return int64(q), int64(r)
}
