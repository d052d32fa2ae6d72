package checkout

import (
	"fmt"
	"slices"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// SagaInput starts a checkout's execution. Rewards are reserved one after
// the other, because a reward reception whose answer is lost is told by the
// customer's balance, which only a single reception at a time keeps exact;
// vouchers are reserved alongside them.
type SagaInput struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	// OrderID repeats the POS's order id so the console shows it.
	OrderID  string          `json:"order_id"`
	Rewards  []ledger.StepID `json:"rewards"`
	Vouchers []ledger.StepID `json:"vouchers"`
	// Tenders are the giftcard and prepaid debits, taken alongside too.
	Tenders []ledger.StepID `json:"tenders"`
	// Confirm is the confirm phase's steps.
	Confirm []ledger.StepID `json:"confirm"`
	// Review starts as the plan to give back the reserve phase, so that every
	// path, failures included, has it; each review refreshes it.
	Review Review `json:"review"`
	// EarnPoints: the checkout has a customer, so the paid order earns points.
	EarnPoints bool `json:"earn_points"`
	// Resume, set by an operator's retry, runs only that part of the saga.
	Resume Resume `json:"resume,omitempty"`
}

func sagaInput(c ledger.Checkout) SagaInput {
	in := SagaInput{
		Tenant: c.Tenant, CheckoutID: c.ID, OrderID: c.POSOrderID, Rewards: []ledger.StepID{}, Vouchers: []ledger.StepID{}, Tenders: []ledger.StepID{},
		Confirm: confirmPlan(c), Review: Review{Compensate: compensationPlan(c)}, EarnPoints: !c.Anonymous(),
	}
	for _, id := range reservePlan(c) {
		switch id.Kind() {
		case ledger.StepRewardReception:
			in.Rewards = append(in.Rewards, id)
		case ledger.StepGiftcardDebit, ledger.StepPrepaidDebit:
			in.Tenders = append(in.Tenders, id)
		default:
			in.Vouchers = append(in.Vouchers, id)
		}
	}
	return in
}

func mustStepID(kind ledger.StepKind, item string) ledger.StepID {
	id, err := ledger.NewStepID(kind, item)
	if err != nil {
		panic(err) // items come from the plan's own indices
	}
	return id
}

// reservePlan lists the writes of the reserve phase, in basket order.
func reservePlan(c ledger.Checkout) []ledger.StepID {
	var plan []ledger.StepID
	for i := range c.Basket.Rewards {
		plan = append(plan, mustStepID(ledger.StepRewardReception, fmt.Sprintf("rewards[%d]", i)))
	}
	for i, v := range c.Basket.Vouchers {
		kind := ledger.StepVoucherRedemption
		if v.Strategy == tenancy.VoucherLockRedeem {
			kind = ledger.StepVoucherLock
		}
		plan = append(plan, mustStepID(kind, fmt.Sprintf("vouchers[%d]", i)))
	}
	for i, t := range c.Basket.Tenders {
		kind := ledger.StepGiftcardDebit
		if t.Type == ledger.TenderPrepaid {
			kind = ledger.StepPrepaidDebit
		}
		plan = append(plan, mustStepID(kind, fmt.Sprintf("tenders[%d]", i)))
	}
	return plan
}

// confirmPlan lists the writes that make the reservations final once paid:
// redeem locked vouchers, collect pre-redeemed and collectable rewards.
func confirmPlan(c ledger.Checkout) []ledger.StepID {
	plan := []ledger.StepID{}
	for i, v := range c.Basket.Vouchers {
		if v.Strategy == tenancy.VoucherLockRedeem {
			plan = append(plan, mustStepID(ledger.StepVoucherRedemption, fmt.Sprintf("vouchers[%d]", i)))
		}
	}
	for i, r := range c.Basket.Rewards {
		if r.Strategy == tenancy.RewardPreRedeemCollect {
			plan = append(plan, mustStepID(ledger.StepRewardCollection, fmt.Sprintf("rewards[%d]", i)))
		}
	}
	for i := range c.Basket.Collects {
		plan = append(plan, mustStepID(ledger.StepRewardCollection, fmt.Sprintf("collect[%d]", i)))
	}
	// Leat money sold is loaded only once it is paid for.
	for i := range c.Basket.GiftcardSales {
		plan = append(plan, mustStepID(ledger.StepGiftcardLoad, fmt.Sprintf("giftcard_sales[%d]", i)))
	}
	for i := range c.Basket.PrepaidTopUps {
		plan = append(plan, mustStepID(ledger.StepPrepaidTopUp, fmt.Sprintf("prepaid_topups[%d]", i)))
	}
	return plan
}

// compensationPlan undoes the reserve phase newest first.
func compensationPlan(c ledger.Checkout) []ledger.StepID {
	plan := reservePlan(c)
	slices.Reverse(plan)
	if plan == nil {
		plan = []ledger.StepID{}
	}
	return plan
}

// holdsVoucherLock reports whether the checkout locks a voucher while it
// waits, which caps its payment window.
func holdsVoucherLock(c ledger.Checkout) bool {
	return slices.ContainsFunc(c.Basket.Vouchers, func(v ledger.VoucherItem) bool { return v.Strategy == tenancy.VoucherLockRedeem })
}

// itemIndex reads the index out of "rewards[3]".
func itemIndex(item string) int {
	var kind string
	var i int
	for j := range len(item) {
		if item[j] == '[' {
			kind = item[:j]
			if _, err := fmt.Sscanf(item[j:], "[%d]", &i); err != nil {
				return -1
			}
			break
		}
	}
	if kind == "" {
		return -1
	}
	return i
}

func findStep(steps []ledger.Step, id ledger.StepID) (ledger.Step, bool) {
	i := slices.IndexFunc(steps, func(s ledger.Step) bool { return s.ID == id })
	if i < 0 {
		return ledger.Step{}, false
	}
	return steps[i], true
}
