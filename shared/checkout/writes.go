package checkout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// reserveDetails are what a reserve step records with its intent.
func (s *Service) reserveDetails(ctx context.Context, st sagaStep, id ledger.StepID) (ledger.StepDetails, error) {
	i, c := itemIndex(id.Item()), st.c
	switch id.Kind() {
	case ledger.StepGiftcardDebit, ledger.StepPrepaidDebit:
		if i < 0 || i >= len(c.Basket.Tenders) {
			break
		}
		return s.tenderDetails(ctx, st, c.Basket.Tenders[i], id)
	case ledger.StepRewardReception:
		if i < 0 || i >= len(c.Basket.Rewards) {
			break
		}
		r := c.Basket.Rewards[i]
		return ledger.StepDetails{
			ContactUUID: c.ContactUUID, RewardUUID: r.RewardUUID, Points: r.RequiredPoints,
			PreRedeem:    r.Strategy == tenancy.RewardPreRedeemCollect,
			PointsBefore: pointsBefore(c, st.steps, i), Collectables: r.KnownCollectables,
		}, nil
	case ledger.StepVoucherLock, ledger.StepVoucherRedemption:
		if i < 0 || i >= len(c.Basket.Vouchers) {
			break
		}
		return voucherDetails(c.Basket.Vouchers[i]), nil
	}
	return ledger.StepDetails{}, fmt.Errorf("checkout: %s is not a reserve step of %s", id, c.ID)
}

func voucherDetails(v ledger.VoucherItem) ledger.StepDetails {
	remaining := v.RedemptionsRemaining
	return ledger.StepDetails{VoucherUUID: v.UUID, VoucherCode: v.Code, ContactUUID: v.ContactUUID, RedemptionsBefore: &remaining}
}

// pointsBefore is the customer's balance just before the i-th reward's
// reception: the balance read when the basket was checked, less what the
// earlier receptions took. Nil when an earlier one is unsettled.
func pointsBefore(c ledger.Checkout, steps []ledger.Step, i int) *int64 {
	before := c.PointsBefore
	for j := range i {
		step, found := findStep(steps, mustStepID(ledger.StepRewardReception, fmt.Sprintf("rewards[%d]", j)))
		switch {
		case !found || step.State == ledger.StepFailed:
		case step.State == ledger.StepDone && step.Details.PointsAfter != nil:
			before = *step.Details.PointsAfter
		case step.State == ledger.StepDone:
			before -= step.Details.Points
		default:
			return nil
		}
	}
	return &before
}

// tenderDetails are a debit's intent: the amount to take and the balance
// before it. Only a partial tender reads the balance again, because it takes
// what is there now; a full one debits what was asked, and Leat refuses it
// if the balance no longer holds it.
func (s *Service) tenderDetails(ctx context.Context, st sagaStep, t ledger.TenderItem, id ledger.StepID) (ledger.StepDetails, error) {
	d := ledger.StepDetails{
		ContactUUID: st.c.ContactUUID, GiftcardUUID: t.GiftcardUUID, GiftcardCode: t.Code, Amount: t.Amount,
		Tag: ledger.ExternalIdentifier(st.c.Tenant, st.c.ID) + "/" + string(id),
	}
	balance := t.Balance
	if t.AllowPartial {
		var err error
		if balance, err = s.tenderBalance(ctx, st, d, t.Type); err != nil {
			return ledger.StepDetails{}, err
		}
		d.Amount = max(min(t.Amount, balance), 0)
	}
	d.BalanceBefore = &balance
	return d, nil
}

// tenderBalance reads what a card or the prepaid balance holds.
func (s *Service) tenderBalance(ctx context.Context, st sagaStep, d ledger.StepDetails, t ledger.TenderType) (int64, error) {
	if t == ledger.TenderPrepaid {
		customer, err := st.acc.platform.Customer(ctx, d.ContactUUID)
		if err != nil {
			return 0, unavailable(err)
		}
		return customer.Prepaid.Amount, nil
	}
	card, err := st.acc.platform.GiftcardByCode(ctx, d.GiftcardCode)
	if err != nil {
		return 0, unavailable(err)
	}
	return card.Balance.Amount, nil
}

