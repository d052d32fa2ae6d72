package checkout

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/loyalty"
)

// reverse undoes a step of the reserve phase through its reversing state, so
// a reversal whose answer is lost is reconciled like any other write.
func (s *Service) reverse(ctx context.Context, st sagaStep, step ledger.Step) (StepResult, error) {
	switch step.State {
	case ledger.StepReversed:
		return StepResult{Step: step.ID, Outcome: OutcomeReversed}, nil
	case ledger.StepFailed:
		return StepResult{Step: step.ID, Outcome: OutcomeSkipped}, nil
	case ledger.StepNeedsAttention, ledger.StepPending:
		return StepResult{Step: step.ID, Outcome: OutcomeNeedsAttention, Code: step.FailureCode}, nil
	case ledger.StepDone:
		if keptCollectable(st.c, step) {
			return StepResult{Step: step.ID, Outcome: OutcomeKept}, nil
		}
		return s.beginReversal(ctx, st, step)
	}
	if step.Leased(s.now()) {
		return StepResult{}, &StepInFlightError{Step: step.ID}
	}
	if !step.Unapplied {
		v, err := s.reconcileReversal(ctx, st, step)
		if err != nil {
			return StepResult{}, err
		}
		switch v.state {
		case wasApplied:
			return s.recordReversal(ctx, st, step, writeResult{}, nil)
		case cannotTell:
			return s.giveUp(ctx, st, step, "reversal_unknown", v.why)
		}
	}
	step, err := step.Retry(s.now(), s.now().Add(s.Lease))
	if err != nil {
		return StepResult{}, err
	}
	if step, err = s.ledger.SaveStep(ctx, st.c.Tenant, step); err != nil {
		return StepResult{}, s.storeError(err, step.ID)
	}
	result, err := s.callReversal(ctx, st, step)
	return s.recordReversal(ctx, st, step, result, err)
}

// beginReversal records the intent to undo a done step, with what
// reconciliation will compare against, then makes the call.
func (s *Service) beginReversal(ctx context.Context, st sagaStep, step ledger.Step) (StepResult, error) {
	if step.Kind() == ledger.StepVoucherRedemption && step.LeatUUID == "" {
		next, err := step.BeginReversal(nil, s.now(), s.now())
		if err != nil {
			return StepResult{}, err
		}
		return s.giveUp(ctx, st, next, "reversal_impossible",
			"the redemption happened but Leat's answer naming it was lost; reverse it in Leat's dashboard")
	}
	var before *int64
	switch step.Kind() {
	case ledger.StepRewardReception:
		customer, err := st.acc.platform.Customer(ctx, step.Details.ContactUUID)
		if err != nil {
			return StepResult{}, unavailable(err)
		}
		before = &customer.Points
	case ledger.StepVoucherRedemption:
		v, err := st.acc.platform.VoucherByCode(ctx, step.Details.VoucherCode)
		if err != nil {
			return StepResult{}, unavailable(err)
		}
		remaining := int64(-1)
		if v.RedemptionsRemaining != nil {
			remaining = *v.RedemptionsRemaining
		}
		step.Details.RedemptionsBefore = &remaining
	case ledger.StepGiftcardDebit, ledger.StepPrepaidDebit, ledger.StepGiftcardLoad, ledger.StepPrepaidTopUp:
		balance, err := s.tenderBalance(ctx, st, step.Details, tenderType(step.Kind()))
		if err != nil {
			return StepResult{}, err
		}
		step.Details.BalanceBefore = &balance
	}
	next, err := step.BeginReversal(before, s.now(), s.now().Add(s.Lease))
	if err != nil {
		return StepResult{}, err
	}
	if next, err = s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
		return StepResult{}, s.storeError(err, step.ID)
	}
	result, err := s.callReversal(ctx, st, next)
	return s.recordReversal(ctx, st, next, result, err)
}

// callReversal makes the Leat call that undoes a step.
func (s *Service) callReversal(ctx context.Context, st sagaStep, step ledger.Step) (writeResult, error) {
	d, platform, shop := step.Details, st.acc.platform, st.acc.location.ShopUUID
	var (
		uuid string
		err  error
	)
	switch step.Kind() {
	case ledger.StepRewardReception:
		if step.LeatUUID == "" {
			// The reception happened but its answer was lost: give the points
			// back as a credit reception instead of reversing it by name.
			uuid, err = platform.GrantPoints(ctx, d.ContactUUID, shop, d.Points)
		} else {
			uuid, err = platform.ReverseRewardReception(ctx, step.LeatUUID)
		}
	case ledger.StepVoucherLock:
		err = platform.ReleaseVoucher(ctx, d.VoucherUUID, d.ReleaseKey)
		if outcomeOf(err) == rejected {
			// A lock that ended by itself needs no release, and Leat may
			// refuse its stale key.
			if v, findErr := platform.VoucherByCode(ctx, d.VoucherCode); findErr == nil && v.Status != loyalty.VoucherLocked {
				err = nil
			}
		}
	case ledger.StepVoucherRedemption:
		err = platform.ReverseVoucherRedemption(ctx, step.LeatUUID)
	case ledger.StepGiftcardDebit:
		uuid, err = platform.ReverseGiftcardTransaction(ctx, step.LeatUUID)
		if errors.Is(err, ErrNotLastTransaction) {
			// The card was used since: Leat reverses only its last
			// transaction, so the money goes back as a credit instead.
			uuid, err = platform.CreditGiftcard(ctx, d.GiftcardUUID, shop, d.Amount, d.Tag+"/credit")
			return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.ReversedBy = "credit" }}, err
		}
		return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.ReversedBy = "reverse" }}, err
	case ledger.StepPrepaidDebit, ledger.StepPrepaidTopUp:
		uuid, err = platform.ReversePrepaidTransaction(ctx, step.LeatUUID)
	case ledger.StepRewardCollection:
		err = platform.ReverseRewardCollection(ctx, cmp.Or(step.LeatUUID, d.CollectableUUID))
	case ledger.StepGiftcardLoad:
		uuid, err = platform.ReverseGiftcardTransaction(ctx, step.LeatUUID)
		if errors.Is(err, ErrNotLastTransaction) {
			// The card was used since: the loaded money is taken back by a
			// payment instead, which Leat refuses if the card no longer holds it.
			uuid, err = platform.DebitGiftcard(ctx, d.GiftcardUUID, shop, d.Amount, d.Tag+"/take-back")
			return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.ReversedBy = "debit" }}, err
		}
		return writeResult{leatUUID: uuid, details: func(d *ledger.StepDetails) { d.ReversedBy = "reverse" }}, err
	default:
		err = fmt.Errorf("checkout: %s has no reversal", step.ID)
	}
	return writeResult{leatUUID: uuid}, err
}

