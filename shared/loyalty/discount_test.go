package loyalty_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
)

func TestParseDiscount(t *testing.T) {
	tests := []struct {
		name         string
		attrs        map[string]string
		want         loyalty.DiscountKind
		ruleID       string
		basisPoints  int64
		amount       int64
		productCodes []string
		problem      string
	}{
		{name: "no attributes", attrs: nil, want: loyalty.DiscountNone},
		{name: "empty strings as Leat sends them", attrs: map[string]string{"pos_discount_type": "", "pos_discount_value": ""}, want: loyalty.DiscountNone},
		{name: "rule reference", attrs: map[string]string{"pos_discount_rule_id": " COFFEE-FREE "}, want: loyalty.DiscountRule, ruleID: "COFFEE-FREE"},
		{name: "rule wins over direct config", attrs: map[string]string{"pos_discount_rule_id": "R1", "pos_discount_type": "percentage_discount", "pos_discount_value": "10"}, want: loyalty.DiscountRule, ruleID: "R1"},
		{name: "whole percentage", attrs: map[string]string{"pos_discount_type": "percentage_discount", "pos_discount_value": "10"}, want: loyalty.DiscountPercentage, basisPoints: 1000},
		{name: "fractional percentage", attrs: map[string]string{"pos_discount_type": "percentage_discount", "pos_discount_value": "12.5"}, want: loyalty.DiscountPercentage, basisPoints: 1250},
		{name: "hundred percent", attrs: map[string]string{"pos_discount_type": "percentage_discount", "pos_discount_value": "100", "pos_product_code": "SKU-1"}, want: loyalty.DiscountPercentage, basisPoints: 10000, productCodes: []string{"SKU-1"}},
		{name: "percentage above 100", attrs: map[string]string{"pos_discount_type": "percentage_discount", "pos_discount_value": "150"}, want: loyalty.DiscountInvalid, problem: "at most 100"},
		{name: "percentage not a number", attrs: map[string]string{"pos_discount_type": "percentage_discount", "pos_discount_value": "ten"}, want: loyalty.DiscountInvalid, problem: "not a percentage"},
		{name: "absolute amount in major units", attrs: map[string]string{"pos_discount_type": "absolute_discount", "pos_discount_value": "5"}, want: loyalty.DiscountAmount, amount: 500},
		{name: "absolute amount with cents", attrs: map[string]string{"pos_discount_type": "absolute_discount", "pos_discount_value": "2.50"}, want: loyalty.DiscountAmount, amount: 250},
		{name: "negative absolute amount", attrs: map[string]string{"pos_discount_type": "absolute_discount", "pos_discount_value": "-5"}, want: loyalty.DiscountInvalid, problem: "positive amount"},
		{name: "free item with several products", attrs: map[string]string{"pos_discount_type": "free_item", "pos_product_code": "SKU-1, SKU-2,,"}, want: loyalty.DiscountFreeItem, productCodes: []string{"SKU-1", "SKU-2"}},
		{name: "free item without product", attrs: map[string]string{"pos_discount_type": "free_item"}, want: loyalty.DiscountInvalid, problem: "product code"},
		{name: "unknown type", attrs: map[string]string{"pos_discount_type": "bogo"}, want: loyalty.DiscountInvalid, problem: "not one of"},
		{name: "another integration's attributes are ignored", attrs: map[string]string{"other_discount_type": "free_item"}, want: loyalty.DiscountNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := loyalty.ParseDiscount(tt.attrs, "pos_", money.Currency("EUR"))
			if d.Kind != tt.want || d.RuleID != tt.ruleID || d.PercentageBasisPoints != tt.basisPoints || d.Amount.Amount != tt.amount {
				t.Fatalf("got %+v", d)
			}
			if !slices.Equal(d.ProductCodes, tt.productCodes) {
				t.Fatalf("product codes %v, want %v", d.ProductCodes, tt.productCodes)
			}
			if !strings.Contains(d.Problem, tt.problem) || (tt.problem == "") != (d.Problem == "") {
				t.Fatalf("problem %q, want it to mention %q", d.Problem, tt.problem)
			}
		})
	}
}
