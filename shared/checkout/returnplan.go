package checkout

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Errors of returns.
var (
	// ErrNotReturnable: only a completed order can be returned.
	ErrNotReturnable = errors.New("checkout: only a completed order can be returned")
	// ErrNothingLeftToReturn: the line, or the order, has come back already.
	ErrNothingLeftToReturn = errors.New("checkout: nothing left to return")
	// ErrRefundExceedsTender: a tender would get back more than it paid.
	ErrRefundExceedsTender = errors.New("checkout: the refund exceeds what the tender paid")
	// ErrOfferNotReversible: the reward or voucher was not redeemed by the
	// order, or was given back already.
	ErrOfferNotReversible = errors.New("checkout: the offer cannot be given back")
	// ErrGiftcardAlreadySpent and ErrPrepaidAlreadySpent: a card or prepaid
	// balance sold by the order no longer holds what it was loaded with.
	ErrGiftcardAlreadySpent = errors.New("checkout: the giftcard sold no longer holds what it was loaded with")
	ErrPrepaidAlreadySpent  = errors.New("checkout: the prepaid credit sold has been spent")
)

// ReturnCommand returns an order, whole or some lines, for a back office.
type ReturnCommand struct {
	Location tenancy.LocationID
	OrderID  string
	ReturnID string
	// RequestKey is the request's Idempotency-Key.
	RequestKey string
	// Full returns everything not returned yet; otherwise Lines say what.
	Full  bool
	Lines []ReturnLineRequest
	// Refunds, when given, say what each Leat tender gets back; otherwise
	// the automatic rule decides (see autoRefunds).
	Refunds []TenderRefund
	// ReverseOffers names the redemptions to give back ("rewards[0]",
	// "collect[0]", "vouchers[1]"); nil means all of them on a full return
	// and none on a partial one.
	ReverseOffers []string
}

// ReturnLineRequest is a quantity of one line coming back.
type ReturnLineRequest struct {
	LineID   string
	Quantity int64
}

// TenderRefund is what one tender ("tenders[0]") gets back.
type TenderRefund struct {
	Tender string
	Amount int64
}

// planReturn works out what a return does, from the order and what its
// earlier returns did, or refuses it naming the field at fault. It reads
// nothing from Leat.
func planReturn(c ledger.Checkout, steps []ledger.Step, cmd ReturnCommand, id ledger.ReturnID) (ledger.Return, error) {
	r := ledger.Return{Checkout: c.ID, ID: id, Index: c.Returned.Count, Full: cmd.Full, Status: ledger.ReturnProcessing, RequestKey: cmd.RequestKey}
	if c.Status != ledger.CheckoutCompleted {
		return ledger.Return{}, fmt.Errorf("%w: the order is %s", ErrNotReturnable, c.Status)
	}
	var err error
	if r.Lines, err = returnedLines(c, cmd); err != nil {
		return ledger.Return{}, err
	}
	r.Plan.TakeBacks = takeBacks(c, steps, r.Lines)
	if r.Plan.Offers, err = offersToReverse(c, steps, cmd); err != nil {
		return ledger.Return{}, err
	}
	if r.Refunds, err = refunds(c, steps, cmd, r); err != nil {
		return ledger.Return{}, err
	}
	for _, f := range r.Refunds {
		r.Plan.Refunds = append(r.Plan.Refunds, f.By)
	}
	if order, found := findStep(steps, mustStepID(ledger.StepOrder, ledger.ItemOrder)); found && order.State == ledger.StepDone &&
		(order.Details.PointsEarned == nil || *order.Details.PointsEarned != 0) {
		r.Plan.OrderReturn = mustStepID(ledger.StepOrderReturn, r.Item())
	}
	return r, nil
}