func (s *Service) recordReversal(ctx context.Context, st sagaStep, step ledger.Step, result writeResult, callErr error) (StepResult, error) {
	log := logging.From(ctx).With("step", string(step.ID), "attempt", step.Attempts)
	uuid := result.leatUUID
	switch outcomeOf(callErr) {
	case applied:
		next, err := step.Reverse(uuid, s.now())
		if err != nil {
			return StepResult{}, err
		}
		if result.details != nil {
			result.details(&next.Details)
		}
		if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
			return StepResult{}, s.storeError(err, step.ID)
		}
		log.Info("Leat write reversed", "reversal_uuid", uuid)
		return StepResult{Step: step.ID, Outcome: OutcomeReversed}, nil
	case rejected:
		return s.giveUp(ctx, st, step, reasonOf(callErr), "Leat refused the reversal: "+callErr.Error())
	}
	unapplied := outcomeOf(callErr) == notApplied
	next, err := step.Release(unapplied)
	if err != nil {
		return StepResult{}, err
	}
	if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
		return StepResult{}, s.storeError(err, step.ID)
	}
	if unapplied {
		return StepResult{}, &LeatUnavailableError{Err: callErr}
	}
	log.Warn("the answer of a Leat reversal was lost; reconciling before anything else", "error", callErr.Error())
	return StepResult{}, &OutcomeUnknownError{Step: step.ID}
}

// reconcileReversal settles a reversing step whose call ended without an answer.
func (s *Service) reconcileReversal(ctx context.Context, st sagaStep, step ledger.Step) (verdict, error) {
	d := step.Details
	switch step.Kind() {
	case ledger.StepRewardReception:
		return s.byBalance(ctx, st, d, d.Points, "reversal")
	case ledger.StepGiftcardDebit, ledger.StepPrepaidDebit, ledger.StepGiftcardLoad, ledger.StepPrepaidTopUp:
		// The balance before the reversal moved by the amount means it
		// happened: up for a debit given back, down for a load taken back.
		if d.BalanceBefore == nil {
			return verdict{state: cannotTell, why: "the balance before the reversal is not known"}, nil
		}
		balance, err := s.tenderBalance(ctx, st, d, tenderType(step.Kind()))
		if err != nil {
			return verdict{}, err
		}
		delta := d.Amount
		if step.Kind() == ledger.StepGiftcardLoad || step.Kind() == ledger.StepPrepaidTopUp {
			delta = -d.Amount
		}
		switch balance {
		case *d.BalanceBefore + delta:
			return verdict{state: wasApplied}, nil
		case *d.BalanceBefore:
			return verdict{state: notYet}, nil
		}
		return verdict{state: cannotTell, why: fmt.Sprintf("the balance went from %d to %d, which no outcome of moving %d explains", *d.BalanceBefore, balance, delta)}, nil
	case ledger.StepRewardCollection:
		// A reversed collection makes the reward collectable again.
		collectables, err := st.acc.platform.CollectableRewards(ctx, d.ContactUUID)
		if err != nil {
			return verdict{}, unavailable(err)
		}
		if slices.ContainsFunc(collectables, func(c loyalty.CollectableReward) bool { return c.UUID == d.CollectableUUID && !c.Collected }) {
			return verdict{state: wasApplied}, nil
		}
		return verdict{state: notYet}, nil
	case ledger.StepVoucherLock, ledger.StepVoucherRedemption:
		v, err := st.acc.platform.VoucherByCode(ctx, d.VoucherCode)
		if err != nil {
			return verdict{}, unavailable(err)
		}
		if step.Kind() == ledger.StepVoucherLock {
			if v.Status == loyalty.VoucherLocked {
				return verdict{state: notYet}, nil
			}
			return verdict{state: wasApplied}, nil
		}
		switch {
		case d.RedemptionsBefore != nil && *d.RedemptionsBefore >= 0 && v.RedemptionsRemaining != nil:
			if *v.RedemptionsRemaining > *d.RedemptionsBefore {
				return verdict{state: wasApplied}, nil
			}
			return verdict{state: notYet}, nil
		case v.Status == loyalty.VoucherActive:
			return verdict{state: wasApplied}, nil
		case v.Status == loyalty.VoucherRedeemed:
			return verdict{state: notYet}, nil
		}
		return verdict{state: cannotTell, why: "the voucher is " + string(v.Status)}, nil
	}
	return verdict{state: cannotTell, why: "no rule reconciles the reversal of " + string(step.Kind())}, nil
}