// tenderType tells whose balance a money step moves: the contact's prepaid
// credit or a card.
func tenderType(kind ledger.StepKind) ledger.TenderType {
	switch kind {
	case ledger.StepPrepaidDebit, ledger.StepPrepaidTopUp, ledger.StepPrepaidRefund:
		return ledger.TenderPrepaid
	}
	return ledger.TenderGiftcard
}

// confirmDetails are what a confirm step records with its intent.
func (s *Service) confirmDetails(st sagaStep, id ledger.StepID) (ledger.StepDetails, error) {
	i, c := itemIndex(id.Item()), st.c
	switch {
	case id.Kind() == ledger.StepVoucherRedemption && i >= 0 && i < len(c.Basket.Vouchers):
		d := voucherDetails(c.Basket.Vouchers[i])
		if lock, found := findStep(st.steps, mustStepID(ledger.StepVoucherLock, id.Item())); found {
			d.ReleaseKey = lock.Details.ReleaseKey
		}
		return d, nil
	case id.Kind() == ledger.StepRewardCollection && strings.HasPrefix(id.Item(), "rewards[") && i >= 0 && i < len(c.Basket.Rewards):
		d := ledger.StepDetails{ContactUUID: c.ContactUUID, RewardUUID: c.Basket.Rewards[i].RewardUUID}
		if reception, found := findStep(st.steps, mustStepID(ledger.StepRewardReception, id.Item())); found {
			d.CollectableUUID = reception.LeatUUID
		}
		return d, nil
	case id.Kind() == ledger.StepGiftcardLoad && i >= 0 && i < len(c.Basket.GiftcardSales):
		sale := c.Basket.GiftcardSales[i]
		return ledger.StepDetails{
			ContactUUID: c.ContactUUID, GiftcardUUID: sale.GiftcardUUID, GiftcardCode: sale.Code, BalanceURL: sale.BalanceURL,
			Amount: sale.Amount, Email: sale.Email, Tag: ledger.ExternalIdentifier(c.Tenant, c.ID) + "/" + string(id),
		}, nil
	case id.Kind() == ledger.StepPrepaidTopUp && i >= 0 && i < len(c.Basket.PrepaidTopUps):
		return ledger.StepDetails{ContactUUID: c.ContactUUID, Amount: c.Basket.PrepaidTopUps[i].Amount}, nil
	case id.Kind() == ledger.StepRewardCollection && i >= 0 && i < len(c.Basket.Collects):
		col := c.Basket.Collects[i]
		return ledger.StepDetails{ContactUUID: c.ContactUUID, RewardUUID: col.RewardUUID, CollectableUUID: col.CollectableUUID}, nil
	}
	return ledger.StepDetails{}, fmt.Errorf("checkout: %s is not a confirm step of %s", id, c.ID)
}

