package money_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leatpos/gateway/shared/money"
)

func TestAllocate(t *testing.T) {
	tests := []struct {
		name    string
		amount  int64
		weights []int64
		want    []int64
	}{
		{"even", 300, []int64{100, 100, 100}, []int64{100, 100, 100}},
		{"a cent left goes to the largest remainder", 100, []int64{100, 200}, []int64{33, 67}},
		{"ties go to the earlier part", 20, []int64{10, 10, 10}, []int64{7, 7, 6}},
		{"proportional", 1000, []int64{2500, 1500}, []int64{625, 375}},
		{"zero and negative weights get nothing", 50, []int64{0, 100, -5}, []int64{0, 50, 0}},
		{"beyond the weights, still in proportion", 500, []int64{100, 200}, []int64{167, 333}},
		{"over units", 1000, []int64{1, 1, 1}, []int64{334, 333, 333}},
		{"no weight to go by", 100, []int64{0, -1}, []int64{0, 0}},
		{"nothing to allocate", 0, []int64{100, 200}, []int64{0, 0}},
		{"a negative amount allocates nothing", -10, []int64{100}, []int64{0}},
		{"no parts", 100, nil, []int64{}},
		{"beyond int64 products", math.MaxInt64 / 2, []int64{math.MaxInt64 / 2, math.MaxInt64 / 4}, []int64{3074457345618258602, 1537228672809129301}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := money.Allocate(tt.amount, tt.weights); !slices.Equal(got, tt.want) {
				t.Errorf("Allocate(%d, %v) = %v, want %v", tt.amount, tt.weights, got, tt.want)
			}
		})
	}
}

// TestAllocateNeverLosesOrInventsACent checks the invariants on random input.
func TestAllocateNeverLosesOrInventsACent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 10_000 {
		weights := make([]int64, 1+r.IntN(8))
		var total int64
		for i := range weights {
			weights[i] = r.Int64N(100_000) - 10_000
			total += max(weights[i], 0)
		}
		amount := r.Int64N(200_000)
		parts := money.Allocate(amount, weights)
		var sum int64
		for i, p := range parts {
			if p < 0 || (amount <= total && p > max(weights[i], 0)) || (weights[i] <= 0 && p != 0) {
				t.Fatalf("Allocate(%d, %v): part %d is %d", amount, weights, i, p)
			}
			sum += p
		}
		want := amount
		if total == 0 {
			want = 0
		}
		if sum != want {
			t.Fatalf("Allocate(%d, %v) = %v adds up to %d, want %d", amount, weights, parts, sum, want)
		}
	}
}
