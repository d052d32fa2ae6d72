package checkout

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/leatpos/gateway/shared/ledger"
)

// soldOrder is a completed order: a coffee made free by a reward, three
// croissants, a giftcard sold, paid in part with a giftcard and prepaid.
func soldOrder() (ledger.Checkout, []ledger.Step) {
	c := ledger.Checkout{
		ID: "shop-1.B1", Status: ledger.CheckoutCompleted,
		Basket: ledger.Basket{
			Lines: []ledger.Line{
				{ID: "1", Quantity: 1, UnitPrice: 320},
				{ID: "2", Quantity: 3, UnitPrice: 275},
				{ID: "3", Quantity: 1, UnitPrice: 2000},
			},
			Rewards:       []ledger.RewardItem{{RewardUUID: "coffee"}},
			Tenders:       []ledger.TenderItem{{Type: ledger.TenderGiftcard, Code: "GC"}, {Type: ledger.TenderPrepaid}},
			GiftcardSales: []ledger.GiftcardSale{{LineID: "3", Amount: 2000, GiftcardUUID: "sold"}},
		},
		Discounts: []ledger.Discount{{Source: "rewards[0]", PerLine: map[string]int64{"1": 320}}},
	}
	amount := func(n int64) func(*ledger.Step) { return func(s *ledger.Step) { s.Details.Amount = n } }
	earned := int64(8)
	steps := []ledger.Step{
		step("reward_reception:rewards[0]", ledger.StepDone),
		step("giftcard_debit:tenders[0]", ledger.StepDone, amount(500)),
		step("prepaid_debit:tenders[1]", ledger.StepDone, amount(100)),
		step("giftcard_load:giftcard_sales[0]", ledger.StepDone, amount(2000)),
		step("order:order", ledger.StepDone, func(s *ledger.Step) { s.Details.PointsEarned = &earned }),
	}
	return c, steps
}

func TestPlanReturn(t *testing.T) {
	tests := []struct {
		name     string
		returned ledger.Returned
		cmd      ReturnCommand
		lines    []ledger.ReturnLine
		refunds  map[int]int64
		plan     ledger.ReturnPlan
	}{
		{
			name:  "full: every line, every offer, the tenders whole, the card sold taken back",
			cmd:   ReturnCommand{Full: true},
			lines: []ledger.ReturnLine{{LineID: "1", Quantity: 1, Amount: 0}, {LineID: "2", Quantity: 3, Amount: 825}, {LineID: "3", Quantity: 1, Amount: 2000}},
			// The tenders paid 600 of the 825 they could pay for; all of it comes back.
			refunds: map[int]int64{0: 500, 1: 100},
			plan: ledger.ReturnPlan{
				OrderReturn: "order_return:returns[0]", Offers: []ledger.StepID{"reward_reception:rewards[0]"},
				Refunds:   []ledger.StepID{"giftcard_debit:tenders[0]", "prepaid_debit:tenders[1]"},
				TakeBacks: []ledger.StepID{"giftcard_load:giftcard_sales[0]"},
			},
		},
		{
			name:  "one croissant: a third of what the tenders paid, prepaid first, as credits",
			cmd:   ReturnCommand{Lines: []ReturnLineRequest{{LineID: "2", Quantity: 1}}},
			lines: []ledger.ReturnLine{{LineID: "2", Quantity: 1, Amount: 275}},
			// 600 × 275 / 825 = 200: prepaid's 100, then 100 of the giftcard.
			refunds: map[int]int64{0: 100, 1: 100},
			plan: ledger.ReturnPlan{
				OrderReturn: "order_return:returns[0]",
				Refunds:     []ledger.StepID{"giftcard_refund:returns[0].tenders[0]", "prepaid_debit:tenders[1]"},
			},
		},
		{
			name:     "the last croissants after one came back: the rest of each line and refund, to the cent",
			returned: ledger.Returned{Count: 1, Quantities: map[string]int64{"2": 1}, Amounts: map[string]int64{"2": 275}, Refunded: map[int]int64{0: 100, 1: 100}},
			cmd:      ReturnCommand{Lines: []ReturnLineRequest{{LineID: "2", Quantity: 2}}},
			lines:    []ledger.ReturnLine{{LineID: "2", Quantity: 2, Amount: 550}},
			refunds:  map[int]int64{0: 400},
			plan: ledger.ReturnPlan{
				OrderReturn: "order_return:returns[1]",
				Refunds:     []ledger.StepID{"giftcard_refund:returns[1].tenders[0]"},
			},
		},
		{
			name:    "explicit refunds and offers on a partial return",
			cmd:     ReturnCommand{Lines: []ReturnLineRequest{{LineID: "1", Quantity: 1}}, Refunds: []TenderRefund{{Tender: "tenders[0]", Amount: 500}}, ReverseOffers: []string{"rewards[0]"}},
			lines:   []ledger.ReturnLine{{LineID: "1", Quantity: 1, Amount: 0}},
			refunds: map[int]int64{0: 500},
			plan: ledger.ReturnPlan{
				OrderReturn: "order_return:returns[0]", Offers: []ledger.StepID{"reward_reception:rewards[0]"},
				Refunds: []ledger.StepID{"giftcard_debit:tenders[0]"},
			},
		},
		{
			name:    "no refund to Leat tenders when the back office says so",
			cmd:     ReturnCommand{Full: true, Refunds: []TenderRefund{}, ReverseOffers: []string{}},
			lines:   []ledger.ReturnLine{{LineID: "1", Quantity: 1, Amount: 0}, {LineID: "2", Quantity: 3, Amount: 825}, {LineID: "3", Quantity: 1, Amount: 2000}},
			refunds: map[int]int64{},
			plan: ledger.ReturnPlan{
				OrderReturn: "order_return:returns[0]", TakeBacks: []ledger.StepID{"giftcard_load:giftcard_sales[0]"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, steps := soldOrder()
			c.Returned = tt.returned
			r, err := planReturn(c, steps, tt.cmd, "R")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Lines, tt.lines) {
				t.Errorf("lines %+v, want %+v", r.Lines, tt.lines)
			}
			refunds := map[int]int64{}
			for _, f := range r.Refunds {
				refunds[f.Tender] = f.Amount
			}
			if !maps.Equal(refunds, tt.refunds) {
				t.Errorf("refunds %v, want %v", refunds, tt.refunds)
			}
			if r.Plan.OrderReturn != tt.plan.OrderReturn || !slices.Equal(r.Plan.Offers, tt.plan.Offers) ||
				!slices.Equal(r.Plan.Refunds, tt.plan.Refunds) || !slices.Equal(r.Plan.TakeBacks, tt.plan.TakeBacks) {
				t.Errorf("plan %+v, want %+v", r.Plan, tt.plan)
			}
		})
	}
}