// call makes a step's Leat write.
func (s *Service) call(ctx context.Context, st sagaStep, step ledger.Step) (writeResult, error) {
	d, platform, shop := step.Details, st.acc.platform, st.acc.location.ShopUUID
	switch step.Kind() {
	case ledger.StepRewardReception:
		rec, err := platform.ReceiveReward(ctx, d.ContactUUID, d.RewardUUID, shop)
		return writeResult{leatUUID: rec.UUID, details: func(d *ledger.StepDetails) { d.PointsAfter = &rec.PointsAfter }}, err
	case ledger.StepVoucherLock:
		lock, err := platform.LockVoucher(ctx, d.VoucherUUID)
		return writeResult{details: func(d *ledger.StepDetails) { d.ReleaseKey, d.LockReleasesAt = lock.ReleaseKey, lock.ReleasesAt }}, err
	case ledger.StepVoucherRedemption:
		uuid, err := platform.RedeemVoucher(ctx, VoucherRedemption{Code: d.VoucherCode, ShopUUID: shop, ContactUUID: d.ContactUUID, ReleaseKey: d.ReleaseKey})
		return writeResult{leatUUID: uuid}, err
	case ledger.StepRewardCollection:
		if d.CollectableUUID == "" {
			return writeResult{}, fmt.Errorf("%w: the pre-redeemed reward's reception was never named by Leat", loyalty.ErrRewardNotFound)
		}
		uuid, err := platform.CollectReward(ctx, d.CollectableUUID)
		return writeResult{leatUUID: uuid}, err
	case ledger.StepGiftcardDebit, ledger.StepPrepaidDebit:
		if d.Amount <= 0 {
			if step.Kind() == ledger.StepPrepaidDebit {
				return writeResult{}, fmt.Errorf("%w: nothing left to take", loyalty.ErrPrepaidInsufficientBalance)
			}
			return writeResult{}, fmt.Errorf("%w: nothing left to take", loyalty.ErrGiftcardInsufficientBalance)
		}
		var (
			uuid  string
			after int64
			err   error
		)
		if step.Kind() == ledger.StepPrepaidDebit {
			uuid, after, err = platform.DebitPrepaid(ctx, d.ContactUUID, shop, d.Amount)
		} else {
			uuid, err = platform.DebitGiftcard(ctx, d.GiftcardUUID, shop, d.Amount, d.Tag)
			if d.BalanceBefore != nil {
				after = *d.BalanceBefore - d.Amount
			}
		}
		return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.BalanceAfter = &after }}, err
	case ledger.StepGiftcardLoad:
		uuid, err := platform.CreditGiftcard(ctx, d.GiftcardUUID, shop, d.Amount, d.Tag)
		after := d.Amount // a card for sale held nothing
		return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.BalanceAfter = &after }}, err
	case ledger.StepPrepaidTopUp:
		uuid, after, err := platform.CreditPrepaid(ctx, d.ContactUUID, shop, d.Amount)
		return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.BalanceAfter = &after }}, err
	case ledger.StepOrder:
		res, err := platform.CreateOrder(ctx, orderOf(st.c, st.steps, d))
		return writeResult{leatUUID: res.UUID, details: func(d *ledger.StepDetails) {
			d.PointsEarned, d.PointsAfter = &res.PointsEarned, &res.PointsBalance
		}}, err
	case ledger.StepOrderReturn:
		res, err := platform.ReturnOrder(ctx, OrderReturn{
			OrderExternalID: ledger.ExternalIdentifier(st.c.Tenant, st.c.ID), ExternalID: d.ExternalID, Lines: returnOf(st, step).Lines,
		})
		if errors.Is(err, ErrReturnRecorded) {
			// The same return sent again after an answer was lost: Leat has
			// it, and the balance reads what it did.
			return s.returnRecorded(ctx, st, d)
		}
		return writeResult{leatUUID: res.UUID, details: func(d *ledger.StepDetails) {
			d.PointsEarned, d.PointsAfter = &res.Points, &res.PointsBalance
		}}, err
	case ledger.StepGiftcardRefund:
		uuid, err := platform.CreditGiftcard(ctx, d.GiftcardUUID, shop, d.Amount, d.Tag)
		return writeResult{leatUUID: uuid}, err
	case ledger.StepPrepaidRefund:
		uuid, after, err := platform.CreditPrepaid(ctx, d.ContactUUID, shop, d.Amount)
		return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.BalanceAfter = &after }}, err
	}
	return writeResult{}, fmt.Errorf("checkout: no Leat write for %s", step.ID)
}

// verdict is what reconciliation learnt from Leat about a lost answer.
type verdict struct {
	state   verdictState
	result  writeResult
	why     string
	refusal error
}

type verdictState int

const (
	// notYet: the write (or reversal) did not happen; it may be made now.
	notYet verdictState = iota
	wasApplied
	// cannotTell: Leat's documented reads cannot settle it.
	cannotTell
	// refusedInstead: the write cannot happen any more, and nothing needs undoing.
	refusedInstead
)

