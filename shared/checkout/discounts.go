package checkout

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
)

// redeemed is one basket item that grants a discount, in the order the
// discounts are applied: rewards, then collected rewards, then vouchers.
type redeemed struct {
	source   string
	uuid     string
	title    string
	discount loyalty.Discount
	// lineIDs are the lines the POS said the item applies to; empty lets the
	// discount's own product codes or category pick them.
	lineIDs []string
}

// NoMatchingLineError: a discount that names products or a category finds
// none of them in the basket, so redeeming it would spend points for nothing.
type NoMatchingLineError struct {
	Source string
	Reason string
}

func (e *NoMatchingLineError) Error() string {
	return fmt.Sprintf("checkout: %s applies to no line of the basket: %s", e.Source, e.Reason)
}

// applyDiscounts works out what each item takes off which line. Discounts
// are applied one after the other on what earlier ones left, so together
// they never exceed a line's total. Amounts the gateway cannot compute (a
// POS rule, unreadable attributes) are left to the POS and say so.
func applyDiscounts(lines []ledger.Line, items []redeemed) ([]ledger.Discount, ledger.Totals, error) {
	remaining := make(map[string]int64, len(lines))
	var totals ledger.Totals
	for _, l := range lines {
		remaining[l.ID] = l.Total()
		totals.Lines += l.Total()
	}
	out := make([]ledger.Discount, 0, len(items))
	for _, item := range items {
		eligible := eligibleLines(lines, item)
		d := ledger.Discount{Source: item.source, UUID: item.uuid, Title: item.title, Discount: item.discount, LineIDs: ids(eligible)}
		var perLine map[string]int64
		switch item.discount.Kind {
		case loyalty.DiscountFreeItem:
			perLine = freeItem(eligible, remaining)
		case loyalty.DiscountPercentage:
			perLine = percentage(eligible, remaining, item.discount.PercentageBasisPoints)
		case loyalty.DiscountAmount:
			perLine = spread(eligible, remaining, item.discount.Amount.Amount)
		default:
			out = append(out, d)
			continue
		}
		if len(perLine) == 0 {
			return nil, ledger.Totals{}, &NoMatchingLineError{Source: item.source, Reason: target(item)}
		}
		var amount int64
		for id, a := range perLine {
			remaining[id] -= a
			amount += a
		}
		d.Amount, d.PerLine = &amount, perLine
		d.LineIDs = slices.Sorted(func(yield func(string) bool) {
			for id := range perLine {
				if !yield(id) {
					return
				}
			}
		})
		totals.Discounts += amount
		out = append(out, d)
	}
	totals.Due = totals.Lines - totals.Discounts
	return out, totals, nil
}

func eligibleLines(lines []ledger.Line, item redeemed) []ledger.Line {
	var out []ledger.Line
	for _, l := range lines {
		switch {
		case len(item.lineIDs) > 0:
			if slices.Contains(item.lineIDs, l.ID) {
				out = append(out, l)
			}
		case len(item.discount.ProductCodes) > 0:
			if slices.ContainsFunc(item.discount.ProductCodes, func(code string) bool { return strings.EqualFold(code, l.SKU) }) {
				out = append(out, l)
			}
		case item.discount.Category != "":
			if strings.EqualFold(item.discount.Category, l.Category) {
				out = append(out, l)
			}
		default:
			out = append(out, l)
		}
	}
	return out
}

func target(item redeemed) string {
	switch {
	case len(item.lineIDs) > 0:
		return "the lines it names are already fully discounted"
	case len(item.discount.ProductCodes) > 0:
		return "it is for " + strings.Join(item.discount.ProductCodes, ", ")
	case item.discount.Category != "":
		return "it is for the category " + item.discount.Category
	}
	return "the basket is already fully discounted"
}

func ids(lines []ledger.Line) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, l.ID)
	}
	return out
}

// freeItem takes one unit of the cheapest eligible line off, as a till does
// when a "free coffee" meets several coffees.
func freeItem(eligible []ledger.Line, remaining map[string]int64) map[string]int64 {
	var best *ledger.Line
	for i, l := range eligible {
		if remaining[l.ID] <= 0 {
			continue
		}
		if best == nil || l.UnitPrice < best.UnitPrice {
			best = &eligible[i]
		}
	}
	if best == nil {
		return nil
	}
	return map[string]int64{best.ID: min(best.UnitPrice, remaining[best.ID])}
}

// percentage takes the share off each eligible line, rounding each line's
// share half up to the minor unit.
func percentage(eligible []ledger.Line, remaining map[string]int64, basisPoints int64) map[string]int64 {
	out := map[string]int64{}
	for _, l := range eligible {
		if left := remaining[l.ID]; left > 0 {
			if share := (left*basisPoints + 5000) / 10000; share > 0 {
				out[l.ID] = share
			}
		}
	}
	return out
}

// spread takes an amount, at most what is left of them, off the eligible
// lines in proportion to what is left of each, so the parts add up exactly
// (money.Allocate).
func spread(eligible []ledger.Line, remaining map[string]int64, amount int64) map[string]int64 {
	weights := make([]int64, len(eligible))
	var left int64
	for i, l := range eligible {
		weights[i] = remaining[l.ID]
		left += max(weights[i], 0)
	}
	amount = min(amount, left)
	out := map[string]int64{}
	for i, part := range money.Allocate(amount, weights) {
		if part > 0 {
			out[eligible[i].ID] += part
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
