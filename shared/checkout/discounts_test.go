package checkout

import (
	"errors"
	"maps"
	"testing"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
)

func eur(minor int64) money.Money { return money.Money{Amount: minor, Currency: "EUR"} }

func TestApplyDiscounts(t *testing.T) {
	basket := []ledger.Line{
		{ID: "1", SKU: "COFFEE-REG", Quantity: 2, UnitPrice: 300, Category: "drinks"},
		{ID: "2", SKU: "COFFEE-OAT", Quantity: 1, UnitPrice: 350, Category: "drinks"},
		{ID: "3", SKU: "CROISSANT", Quantity: 3, UnitPrice: 250, Category: "pastries"},
		{ID: "4", SKU: "MUFFIN", Quantity: 1, UnitPrice: 333, Category: "pastries"},
	} // lines total 600 + 350 + 750 + 333 = 2033
	freeCoffee := loyalty.Discount{Kind: loyalty.DiscountFreeItem, ProductCodes: []string{"COFFEE-OAT", "COFFEE-REG"}}
	tenPercent := loyalty.Discount{Kind: loyalty.DiscountPercentage, PercentageBasisPoints: 1000}
	fivePastries := loyalty.Discount{Kind: loyalty.DiscountAmount, Amount: eur(500), Category: "pastries"}
	rule := loyalty.Discount{Kind: loyalty.DiscountRule, RuleID: "RULE-1"}
	tests := []struct {
		name      string
		items     []redeemed
		amounts   []*int64 // per discount; nil when left to the POS
		perLine   []map[string]int64
		discounts int64
		wantErr   string // the source of a NoMatchingLineError
	}{
		{
			name:      "a free item takes the cheapest matching unit",
			items:     []redeemed{{source: "rewards[0]", discount: freeCoffee}},
			amounts:   []*int64{ptr(300)},
			perLine:   []map[string]int64{{"1": 300}},
			discounts: 300,
		},
		{
			name:      "a percentage rounds each line half up",
			items:     []redeemed{{source: "vouchers[0]", discount: tenPercent}},
			amounts:   []*int64{ptr(60 + 35 + 75 + 33)},
			perLine:   []map[string]int64{{"1": 60, "2": 35, "3": 75, "4": 33}},
			discounts: 203,
		},
		{
			name:      "an amount spreads over its category and adds up exactly",
			items:     []redeemed{{source: "rewards[0]", discount: fivePastries}},
			amounts:   []*int64{ptr(500)},
			perLine:   []map[string]int64{{"3": 346, "4": 154}}, // 346.26… and 153.73…: the spare unit goes to the larger remainder
			discounts: 500,
		},
		{
			name: "later discounts apply to what earlier ones left",
			items: []redeemed{
				{source: "rewards[0]", discount: freeCoffee},
				{source: "vouchers[0]", discount: tenPercent, lineIDs: []string{"1"}},
			},
			amounts:   []*int64{ptr(300), ptr(30)},
			perLine:   []map[string]int64{{"1": 300}, {"1": 30}},
			discounts: 330,
		},
		{
			name:      "a POS rule is left to the POS",
			items:     []redeemed{{source: "rewards[0]", discount: rule}},
			amounts:   []*int64{nil},
			perLine:   []map[string]int64{nil},
			discounts: 0,
		},
		{
			name:    "a free item with no matching line is refused",
			items:   []redeemed{{source: "rewards[1]", discount: loyalty.Discount{Kind: loyalty.DiscountFreeItem, ProductCodes: []string{"MUG-01"}}}},
			wantErr: "rewards[1]",
		},
		{
			name: "a free item whose lines are already free is refused",
			items: []redeemed{
				{source: "rewards[0]", discount: loyalty.Discount{Kind: loyalty.DiscountPercentage, PercentageBasisPoints: 10000, Category: "drinks"}},
				{source: "rewards[1]", discount: freeCoffee},
			},
			wantErr: "rewards[1]",
		},
		{
			name:      "an amount larger than the lines takes the lines",
			items:     []redeemed{{source: "vouchers[0]", discount: loyalty.Discount{Kind: loyalty.DiscountAmount, Amount: eur(1_000_000), ProductCodes: []string{"MUFFIN"}}}},
			amounts:   []*int64{ptr(333)},
			perLine:   []map[string]int64{{"4": 333}},
			discounts: 333,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, totals, err := applyDiscounts(basket, tt.items)
			var noLine *NoMatchingLineError
			if tt.wantErr != "" {
				if !errors.As(err, &noLine) || noLine.Source != tt.wantErr {
					t.Fatalf("err = %v, want no matching line for %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.items) {
				t.Fatalf("%d discounts for %d items", len(got), len(tt.items))
			}
			for i, d := range got {
				if (d.Amount == nil) != (tt.amounts[i] == nil) || (d.Amount != nil && *d.Amount != *tt.amounts[i]) {
					t.Errorf("discount %d amount = %v, want %v", i, deref(d.Amount), deref(tt.amounts[i]))
				}
				if !maps.Equal(d.PerLine, tt.perLine[i]) {
					t.Errorf("discount %d per line = %v, want %v", i, d.PerLine, tt.perLine[i])
				}
				if d.Source != tt.items[i].source {
					t.Errorf("discount %d source = %q", i, d.Source)
				}
			}
			if totals.Lines != 2033 || totals.Discounts != tt.discounts || totals.Due != 2033-tt.discounts {
				t.Errorf("totals = %+v, want discounts %d", totals, tt.discounts)
			}
		})
	}
}

func TestSpreadNeverOverflows(t *testing.T) {
	// Line totals near the basket's limits would overflow amount*remaining in int64.
	lines := []ledger.Line{{ID: "a", Quantity: 10_000, UnitPrice: 100_000_000}, {ID: "b", Quantity: 9_999, UnitPrice: 99_999_999}}
	d := loyalty.Discount{Kind: loyalty.DiscountAmount, Amount: eur(1_500_000_000_001)}
	got, totals, err := applyDiscounts(lines, []redeemed{{source: "rewards[0]", discount: d}})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, a := range got[0].PerLine {
		if a <= 0 {
			t.Fatalf("non-positive share %d", a)
		}
		sum += a
	}
	if sum != 1_500_000_000_001 || totals.Discounts != sum {
		t.Fatalf("shares add up to %d, totals %+v", sum, totals)
	}
}

func ptr(v int64) *int64 { return &v }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
