package checkout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// reserveDetails are what a reserve step records with its intent.
func (s *Service) reserveDetails(st sagaStep, id ledger.StepID) (ledger.StepDetails, error) {
	i, c := itemIndex(id.Item()), st.c
	switch id.Kind() {
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
	case ledger.StepOrder:
		res, err := platform.CreateOrder(ctx, orderOf(st.c, st.steps, d))
		return writeResult{leatUUID: res.UUID, details: func(d *ledger.StepDetails) {
			d.PointsEarned, d.PointsAfter = &res.PointsEarned, &res.PointsBalance
		}}, err
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
	if errors.Is(err, loyalty.ErrPlatformUnavailable) {
		return &LeatUnavailableError{Err: err}
	}
	return err
}