// returnedLines are the lines coming back with what they cost after their
// discounts: each line's cost is split over its units, and a return takes
// the next units' parts, so a line returned in any number of parts returns
// exactly what it cost.
func returnedLines(c ledger.Checkout, cmd ReturnCommand) ([]ledger.ReturnLine, error) {
	lines := map[string]ledger.Line{}
	for _, l := range c.Basket.Lines {
		lines[l.ID] = l
	}
	left := func(l ledger.Line) int64 { return l.Quantity - c.Returned.Quantities[l.ID] }
	var out []ledger.ReturnLine
	take := func(l ledger.Line, quantity int64) {
		amount := unitsOf(l.Total()-discountOn(c, l.ID), l.Quantity, c.Returned.Quantities[l.ID], quantity)
		out = append(out, ledger.ReturnLine{LineID: l.ID, Quantity: quantity, Amount: amount})
	}
	if cmd.Full {
		for _, l := range c.Basket.Lines {
			if n := left(l); n > 0 {
				take(l, n)
			}
		}
		if len(out) == 0 {
			return nil, &ItemError{Item: "full", Err: fmt.Errorf("%w: every line has come back", ErrNothingLeftToReturn)}
		}
		return out, nil
	}
	if len(cmd.Lines) == 0 {
		return nil, &InvalidError{Field: "lines", Code: "required", Message: "name the lines that come back, or set full"}
	}
	seen := map[string]bool{}
	for i, req := range cmd.Lines {
		item := fmt.Sprintf("lines[%d]", i)
		l, ok := lines[req.LineID]
		switch {
		case !ok:
			return nil, &InvalidError{Field: item + ".line_id", Code: "unknown_line", Message: "names no line of the order"}
		case seen[req.LineID]:
			return nil, &InvalidError{Field: item + ".line_id", Code: "duplicate", Message: "the line is named twice"}
		case req.Quantity <= 0:
			return nil, &InvalidError{Field: item + ".quantity", Code: "min", Message: "must be at least 1"}
		case req.Quantity > left(l):
			return nil, &ItemError{Item: item, Err: fmt.Errorf("%w: %d of %d left", ErrNothingLeftToReturn, max(left(l), 0), l.Quantity)}
		case soldLine(c, l.ID) && req.Quantity != l.Quantity:
			return nil, &InvalidError{Field: item + ".quantity", Code: "whole_line", Message: "a line that sold a giftcard or prepaid credit comes back whole"}
		}
		seen[req.LineID] = true
		take(l, req.Quantity)
	}
	return out, nil
}

// unitsOf splits amount over a line's units and answers what quantity units
// after the first from cost.
func unitsOf(amount, units, from, quantity int64) int64 {
	parts := money.Allocate(amount, slices.Repeat([]int64{1}, int(units)))
	var sum int64
	for _, p := range parts[from : from+quantity] {
		sum += p
	}
	return sum
}

// discountOn is what the order's discounts took off a line.
func discountOn(c ledger.Checkout, lineID string) int64 {
	var sum int64
	for _, d := range c.Discounts {
		sum += d.PerLine[lineID]
	}
	return sum
}

// soldLine tells a line that sold a giftcard or prepaid credit.
func soldLine(c ledger.Checkout, lineID string) bool {
	return slices.ContainsFunc(c.Basket.GiftcardSales, func(s ledger.GiftcardSale) bool { return s.LineID == lineID }) ||
		slices.ContainsFunc(c.Basket.PrepaidTopUps, func(t ledger.PrepaidTopUp) bool { return t.LineID == lineID })
}

// takeBacks are the loads of the giftcards and prepaid credit the returned
// lines sold.
func takeBacks(c ledger.Checkout, steps []ledger.Step, lines []ledger.ReturnLine) []ledger.StepID {
	var out []ledger.StepID
	for _, l := range lines {
		var id ledger.StepID
		if i := slices.IndexFunc(c.Basket.GiftcardSales, func(s ledger.GiftcardSale) bool { return s.LineID == l.LineID }); i >= 0 {
			id = mustStepID(ledger.StepGiftcardLoad, fmt.Sprintf("giftcard_sales[%d]", i))
		} else if i := slices.IndexFunc(c.Basket.PrepaidTopUps, func(t ledger.PrepaidTopUp) bool { return t.LineID == l.LineID }); i >= 0 {
			id = mustStepID(ledger.StepPrepaidTopUp, fmt.Sprintf("prepaid_topups[%d]", i))
		} else {
			continue
		}
		if step, found := findStep(steps, id); found && step.State == ledger.StepDone {
			out = append(out, id)
		}
	}
	return out
}

