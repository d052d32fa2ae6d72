package ledger_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/ledger"
)

// TestNamesMatchTheirPatterns: order ids, return ids and step items are
// accepted exactly when they match the patterns the API documents, which
// the code checks by hand.
func TestNamesMatchTheirPatterns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// random joins n pieces drawn from pieces, many times over.
	random := func(pieces []string, n int) []string {
		var out []string
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(n + 1) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			out = append(out, b.String())
		}
		return out
	}
	chars := strings.Split("aZ09._:-/ é", "")
	names := append(random(chars, 84), strings.Repeat("A", 64), strings.Repeat("A", 65), strings.Repeat("A", 80), strings.Repeat("A", 81))
	items := append(random([]string{"order", "rewards", "vouchers", "_", "A", "tenders", "[", "]", "0", "12", "123", "1234", ".", ".tenders", " "}, 6),
		"order", "rewards[1]", "returns[0].tenders[1]", "giftcard_tenders[999]", "rewards[1000]", "rewards[]", "[1]", "rewards[1].tenders[1].tenders[1]", "rewards[1]tenders[1]", "orders")
	tests := []struct {
		name    string
		pattern string
		samples []string
		valid   func(string) bool
	}{
		{"order id", `^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$`, names, func(s string) bool {
			_, err := ledger.NewCheckoutID("amsterdam", s)
			return err == nil
		}},
		{"return id", `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`, names, func(s string) bool {
			_, err := ledger.ParseReturnID(s)
			return err == nil
		}},
		{"step item", `^([a-z_]+\[[0-9]{1,3}\](\.tenders\[[0-9]{1,3}\])?|order)$`, items, func(s string) bool {
			_, err := ledger.NewStepID(ledger.StepVoucherLock, s)
			return err == nil
		}},
	}
	for _, tt := range tests {
		pattern := regexp.MustCompile(tt.pattern)
		matched := 0
		for _, s := range tt.samples {
			want := pattern.MatchString(s)
			if tt.valid(s) != want {
				t.Errorf("%s %q: accepted %v, the pattern says %v", tt.name, s, !want, want)
			}
			if want {
				matched++
			}
		}
		if matched < 10 || matched == len(tt.samples) {
			t.Errorf("%s: %d of %d samples match; the samples do not tell valid from invalid", tt.name, matched, len(tt.samples))
		}
	}
}
