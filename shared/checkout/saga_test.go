package checkout

import (
	"slices"
	"testing"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

func step(id ledger.StepID, state ledger.StepState, edit ...func(*ledger.Step)) ledger.Step {
	s := ledger.Step{ID: id, State: state}
	for _, e := range edit {
		e(&s)
	}
	return s
}

var twoRewardsAndAVoucher = ledger.Checkout{PointsBefore: 1000, Basket: ledger.Basket{
	Rewards: []ledger.RewardItem{
		{RewardUUID: "coffee", RequiredPoints: 100, Strategy: tenancy.RewardRedeemReverse},
		{RewardUUID: "croissant", RequiredPoints: 75, Strategy: tenancy.RewardPreRedeemCollect},
	},
	Vouchers: []ledger.VoucherItem{{Code: "WELCOME", Strategy: tenancy.VoucherLockRedeem}},
}}

const (
	coffee    ledger.StepID = "reward_reception:rewards[0]"
	croissant ledger.StepID = "reward_reception:rewards[1]"
	lock      ledger.StepID = "voucher_lock:vouchers[0]"
)

func TestFirstRefusalIsTheFirstItemInBasketOrder(t *testing.T) {
	tests := []struct {
		name  string
		steps []ledger.Step
		want  *ledger.Refusal
	}{
		{"all done", []ledger.Step{step(coffee, ledger.StepDone), step(croissant, ledger.StepDone), step(lock, ledger.StepDone)}, nil},
		{"the voucher refused", []ledger.Step{step(coffee, ledger.StepDone), step(croissant, ledger.StepDone),
			step(lock, ledger.StepFailed, func(s *ledger.Step) { s.FailureCode = "voucher_locked" })},
			&ledger.Refusal{Item: "vouchers[0]", Code: "voucher_locked"}},
		{"a reward never written, before a refused voucher", []ledger.Step{step(coffee, ledger.StepDone),
			step(lock, ledger.StepFailed, func(s *ledger.Step) { s.FailureCode = "voucher_locked" })},
			&ledger.Refusal{Item: "rewards[1]", Code: "leat_unavailable", Detail: "Leat did not answer in time"}},
		{"a reward Leat could not settle", []ledger.Step{step(coffee, ledger.StepNeedsAttention, func(s *ledger.Step) { s.FailureCode = "outcome_unknown" })},
			&ledger.Refusal{Item: "rewards[0]", Code: "outcome_unknown"}},
	}
	for _, tt := range tests {
		got := firstRefusal(twoRewardsAndAVoucher, tt.steps)
		if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
			t.Errorf("%s: refusal %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestUnsettledSaysWhatKeepsACheckoutFromItsOutcome(t *testing.T) {
	collected := ledger.StepID("reward_collection:rewards[1]")
	tests := []struct {
		name    string
		outcome ledger.CheckoutStatus
		steps   []ledger.Step
		want    int
	}{
		{"cancelled, everything given back, the pre-redeemed reward kept",
			ledger.CheckoutCancelled, []ledger.Step{step(coffee, ledger.StepReversed), step(croissant, ledger.StepDone), step(lock, ledger.StepReversed)}, 0},
		{"cancelled, a reward not given back",
			ledger.CheckoutCancelled, []ledger.Step{step(coffee, ledger.StepDone), step(lock, ledger.StepReversed)}, 1},
		{"cancelled, a reversal still unknown",
			ledger.CheckoutCancelled, []ledger.Step{step(coffee, ledger.StepReversing), step(lock, ledger.StepFailed)}, 1},
		{"completed, everything done",
			ledger.CheckoutCompleted, []ledger.Step{step(coffee, ledger.StepDone), step(collected, ledger.StepDone)}, 0},
		{"completed, a collection refused after payment",
			ledger.CheckoutCompleted, []ledger.Step{step(coffee, ledger.StepDone), step(collected, ledger.StepFailed)}, 1},
		{"completed, a step needing attention",
			ledger.CheckoutCompleted, []ledger.Step{step(coffee, ledger.StepNeedsAttention)}, 1},
	}
	for _, tt := range tests {
		if got := unsettled(twoRewardsAndAVoucher, tt.steps, tt.outcome); len(got) != tt.want {
			t.Errorf("%s: %v, want %d problems", tt.name, got, tt.want)
		}
	}
}

func TestPointsBeforeFollowsTheEarlierReceptions(t *testing.T) {
	after := int64(880)
	tests := []struct {
		name  string
		steps []ledger.Step
		item  int
		want  *int64
	}{
		{"the first reward", nil, 0, ptr(1000)},
		{"after a reception that reported the balance", []ledger.Step{step(coffee, ledger.StepDone, func(s *ledger.Step) { s.Details.PointsAfter = &after })}, 1, ptr(880)},
		{"after a reception read back without it", []ledger.Step{step(coffee, ledger.StepDone, func(s *ledger.Step) { s.Details.Points = 100 })}, 1, ptr(900)},
		{"after a refused reception", []ledger.Step{step(coffee, ledger.StepFailed)}, 1, ptr(1000)},
		{"after a reception nobody can settle", []ledger.Step{step(coffee, ledger.StepNeedsAttention)}, 1, nil},
	}
	for _, tt := range tests {
		got := pointsBefore(twoRewardsAndAVoucher, tt.steps, tt.item)
		if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, deref(got), deref(tt.want))
		}
	}
}

func TestOrderLinksEachDiscountToItsRedemption(t *testing.T) {
	c := twoRewardsAndAVoucher
	c.Basket.Lines = []ledger.Line{{ID: "1", SKU: "COFFEE-REG", Quantity: 1, UnitPrice: 320}, {ID: "2", SKU: "CROISSANT", Quantity: 2, UnitPrice: 275}}
	c.Discounts = []ledger.Discount{
		{Source: "rewards[0]", Amount: ptr(320), PerLine: map[string]int64{"1": 320}, LineIDs: []string{"1"}},
		{Source: "rewards[1]", Amount: ptr(275), PerLine: map[string]int64{"2": 275}, LineIDs: []string{"2"}},
		{Source: "vouchers[0]", LineIDs: []string{"1", "2"}}, // a POS rule
	}
	discountTotal := int64(700)
	c.Payment = &ledger.Payment{Outcome: ledger.PaymentPaid, DiscountTotal: &discountTotal}
	steps := []ledger.Step{
		step(coffee, ledger.StepDone, func(s *ledger.Step) { s.LeatUUID = "reception-1" }),
		step(croissant, ledger.StepDone, func(s *ledger.Step) { s.LeatUUID = "reception-2" }),
		step("reward_collection:rewards[1]", ledger.StepDone, func(s *ledger.Step) { s.LeatUUID = "collection-2" }),
		step("voucher_redemption:vouchers[0]", ledger.StepDone, func(s *ledger.Step) { s.LeatUUID = "redemption-1" }),
	}
	o := orderOf(c, steps, ledger.StepDetails{ExternalID: "lpg.demo.x", ContactUUID: "anna"})
	want := []AppliedDiscount{
		{ExternalID: "rewards[0]", Amount: 320, LineIDs: []string{"1"}, OfferUUID: "reception-1", OfferKind: ledger.StepRewardReception},
		{ExternalID: "rewards[1]", Amount: 275, LineIDs: []string{"2"}, OfferUUID: "collection-2", OfferKind: ledger.StepRewardCollection},
		{ExternalID: "vouchers[0]", Amount: 700 - 320 - 275, LineIDs: []string{"1", "2"}, OfferUUID: "redemption-1", OfferKind: ledger.StepVoucherRedemption},
	}
	if !slices.EqualFunc(o.Discounts, want, func(a, b AppliedDiscount) bool {
		return a.ExternalID == b.ExternalID && a.Amount == b.Amount && a.OfferUUID == b.OfferUUID && a.OfferKind == b.OfferKind && slices.Equal(a.LineIDs, b.LineIDs)
	}) {
		t.Errorf("discounts %+v\nwant %+v", o.Discounts, want)
	}
	if o.DiscountPerLine["1"] != 320 || o.DiscountPerLine["2"] != 275 || o.ExternalID != "lpg.demo.x" {
		t.Errorf("order %+v", o)
	}
	if got := paidTotal(c); got != 0 {
		t.Errorf("paid total %d without final lines: the checkout's own due, %d", got, c.Totals.Due)
	}
	c.Payment.Lines = c.Basket.Lines
	if got := paidTotal(c); got != 870-700 {
		t.Errorf("paid total %d, want %d", got, 870-700)
	}
}