// reconcileWrite settles a pending step whose call ended without an answer,
// by the rule of its kind, with documented reads only.
func (s *Service) reconcileWrite(ctx context.Context, st sagaStep, step ledger.Step) (verdict, error) {
	d, platform := step.Details, st.acc.platform
	switch step.Kind() {
	case ledger.StepRewardReception:
		// A pre-redeem leaves a collectable reward that names the reception.
		if d.PreRedeem {
			collectables, err := platform.CollectableRewards(ctx, d.ContactUUID)
			if err != nil {
				return verdict{}, unavailable(err)
			}
			for _, c := range collectables {
				if c.Reward.UUID == d.RewardUUID && !slices.Contains(d.Collectables, c.UUID) && !namedByAnotherStep(st.steps, step.ID, c.UUID) {
					return verdict{state: wasApplied, result: writeResult{leatUUID: c.UUID}}, nil
				}
			}
		}
		// Otherwise the balance tells, as long as nothing else moved it.
		return s.byBalance(ctx, st, d, -d.Points, "reception")
	case ledger.StepVoucherLock:
		v, err := platform.VoucherByCode(ctx, d.VoucherCode)
		if err != nil {
			return verdict{}, unavailable(err)
		}
		switch v.Status {
		case loyalty.VoucherActive:
			return verdict{state: notYet}, nil
		case loyalty.VoucherLocked:
			// Locked, by all likelihood by the lost call, with a key nobody
			// saw: it cannot be redeemed, and Leat frees it within the hour.
			return verdict{state: refusedInstead, refusal: fmt.Errorf("%w: locked by an attempt whose answer was lost; Leat releases it within the hour", loyalty.ErrVoucherLocked)}, nil
		}
		return verdict{state: refusedInstead, refusal: fmt.Errorf("%w: the voucher is %s", loyalty.ErrVoucherInactive, v.Status)}, nil
	case ledger.StepVoucherRedemption:
		v, err := platform.VoucherByCode(ctx, d.VoucherCode)
		if err != nil {
			return verdict{}, unavailable(err)
		}
		switch {
		case d.RedemptionsBefore != nil && *d.RedemptionsBefore >= 0 && v.RedemptionsRemaining != nil:
			if *v.RedemptionsRemaining < *d.RedemptionsBefore {
				return verdict{state: wasApplied}, nil
			}
			return verdict{state: notYet}, nil
		case v.Status == loyalty.VoucherRedeemed:
			return verdict{state: wasApplied}, nil
		case v.Status == loyalty.VoucherActive || v.Status == loyalty.VoucherLocked:
			return verdict{state: notYet}, nil
		}
		return verdict{state: cannotTell, why: "the voucher is " + string(v.Status) + " and counts no redemptions"}, nil
	case ledger.StepRewardCollection:
		collectables, err := platform.CollectableRewards(ctx, d.ContactUUID)
		if err != nil {
			return verdict{}, unavailable(err)
		}
		i := slices.IndexFunc(collectables, func(c loyalty.CollectableReward) bool { return c.UUID == d.CollectableUUID })
		if i >= 0 && !collectables[i].Collected {
			return verdict{state: notYet}, nil
		}
		// Collected rewards leave the list: gone means handed over.
		return verdict{state: wasApplied}, nil
	case ledger.StepGiftcardDebit, ledger.StepGiftcardLoad, ledger.StepGiftcardRefund:
		if d.GiftcardCode == "" {
			return verdict{state: notYet}, nil // a digital card not created yet
		}
		// The transaction carries the step's tag: found means it happened.
		uuid, found, err := platform.GiftcardTransactionByTag(ctx, d.GiftcardCode, d.Tag)
		switch {
		case err != nil:
			return verdict{}, unavailable(err)
		case found:
			return verdict{state: wasApplied, result: writeResult{leatUUID: uuid}}, nil
		}
		return verdict{state: notYet}, nil
	case ledger.StepPrepaidDebit:
		// Prepaid transactions carry no tag: a payment of the amount at the
		// shop since the intent, which no other step names, is this one.
		return s.byPrepaidTransaction(ctx, st, step, -d.Amount)
	case ledger.StepPrepaidTopUp, ledger.StepPrepaidRefund:
		return s.byPrepaidTransaction(ctx, st, step, d.Amount)
	case ledger.StepOrderReturn:
		// A return that took points shows in the balance; one that took
		// none is sent again, and Leat refuses its external identifier if
		// it has it (see returnRecorded).
		customer, err := platform.Customer(ctx, d.ContactUUID)
		switch {
		case err != nil:
			return verdict{}, unavailable(err)
		case d.PointsBefore == nil:
			return verdict{state: cannotTell, why: "the balance before the return is not known"}, nil
		case customer.Points == *d.PointsBefore:
			return verdict{state: notYet}, nil
		}
		points, after := customer.Points-*d.PointsBefore, customer.Points
		return verdict{state: wasApplied, result: writeResult{details: func(d *ledger.StepDetails) { d.PointsEarned, d.PointsAfter = &points, &after }}}, nil
	case ledger.StepOrder:
		uuid, err := platform.FindOrder(ctx, d.ExternalID)
		switch {
		case errors.Is(err, ErrOrderNotFound):
			return verdict{state: notYet}, nil
		case err != nil:
			return verdict{}, unavailable(err)
		}
		return verdict{state: wasApplied, result: writeResult{leatUUID: uuid}}, nil
	}
	return verdict{state: cannotTell, why: "no rule reconciles " + string(step.Kind())}, nil
}