func TestPlanReturnRefuses(t *testing.T) {
	tests := []struct {
		name     string
		status   ledger.CheckoutStatus
		returned ledger.Returned
		cmd      ReturnCommand
		err      error
		field    string
	}{
		{"an order not completed", ledger.CheckoutCancelled, ledger.Returned{}, ReturnCommand{Full: true}, ErrNotReturnable, ""},
		{"more than is left of a line", ledger.CheckoutCompleted, ledger.Returned{Quantities: map[string]int64{"2": 2}},
			ReturnCommand{Lines: []ReturnLineRequest{{LineID: "1", Quantity: 1}, {LineID: "2", Quantity: 2}}}, ErrNothingLeftToReturn, "lines[1]"},
		{"everything came back", ledger.CheckoutCompleted, ledger.Returned{Quantities: map[string]int64{"1": 1, "2": 3, "3": 1}},
			ReturnCommand{Full: true}, ErrNothingLeftToReturn, "full"},
		{"an unknown line", ledger.CheckoutCompleted, ledger.Returned{}, ReturnCommand{Lines: []ReturnLineRequest{{LineID: "9", Quantity: 1}}}, nil, "lines[0].line_id"},
		{"a line named twice", ledger.CheckoutCompleted, ledger.Returned{},
			ReturnCommand{Lines: []ReturnLineRequest{{LineID: "3", Quantity: 1}, {LineID: "3", Quantity: 1}}}, nil, "lines[1].line_id"},
		{"a refund over what the tender paid", ledger.CheckoutCompleted, ledger.Returned{Refunded: map[int]int64{1: 50}},
			ReturnCommand{Full: true, Refunds: []TenderRefund{{Tender: "tenders[1]", Amount: 60}}}, ErrRefundExceedsTender, "refunds[0]"},
		{"a refund to a tender the order has not", ledger.CheckoutCompleted, ledger.Returned{},
			ReturnCommand{Full: true, Refunds: []TenderRefund{{Tender: "tenders[5]", Amount: 1}}}, nil, "refunds[0].tender"},
		{"an offer the order did not redeem", ledger.CheckoutCompleted, ledger.Returned{},
			ReturnCommand{Full: true, ReverseOffers: []string{"vouchers[0]"}}, ErrOfferNotReversible, "reverse_offers[0]"},
		{"an offer given back already", ledger.CheckoutCompleted, ledger.Returned{Reversed: []ledger.StepID{"reward_reception:rewards[0]"}},
			ReturnCommand{Lines: []ReturnLineRequest{{LineID: "2", Quantity: 1}}, ReverseOffers: []string{"rewards[0]"}}, ErrOfferNotReversible, "reverse_offers[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, steps := soldOrder()
			c.Status, c.Returned = tt.status, tt.returned
			_, err := planReturn(c, steps, tt.cmd, "R")
			if err == nil {
				t.Fatal("planned")
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("err %v, want %v", err, tt.err)
			}
			var item *ItemError
			var invalid *InvalidError
			field := ""
			switch {
			case errors.As(err, &item):
				field = item.Item
			case errors.As(err, &invalid):
				field = invalid.Field
			}
			if field != tt.field {
				t.Errorf("field %q, want %q (%v)", field, tt.field, err)
			}
		})
	}
}

// TestReturnsInAnyPartsRefundExactly returns an order line by line, in
// every order: the amounts and refunds always add up to what was paid.
func TestReturnsInAnyPartsRefundExactly(t *testing.T) {
	for _, order := range [][]ReturnLineRequest{
		{{"2", 1}, {"2", 1}, {"2", 1}, {"1", 1}},
		{{"1", 1}, {"2", 2}, {"2", 1}},
		{{"2", 3}, {"1", 1}},
	} {
		c, steps := soldOrder()
		for i, line := range order {
			r, err := planReturn(c, steps, ReturnCommand{Lines: []ReturnLineRequest{line}}, ledger.ReturnID(string(rune('A'+i))))
			if err != nil {
				t.Fatal(err)
			}
			c.Returned = c.Returned.Add(r)
		}
		if c.Returned.Amounts["2"] != 825 || c.Returned.Refunded[0] != 500 || c.Returned.Refunded[1] != 100 {
			t.Errorf("returned %v: amounts %v, refunded %v", order, c.Returned.Amounts, c.Returned.Refunded)
		}
	}
}
