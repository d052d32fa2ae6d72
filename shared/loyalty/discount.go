package loyalty

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/leatpos/gateway/shared/money"
)

// DiscountKind is how a POS applies a reward or offer to the basket.
type DiscountKind string

// The discount kinds. Rule points at a discount defined in the POS itself; the
// others are configured fully in Leat's custom attributes.
const (
	DiscountRule       DiscountKind = "rule"
	DiscountPercentage DiscountKind = "percentage"
	DiscountAmount     DiscountKind = "amount"
	DiscountFreeItem   DiscountKind = "free_item"
	// DiscountNone: no discount attributes are set (e.g. a physical gift).
	DiscountNone DiscountKind = "none"
	// DiscountInvalid: the attributes are set but unusable; Problem says why,
	// so the merchant can fix them in Leat.
	DiscountInvalid DiscountKind = "invalid"
)

// Discount is the normalised instruction a POS applies, read from the custom
// attributes of a reward or promotion.
type Discount struct {
	Kind   DiscountKind
	RuleID string
	// PercentageBasisPoints: 1250 is 12.5 %; never a float.
	PercentageBasisPoints int64
	Amount                money.Money
	ProductCodes          []string
	Category              string
	Problem               string
}

// The attribute names after the tenant's prefix, as Leat's POS guide proposes.
const (
	attrRuleID      = "discount_rule_id"
	attrType        = "discount_type"
	attrValue       = "discount_value"
	attrProductCode = "product_code"
	attrCategory    = "category"
)

// ParseDiscount reads the discount from custom attributes named with prefix.
// A rule reference wins over a direct configuration, because it defers to the
// POS's own price logic.
func ParseDiscount(attributes map[string]string, prefix string, currency money.Currency) Discount {
	get := func(name string) string { return strings.TrimSpace(attributes[prefix+name]) }
	d := Discount{ProductCodes: splitCodes(get(attrProductCode)), Category: get(attrCategory)}
	if rule := get(attrRuleID); rule != "" {
		d.Kind, d.RuleID = DiscountRule, rule
		return d
	}
	kind, value := get(attrType), get(attrValue)
	switch kind {
	case "":
		d.Kind = DiscountNone
	case "free_item":
		d.Kind = DiscountFreeItem
		if len(d.ProductCodes) == 0 && d.Category == "" {
			return invalid(d, "a free item needs a product code or a category")
		}
	case "percentage_discount":
		bp, err := basisPoints(value)
		if err != nil {
			return invalid(d, fmt.Sprintf("%s%s %q: %v", prefix, attrValue, value, err))
		}
		d.Kind, d.PercentageBasisPoints = DiscountPercentage, bp
	case "absolute_discount":
		amount, err := money.ParseMajor(value, currency)
		if err != nil || amount.Amount <= 0 {
			return invalid(d, fmt.Sprintf("%s%s %q is not a positive amount in %s", prefix, attrValue, value, currency))
		}
		d.Kind, d.Amount = DiscountAmount, amount
	default:
		return invalid(d, fmt.Sprintf("%s%s %q is not one of percentage_discount, absolute_discount, free_item", prefix, attrType, kind))
	}
	return d
}

func invalid(d Discount, problem string) Discount {
	d.Kind, d.Problem = DiscountInvalid, problem
	return d
}

func splitCodes(s string) []string {
	var codes []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	return codes
}

// basisPoints reads a percentage such as "10" or "12.5" into basis points,
// refusing anything outside (0, 100] or with more than two decimals.
func basisPoints(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("more than two decimals")
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseUint(whole+frac, 10, 32)
	if whole == "" || err != nil {
		return 0, fmt.Errorf("not a percentage")
	}
	if n == 0 || n > 10000 {
		return 0, fmt.Errorf("must be above 0 and at most 100")
	}
	return int64(n), nil
}