// byPrepaidTransaction finds a lost prepaid write among the contact's
// transactions, which carry no tag: one of the amount (signed) at the shop
// since the intent, which no other step names, is it; none means it did not
// happen; more than one cannot be told apart.
func (s *Service) byPrepaidTransaction(ctx context.Context, st sagaStep, step ledger.Step, amount int64) (verdict, error) {
	transactions, err := st.acc.platform.PrepaidTransactions(ctx, step.Details.ContactUUID, st.acc.location.ShopUUID)
	if err != nil {
		return verdict{}, unavailable(err)
	}
	var candidates []string
	for _, tx := range transactions {
		if tx.Amount == amount && !tx.At.Before(step.IntentAt.Add(-clockSkew)) && !namedByAnotherStep(st.steps, step.ID, tx.UUID) {
			candidates = append(candidates, tx.UUID)
		}
	}
	switch len(candidates) {
	case 0:
		return verdict{state: notYet}, nil
	case 1:
		return verdict{state: wasApplied, result: writeResult{leatUUID: candidates[0]}}, nil
	}
	return verdict{state: cannotTell, why: fmt.Sprintf("%d prepaid transactions of %d fit; Leat does not say which is this checkout's", len(candidates), amount)}, nil
}

// clockSkew allows for Leat's clock being behind the gateway's when a
// transaction's time is compared with an intent's.
const clockSkew = 2 * time.Minute

// byBalance tells whether a points move of delta happened from the
// customer's balance before and now.
func (s *Service) byBalance(ctx context.Context, st sagaStep, d ledger.StepDetails, delta int64, what string) (verdict, error) {
	if d.PointsBefore == nil {
		return verdict{state: cannotTell, why: "the balance before the " + what + " is not known"}, nil
	}
	customer, err := st.acc.platform.Customer(ctx, d.ContactUUID)
	if err != nil {
		return verdict{}, unavailable(err)
	}
	switch customer.Points {
	case *d.PointsBefore + delta:
		after := customer.Points
		return verdict{state: wasApplied, result: writeResult{details: func(d *ledger.StepDetails) { d.PointsAfter = &after }}}, nil
	case *d.PointsBefore:
		return verdict{state: notYet}, nil
	}
	return verdict{state: cannotTell, why: fmt.Sprintf("the balance went from %d to %d, which no outcome of the %s explains",
		*d.PointsBefore, customer.Points, what)}, nil
}

func namedByAnotherStep(steps []ledger.Step, self ledger.StepID, uuid string) bool {
	return slices.ContainsFunc(steps, func(s ledger.Step) bool { return s.ID != self && s.LeatUUID == uuid })
}

// unavailable is a failed read during reconciliation: worth a retry when
// Leat was down, a plain failure otherwise.
func unavailable(err error) error {
	// An answer Leat garbled once may read well on the next try, so the
	// saga retries it like an outage before it gives up.
	if errors.Is(err, loyalty.ErrPlatformUnavailable) || errors.Is(err, loyalty.ErrPlatformBadResponse) {
		return &LeatUnavailableError{Err: err}
	}
	return err
}