// offersToReverse are the redemptions the return gives back.
func offersToReverse(c ledger.Checkout, steps []ledger.Step, cmd ReturnCommand) ([]ledger.StepID, error) {
	reversible := func(item string) (ledger.StepID, bool) {
		var kind ledger.StepKind
		switch {
		case itemOf(item, "rewards"):
			kind = ledger.StepRewardReception
		case itemOf(item, "collect"):
			kind = ledger.StepRewardCollection
		case itemOf(item, "vouchers"):
			kind = ledger.StepVoucherRedemption
		default:
			return "", false
		}
		id, err := ledger.NewStepID(kind, item)
		if err != nil {
			return "", false
		}
		step, found := findStep(steps, id)
		return id, found && step.State == ledger.StepDone && !slices.Contains(c.Returned.Reversed, id)
	}
	if cmd.ReverseOffers == nil {
		if !cmd.Full {
			return nil, nil
		}
		var out []ledger.StepID
		for _, step := range steps {
			if id, ok := reversible(step.Item()); ok && id == step.ID {
				out = append(out, id)
			}
		}
		return out, nil
	}
	var out []ledger.StepID
	for i, item := range cmd.ReverseOffers {
		id, ok := reversible(item)
		if !ok {
			return nil, &ItemError{Item: fmt.Sprintf("reverse_offers[%d]", i), Err: fmt.Errorf("%w: %s was not redeemed by the order, or was given back already", ErrOfferNotReversible, item)}
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// itemOf tells whether item ("rewards[2]") is of the list kind.
func itemOf(item, kind string) bool {
	return len(item) > len(kind)+2 && item[:len(kind)+1] == kind+"["
}

// tenderPaid is a Leat tender of the order and what it can still get back.
type tenderPaid struct {
	index int
	debit ledger.Step
	left  int64
}

func paidTenders(c ledger.Checkout, steps []ledger.Step) []tenderPaid {
	var out []tenderPaid
	for i, t := range c.Basket.Tenders {
		kind := ledger.StepGiftcardDebit
		if t.Type == ledger.TenderPrepaid {
			kind = ledger.StepPrepaidDebit
		}
		step, found := findStep(steps, mustStepID(kind, fmt.Sprintf("tenders[%d]", i)))
		if !found || step.State != ledger.StepDone {
			continue
		}
		out = append(out, tenderPaid{index: i, debit: step, left: step.Details.Amount - c.Returned.Refunded[i]})
	}
	return out
}

// refunds decides what each Leat tender gets back: what the back office
// says, or the automatic rule.
func refunds(c ledger.Checkout, steps []ledger.Step, cmd ReturnCommand, r ledger.Return) ([]ledger.Refund, error) {
	paid := paidTenders(c, steps)
	amounts := map[int]int64{}
	if cmd.Refunds != nil {
		for i, tr := range cmd.Refunds {
			item := fmt.Sprintf("refunds[%d]", i)
			j := slices.IndexFunc(paid, func(t tenderPaid) bool { return fmt.Sprintf("tenders[%d]", t.index) == tr.Tender })
			switch {
			case j < 0:
				return nil, &InvalidError{Field: item + ".tender", Code: "unknown_tender", Message: "names no Leat tender that paid for the order"}
			case tr.Amount <= 0:
				return nil, &InvalidError{Field: item + ".amount", Code: "min", Message: "must be at least 1"}
			case amounts[paid[j].index]+tr.Amount > paid[j].left:
				return nil, &ItemError{Item: item, Err: fmt.Errorf("%w: %d left to refund", ErrRefundExceedsTender, paid[j].left)}
			}
			amounts[paid[j].index] += tr.Amount
		}
	} else {
		amounts = autoRefunds(c, paid, r.Lines)
	}
	var out []ledger.Refund
	for _, t := range paid {
		amount := amounts[t.index]
		if amount <= 0 {
			continue
		}
		f := ledger.Refund{Tender: t.index, Debit: t.debit.ID, Amount: amount, By: t.debit.ID}
		if amount != t.debit.Details.Amount {
			// Reversing the debit would give back all of it: part of it goes
			// back as a credit of its own.
			kind := ledger.StepGiftcardRefund
			if t.debit.Kind() == ledger.StepPrepaidDebit {
				kind = ledger.StepPrepaidRefund
			}
			f.By = mustStepID(kind, fmt.Sprintf("%s.tenders[%d]", r.Item(), t.index))
		}
		out = append(out, f)
	}
	return out, nil
}

// autoRefunds is the rule the API documents: what the Leat tenders paid is
// split over the lines they could pay for, in proportion to their cost
// after discounts, and each line's part over its units; a return refunds
// the parts of the units it takes, so the returns of every line refund
// exactly what the tenders paid. It is taken from prepaid first, then from
// the giftcards, the last used first, never beyond what each has left.
func autoRefunds(c ledger.Checkout, paid []tenderPaid, lines []ledger.ReturnLine) map[int]int64 {
	var tendered int64
	for _, t := range paid {
		tendered += t.debit.Details.Amount
	}
	var payable []ledger.Line
	var costs []int64
	for _, l := range c.Basket.Lines {
		if soldLine(c, l.ID) && !c.Basket.TendersPaySales {
			continue
		}
		payable, costs = append(payable, l), append(costs, l.Total()-discountOn(c, l.ID))
	}
	var due int64
	for i, share := range money.Allocate(tendered, costs) {
		l := payable[i]
		for _, rl := range lines {
			if rl.LineID == l.ID {
				due += unitsOf(share, l.Quantity, c.Returned.Quantities[l.ID], rl.Quantity)
			}
		}
	}
	out := map[int]int64{}
	order := slices.Clone(paid)
	slices.SortStableFunc(order, func(a, b tenderPaid) int {
		aPrepaid, bPrepaid := a.debit.Kind() == ledger.StepPrepaidDebit, b.debit.Kind() == ledger.StepPrepaidDebit
		if aPrepaid != bPrepaid {
			if aPrepaid {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.index, a.index)
	})
	for _, t := range order {
		if due <= 0 {
			break
		}
		give := min(due, t.left)
		out[t.index], due = give, due-give
	}
	return out
}
