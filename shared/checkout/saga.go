package checkout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// CheckoutRequest is the input of the saga's steps that act on the whole checkout.
type CheckoutRequest struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
}

// StepRequest is the input of a step that acts on one basket item.
type StepRequest struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	Step       ledger.StepID     `json:"step"`
}

// StepOutcome is how one item's step ended, as the state machine sees it.
type StepOutcome string

// The outcomes of an item's step.
const (
	OutcomeDone     StepOutcome = "done"
	OutcomeRefused  StepOutcome = "refused"
	OutcomeReversed StepOutcome = "reversed"
	// OutcomeKept: a pre-redeemed reward stays collectable for a later visit
	// instead of being reversed, as the strategy promises.
	OutcomeKept StepOutcome = "kept"
	// OutcomeSkipped: nothing to do (never written, or refused by Leat).
	OutcomeSkipped        StepOutcome = "skipped"
	OutcomeNeedsAttention StepOutcome = "needs_attention"
)

// StepResult is a step's output.
type StepResult struct {
	Step    ledger.StepID `json:"step"`
	Outcome StepOutcome   `json:"outcome"`
	Code    string        `json:"code,omitempty"`
}

// Decision is where the saga goes after the reserve phase.
type Decision string

// The decisions of the review.
const (
	DecisionAwaitPayment Decision = "await_payment"
	DecisionCompensate   Decision = "compensate"
)

// Review is the reserve phase's verdict, renewed after each tender added
// while the checkout awaits payment.
type Review struct {
	Decision Decision `json:"decision"`
	// PaymentTimeoutSeconds is how long the saga still waits for the POS.
	PaymentTimeoutSeconds int64 `json:"payment_timeout_seconds"`
	// Compensate gives back the reserve phase and the added tenders, newest first.
	Compensate []ledger.StepID `json:"compensate"`
}

// AwaitRequest hands the waiting task's token to the checkout.
type AwaitRequest struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	TaskToken  string            `json:"task_token"`
}

// PaymentEvent resumes the waiting saga: the payment's outcome, or a tender
// added while it waits (Outcome EventTender, Step its debit).
type PaymentEvent struct {
	Outcome ledger.PaymentOutcome `json:"outcome"`
	Step    ledger.StepID         `json:"step,omitempty"`
}

// EventTender resumes the waiting saga to debit a tender added meanwhile.
const EventTender ledger.PaymentOutcome = "tender"

// CloseRequest ends the saga.
type CloseRequest struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	// Outcome is what the saga's path aimed at: completed or cancelled.
	Outcome ledger.CheckoutStatus `json:"outcome"`
}

// Closed is how the checkout ended.
type Closed struct {
	Status ledger.CheckoutStatus `json:"status"`
}

// sagaStep is one step invocation: the checkout, its steps and its account.
type sagaStep struct {
	c     ledger.Checkout
	steps []ledger.Step
	acc   account
	// returns are the order's returns, for the steps of a return.
	returns []ledger.Return
}

func (s *Service) begin(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID) (context.Context, sagaStep, error) {
	c, steps, err := s.load(ctx, tenant, id)
	if err != nil {
		return ctx, sagaStep{}, err
	}
	ctx = logger(ctx, c)
	if c.ExecutionARN != "" {
		ctx = logging.With(ctx, logging.ExecutionARN, c.ExecutionARN)
	}
	acc, err := s.tenantAccount(ctx, c)
	if err != nil {
		return ctx, sagaStep{}, err
	}
	return ctx, sagaStep{c: c, steps: steps, acc: acc}, nil
}

// ReserveItem performs one write of the reserve phase: a reward reception
// or pre-redeem, a voucher lock or redemption.
func (s *Service) ReserveItem(ctx context.Context, req StepRequest) (StepResult, error) {
	ctx, st, err := s.begin(ctx, req.Tenant, req.CheckoutID)
	if err != nil {
		return StepResult{}, err
	}
	step, found := findStep(st.steps, req.Step)
	if !found {
		// A tender may also be added while the checkout awaits payment.
		addedTender := st.c.Status == ledger.CheckoutAwaitingPayment && req.Step.Kind() != ledger.StepRewardReception
		if st.c.Status != ledger.CheckoutReserving && !addedTender {
			return StepResult{Step: req.Step, Outcome: OutcomeSkipped}, nil
		}
		details, err := s.reserveDetails(ctx, st, req.Step)
		if err != nil {
			return StepResult{}, err
		}
		return s.writeNew(ctx, st, req.Step, details)
	}
	return s.carryOn(ctx, st, step)
}

// ConfirmItem performs one write of the confirm phase: redeem a locked
// voucher, collect a reward.
func (s *Service) ConfirmItem(ctx context.Context, req StepRequest) (StepResult, error) {
	ctx, st, err := s.begin(ctx, req.Tenant, req.CheckoutID)
	if err != nil {
		return StepResult{}, err
	}
	var result StepResult
	if step, found := findStep(st.steps, req.Step); found {
		result, err = s.carryOn(ctx, st, step)
	} else {
		details, detailsErr := s.confirmDetails(st, req.Step)
		if detailsErr != nil {
			return StepResult{}, detailsErr
		}
		result, err = s.writeNew(ctx, st, req.Step, details)
	}
	// A card loaded, whether the answer came or reconciliation found it, is
	// emailed; a card the ledger says was emailed is not emailed again.
	if err == nil && result.Outcome == OutcomeDone && req.Step.Kind() == ledger.StepGiftcardLoad {
		s.sendDigitalCard(ctx, st, req.Step)
	}
	return result, err
}

// beginCompensating moves a checkout the saga gives back, if nobody did:
// the payment's deadline passed, or a payment reported as the deadline
// struck lost to it.
func (s *Service) beginCompensating(ctx context.Context, c ledger.Checkout) error {
	if c.Status == ledger.CheckoutCompensating || c.Status.Final() {
		return nil
	}
	_, err := s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
		if c.Status == ledger.CheckoutCompensating || c.Status.Final() {
			return errUnchanged
		}
		if c.Payment == nil {
			c.Payment = &ledger.Payment{Outcome: ledger.PaymentTimedOut, At: s.now().UTC()}
		}
		moved, err := c.MoveTo(ledger.CheckoutCompensating, s.now())
		*c = moved
		return err
	})
	if err != nil {
		return &StoreUnavailableError{Err: err}
	}
	return nil
}

// writeNew records a step's intent and calls Leat. When another invocation
// recorded it first, that one's step is carried on instead.
func (s *Service) writeNew(ctx context.Context, st sagaStep, id ledger.StepID, details ledger.StepDetails) (StepResult, error) {
	now := s.now()
	step, created, err := s.ledger.RecordIntent(ctx, st.c.Tenant, ledger.NewStep(st.c.ID, id, details, now, now.Add(s.Lease)))
	if err != nil {
		return StepResult{}, &StoreUnavailableError{Err: err}
	}
	if !created {
		return s.carryOn(ctx, st, step)
	}
	return s.write(ctx, st, step)
}

// carryOn continues a step found in the ledger: a recorded result is
// answered as is, and an unknown outcome is reconciled with Leat first.
func (s *Service) carryOn(ctx context.Context, st sagaStep, step ledger.Step) (StepResult, error) {
	return s.settle(ctx, st, step, true)
}

// settle answers a step's recorded result, or reconciles its unknown
// outcome. A write that did not happen is made now when write is set, and
// otherwise recorded as never made: compensation does not write first to
// undo after.
func (s *Service) settle(ctx context.Context, st sagaStep, step ledger.Step, write bool) (StepResult, error) {
	switch step.State {
	case ledger.StepDone:
		return StepResult{Step: step.ID, Outcome: OutcomeDone}, nil
	case ledger.StepFailed:
		return StepResult{Step: step.ID, Outcome: OutcomeRefused, Code: step.FailureCode}, nil
	case ledger.StepPending:
	default:
		return StepResult{Step: step.ID, Outcome: OutcomeNeedsAttention, Code: step.FailureCode}, nil
	}
	if step.Leased(s.now()) {
		return StepResult{}, &StepInFlightError{Step: step.ID}
	}
	if !step.Unapplied {
		verdict, err := s.reconcileWrite(ctx, st, step)
		if err != nil {
			return StepResult{}, err
		}
		switch verdict.state {
		case wasApplied:
			return s.record(ctx, st, step, verdict.result, nil)
		case cannotTell:
			return s.giveUp(ctx, st, step, "outcome_unknown", verdict.why)
		case refusedInstead:
			return s.record(ctx, st, step, writeResult{}, verdict.refusal)
		}
	}
	if !write {
		return s.record(ctx, st, step, writeResult{}, fmt.Errorf("%w: never applied; the checkout was given back first", loyalty.ErrPlatformRejected))
	}
	step, err := step.Retry(s.now(), s.now().Add(s.Lease))
	if err != nil {
		return StepResult{}, err
	}
	if step, err = s.ledger.SaveStep(ctx, st.c.Tenant, step); err != nil {
		return StepResult{}, s.storeError(err, step.ID)
	}
	return s.write(ctx, st, step)
}

// storeError turns a lost race for a step into "someone else is on it".
func (s *Service) storeError(err error, id ledger.StepID) error {
	if errors.Is(err, ledger.ErrConflict) {
		return &StepInFlightError{Step: id}
	}
	return &StoreUnavailableError{Err: err}
}

// writeResult is what a Leat write answered.
type writeResult struct {
	leatUUID string
	details  func(*ledger.StepDetails)
}

// write calls Leat for a pending step this invocation holds the lease of,
// and records the answer.
func (s *Service) write(ctx context.Context, st sagaStep, step ledger.Step) (StepResult, error) {
	if step.Kind() == ledger.StepGiftcardLoad && step.Details.GiftcardUUID == "" {
		created, err := s.createDigitalCard(ctx, st, step)
		var inFlight *StepInFlightError
		var store *StoreUnavailableError
		switch {
		case errors.As(err, &inFlight) || errors.As(err, &store):
			return StepResult{}, err
		case outcomeOf(err) == unknown:
			// A card may have been created, empty: only a recorded card is
			// ever loaded, so the load is as unapplied as if there were none.
			return s.record(ctx, st, step, writeResult{}, fmt.Errorf("%w: creating the card: %v", loyalty.ErrPlatformUnavailable, err))
		case err != nil:
			return s.record(ctx, st, step, writeResult{}, err)
		}
		step = created
	}
	result, err := s.call(ctx, st, step)
	// A partial tender whose balance moved since it was read takes what is
	// there now, once, and never more than it was asked for.
	if t, partial := partialTender(st.c, step); partial && outcomeOf(err) == rejected && step.Attempts == 1 &&
		(errors.Is(err, loyalty.ErrGiftcardInsufficientBalance) || errors.Is(err, loyalty.ErrPrepaidInsufficientBalance)) {
		balance, readErr := s.tenderBalance(ctx, st, step.Details, t.Type)
		if readErr != nil || balance <= 0 {
			return s.record(ctx, st, step, result, err)
		}
		if step, err = step.Retry(s.now(), s.now().Add(s.Lease)); err != nil {
			return StepResult{}, err
		}
		step.Details.Amount, step.Details.BalanceBefore = min(t.Amount, balance), &balance
		if step, err = s.ledger.SaveStep(ctx, st.c.Tenant, step); err != nil {
			return StepResult{}, s.storeError(err, step.ID)
		}
		result, err = s.call(ctx, st, step)
	}
	return s.record(ctx, st, step, result, err)
}

// sendDigitalCard emails a loaded digital card to its buyer: the checkout's
// customer, or the email the POS gave. The card is loaded either way, and its
// code and balance page are on the receipt, so a failure is logged and tried
// once more when the checkout completes, never failing the saga.
func (s *Service) sendDigitalCard(ctx context.Context, st sagaStep, id ledger.StepID) {
	if i := itemIndex(id.Item()); i < 0 || i >= len(st.c.Basket.GiftcardSales) || !st.c.Basket.GiftcardSales[i].Digital() {
		return
	}
	_, steps, err := s.load(ctx, st.c.Tenant, st.c.ID)
	if err != nil {
		logging.From(ctx).Warn("the digital giftcard's step could not be read to email it", "step", string(id), "error", err.Error())
		return
	}
	step, _ := findStep(steps, id)
	if step.State != ledger.StepDone || step.Details.Emailed {
		return
	}
	log := logging.From(ctx).With("step", string(id))
	contact := step.Details.ContactUUID
	if email := step.Details.Email; email != "" {
		customer, err := st.acc.platform.FindOrCreateCustomer(ctx, email)
		if err != nil {
			log.Warn("the digital giftcard's buyer could not be found", "error", err.Error())
			return
		}
		contact = customer.UUID
	}
	if contact == "" {
		return
	}
	if err := st.acc.platform.SendGiftcard(ctx, step.Details.GiftcardUUID, contact); err != nil {
		log.Warn("the digital giftcard was loaded but not emailed", "error", err.Error())
		return
	}
	step.Details.Emailed = true
	if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, step); err != nil {
		log.Warn("the digital giftcard was emailed but the ledger did not learn it", "error", err.Error())
	}
}

// createDigitalCard creates the card a digital sale loads and records it on
// the step before any money moves. A card created twice after a lost answer
// stays empty: only the recorded one is ever loaded.
func (s *Service) createDigitalCard(ctx context.Context, st sagaStep, step ledger.Step) (ledger.Step, error) {
	i := itemIndex(step.Item())
	card, err := st.acc.platform.CreateDigitalGiftcard(ctx, st.c.Basket.GiftcardSales[i].ProgramUUID)
	if err != nil {
		return step, err
	}
	step.Details.GiftcardUUID, step.Details.GiftcardCode, step.Details.BalanceURL = card.UUID, card.Code, card.BalanceURL
	saved, err := s.ledger.SaveStep(ctx, st.c.Tenant, step)
	if err != nil {
		return step, s.storeError(err, step.ID)
	}
	return saved, nil
}

// partialTender is the tender of a debit step that may take less than asked.
func partialTender(c ledger.Checkout, step ledger.Step) (ledger.TenderItem, bool) {
	if step.Kind() != ledger.StepGiftcardDebit && step.Kind() != ledger.StepPrepaidDebit {
		return ledger.TenderItem{}, false
	}
	i := itemIndex(step.Item())
	if i < 0 || i >= len(c.Basket.Tenders) {
		return ledger.TenderItem{}, false
	}
	return c.Basket.Tenders[i], c.Basket.Tenders[i].AllowPartial
}

func (s *Service) record(ctx context.Context, st sagaStep, step ledger.Step, result writeResult, callErr error) (StepResult, error) {
	log := logging.From(ctx).With("step", string(step.ID), "attempt", step.Attempts)
	var (
		out  StepResult
		next ledger.Step
		err  error
	)
	switch outcomeOf(callErr) {
	case applied:
		next, err = step.Succeed(result.leatUUID, s.now())
		if result.details != nil {
			result.details(&next.Details)
		}
		out = StepResult{Step: step.ID, Outcome: OutcomeDone}
		log.Info("Leat write done", "leat_uuid", result.leatUUID)
	case rejected:
		code := reasonOf(callErr)
		next, err = step.Fail(code, callErr.Error(), s.now())
		out = StepResult{Step: step.ID, Outcome: OutcomeRefused, Code: code}
		log.Info("Leat refused the write", "code", code, "error", callErr.Error())
	case notApplied:
		if next, err = step.Release(true); err == nil {
			if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
				return StepResult{}, s.storeError(err, step.ID)
			}
		}
		log.Warn("Leat unavailable; the write was not applied", "error", callErr.Error())
		return StepResult{}, &LeatUnavailableError{Err: callErr}
	case unknown:
		if next, err = step.Release(false); err == nil {
			if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
				return StepResult{}, s.storeError(err, step.ID)
			}
		}
		log.Warn("the answer of a Leat write was lost; reconciling before anything else", "error", callErr.Error())
		return StepResult{}, &OutcomeUnknownError{Step: step.ID}
	}
	if err != nil {
		return StepResult{}, err
	}
	if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
		// Leat acted but the ledger did not learn it: the step stays pending
		// and the retry reconciles it.
		return StepResult{}, s.storeError(err, step.ID)
	}
	return out, nil
}

// giveUp marks a step that Leat cannot settle for an operator.
func (s *Service) giveUp(ctx context.Context, st sagaStep, step ledger.Step, code, why string) (StepResult, error) {
	next, err := step.NeedAttention(code, why, s.now())
	if err != nil {
		return StepResult{}, err
	}
	if _, err := s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
		return StepResult{}, s.storeError(err, step.ID)
	}
	logging.From(ctx).Error("a checkout step needs attention", "step", string(step.ID), "code", code, "reason", why)
	return StepResult{Step: step.ID, Outcome: OutcomeNeedsAttention, Code: code}, nil
}

// ReviewReservation ends the reserve phase: every write done means the
// checkout awaits payment; anything else gives it all back.
func (s *Service) ReviewReservation(ctx context.Context, req CheckoutRequest) (Review, error) {
	ctx, st, err := s.begin(ctx, req.Tenant, req.CheckoutID)
	if err != nil {
		return Review{}, err
	}
	var review Review
	_, err = s.update(ctx, req.Tenant, req.CheckoutID, func(c *ledger.Checkout) error {
		review = Review{Compensate: compensationPlan(*c)}
		switch c.Status {
		case ledger.CheckoutAwaitingPayment, ledger.CheckoutConfirming:
			// After a tender added while waiting: the deadline stays, and a
			// payment reported meanwhile is picked up by the next wait.
			c.Totals.Tendered = tendered(st.steps)
			c.Totals.Due = c.Totals.Lines - c.Totals.Discounts - c.Totals.Tendered
			review.Decision, review.PaymentTimeoutSeconds = DecisionAwaitPayment, secondsUntil(c.PaymentDeadline, s.now())
			return nil
		case ledger.CheckoutReserving:
		default:
			review.Decision = DecisionCompensate
			return nil
		}
		refusal := firstRefusal(*c, st.steps)
		cancelled := c.Payment != nil && c.Payment.Outcome != ledger.PaymentPaid
		if refusal == nil && !cancelled {
			c.Totals.Tendered = tendered(st.steps)
			c.Totals.Due = c.Totals.Lines - c.Totals.Discounts - c.Totals.Tendered
			c.PaymentDeadline = s.now().Add(st.acc.tenant.PaymentWindow(holdsVoucherLock(*c))).UTC()
			review.Decision, review.PaymentTimeoutSeconds = DecisionAwaitPayment, secondsUntil(c.PaymentDeadline, s.now())
			moved, err := c.MoveTo(ledger.CheckoutAwaitingPayment, s.now())
			*c = moved
			return err
		}
		c.Refusal, review.Decision = refusal, DecisionCompensate
		moved, err := c.MoveTo(ledger.CheckoutCompensating, s.now())
		*c = moved
		return err
	})
	if err != nil {
		return Review{}, &StoreUnavailableError{Err: err}
	}
	logging.From(ctx).Info("reserve phase reviewed", "decision", string(review.Decision), "payment_timeout_seconds", review.PaymentTimeoutSeconds)
	return review, nil
}

// firstRefusal is the first reserve item, in basket order, that is not done.
func firstRefusal(c ledger.Checkout, steps []ledger.Step) *ledger.Refusal {
	for _, id := range reservePlan(c) {
		step, found := findStep(steps, id)
		switch {
		case found && step.State == ledger.StepDone:
			continue
		case found && step.FailureCode != "":
			return &ledger.Refusal{Item: id.Item(), Code: step.FailureCode, Detail: step.Failure}
		default:
			return &ledger.Refusal{Item: id.Item(), Code: "leat_unavailable", Detail: "Leat did not answer in time"}
		}
	}
	return nil
}

// tendered is what the giftcard and prepaid debits took.
func tendered(steps []ledger.Step) int64 {
	var sum int64
	for _, s := range steps {
		if (s.Kind() == ledger.StepGiftcardDebit || s.Kind() == ledger.StepPrepaidDebit) && s.State == ledger.StepDone {
			sum += s.Details.Amount
		}
	}
	return sum
}

func secondsUntil(deadline, now time.Time) int64 {
	return max(int64((deadline.Sub(now)+time.Second-1)/time.Second), 1)
}

// AwaitPayment keeps the waiting task's token on the checkout, where the
// payment callback finds it. A payment reported before the token arrived is
// handed to the saga at once.
func (s *Service) AwaitPayment(ctx context.Context, req AwaitRequest) (struct{}, error) {
	var reported *ledger.Payment
	_, err := s.update(ctx, req.Tenant, req.CheckoutID, func(c *ledger.Checkout) error {
		c.TaskToken, reported = req.TaskToken, c.Payment
		return nil
	})
	if err != nil {
		return struct{}{}, &StoreUnavailableError{Err: err}
	}
	if reported == nil {
		return struct{}{}, nil
	}
	err = s.executions.Resume(ctx, req.TaskToken, PaymentEvent{Outcome: reported.Outcome})
	if err != nil && !errors.Is(err, ErrTaskGone) {
		return struct{}{}, err
	}
	return struct{}{}, nil
}

// CompensateItem undoes one write of the reserve phase, after reconciling it
// if its outcome is unknown. Pre-redeemed rewards stay collectable.
func (s *Service) CompensateItem(ctx context.Context, req StepRequest) (StepResult, error) {
	ctx, st, err := s.begin(ctx, req.Tenant, req.CheckoutID)
	if err != nil {
		return StepResult{}, err
	}
	if err := s.beginCompensating(ctx, st.c); err != nil {
		return StepResult{}, err
	}
	step, found := findStep(st.steps, req.Step)
	if !found {
		return StepResult{Step: req.Step, Outcome: OutcomeSkipped}, nil
	}
	if step.State == ledger.StepPending {
		settled, err := s.settle(ctx, st, step, false)
		if err != nil {
			return StepResult{}, err
		}
		if settled.Outcome != OutcomeDone {
			if settled.Outcome == OutcomeRefused {
				settled.Outcome = OutcomeSkipped
			}
			return settled, nil
		}
		if _, steps, err := s.load(ctx, req.Tenant, req.CheckoutID); err == nil {
			step, _ = findStep(steps, req.Step)
		} else {
			return StepResult{}, err
		}
	}
	return s.reverse(ctx, st, step)
}

// Close ends the saga: the checkout is completed or cancelled if the ledger
// agrees, or needs attention, which an alarm reports.
func (s *Service) Close(ctx context.Context, req CloseRequest) (Closed, error) {
	ctx, st, err := s.begin(ctx, req.Tenant, req.CheckoutID)
	if err != nil {
		return Closed{}, err
	}
	if err := s.markUnresolved(ctx, st, req.Outcome); err != nil {
		return Closed{}, err
	}
	problems := unsettled(st.c, st.steps, req.Outcome)
	final := req.Outcome
	if req.Outcome == ledger.CheckoutCompleted {
		for _, step := range st.steps {
			if step.Kind() == ledger.StepGiftcardLoad && step.State == ledger.StepDone && !step.Details.Emailed {
				s.sendDigitalCard(ctx, st, step.ID)
			}
		}
	}
	if len(problems) > 0 {
		final = ledger.CheckoutNeedsAttention
	}
	closed, err := s.update(ctx, req.Tenant, req.CheckoutID, func(c *ledger.Checkout) error {
		if c.Status.Final() {
			final = c.Status
			return errUnchanged
		}
		for _, via := range []ledger.CheckoutStatus{phaseOf(req.Outcome), final} {
			if c.Status == via {
				continue
			}
			moved, err := c.MoveTo(via, s.now())
			if err != nil {
				return err
			}
			*c = moved
		}
		return nil
	})
	if err != nil {
		return Closed{}, &StoreUnavailableError{Err: err}
	}
	log := logging.From(ctx)
	if final == ledger.CheckoutNeedsAttention {
		// An embedded-metric line: CloudWatch turns it into the metric the
		// template's alarm watches, with no call from the function.
		log.Error("checkout needs attention", "problems", problems,
			slog.Group("_aws", "CloudWatchMetrics", []map[string]any{{
				"Namespace": "LeatPosGateway", "Dimensions": [][]string{{}, {"Tenant"}},
				"Metrics": []map[string]string{{"Name": "CheckoutsNeedingAttention", "Unit": "Count"}},
			}}, "Timestamp", s.now().UnixMilli()),
			"Tenant", string(req.Tenant), "CheckoutsNeedingAttention", 1)
	} else {
		log.Info("checkout closed", "status", string(final))
	}
	if err := s.publish(ctx, checkoutEvent(closed, problems)); err != nil {
		return Closed{}, err
	}
	return Closed{Status: final}, nil
}

// markUnresolved settles each step the saga stopped retrying: one whose
// write never reached Leat fails, when the checkout gives everything back
// anyway; any other goes to an operator, saying why, so the checkout's
// answer shows what needs attention. A step still leased waits for its
// invocation instead: it may yet learn the outcome.
func (s *Service) markUnresolved(ctx context.Context, st sagaStep, outcome ledger.CheckoutStatus) error {
	for i, step := range st.steps {
		if step.State != ledger.StepPending && step.State != ledger.StepReversing {
			continue
		}
		if step.Leased(s.now()) {
			return &StepInFlightError{Step: step.ID}
		}
		var next ledger.Step
		var err error
		switch {
		case step.State == ledger.StepPending && step.Unapplied && outcome == ledger.CheckoutCancelled:
			next, err = step.Fail("not_applied", "the saga gave everything back before Leat acted on it", s.now())
		case step.State == ledger.StepPending && step.Unapplied:
			next, err = step.NeedAttention("unresolved", "Leat never acted on the write before the saga's retries ran out", s.now())
		case step.State == ledger.StepPending:
			next, err = step.NeedAttention("unresolved", "Leat's outcome of the write was still unknown when the saga's retries ran out", s.now())
		case step.Unapplied:
			next, err = step.NeedAttention("unresolved", "giving it back never reached Leat before the saga's retries ran out", s.now())
		default:
			next, err = step.NeedAttention("unresolved", "Leat's outcome of giving it back was still unknown when the saga's retries ran out", s.now())
		}
		if err != nil {
			return err
		}
		if st.steps[i], err = s.ledger.SaveStep(ctx, st.c.Tenant, next); err != nil {
			return s.storeError(err, step.ID)
		}
		if next.State == ledger.StepNeedsAttention {
			logging.From(ctx).Error("a checkout step needs attention", "step", string(step.ID), "code", next.FailureCode, "reason", next.Failure)
		}
	}
	return nil
}

// phaseOf is the status a checkout passes through on its way to outcome.
func phaseOf(outcome ledger.CheckoutStatus) ledger.CheckoutStatus {
	if outcome == ledger.CheckoutCompleted {
		return ledger.CheckoutConfirming
	}
	return ledger.CheckoutCompensating
}

// unsettled lists what keeps the checkout from its outcome.
func unsettled(c ledger.Checkout, steps []ledger.Step, outcome ledger.CheckoutStatus) []string {
	var problems []string
	for _, step := range steps {
		switch {
		case step.State == ledger.StepNeedsAttention, step.State == ledger.StepPending, step.State == ledger.StepReversing:
			problems = append(problems, fmt.Sprintf("%s is %s", step.ID, step.State))
		case outcome == ledger.CheckoutCompleted && step.State == ledger.StepFailed:
			problems = append(problems, fmt.Sprintf("%s was refused after payment: %s", step.ID, step.FailureCode))
		case outcome == ledger.CheckoutCancelled && step.State == ledger.StepDone && !keptCollectable(c, step):
			problems = append(problems, fmt.Sprintf("%s was not given back", step.ID))
		}
	}
	return problems
}

// keptCollectable tells a pre-redeemed reward, which stays collectable when
// the checkout is cancelled.
func keptCollectable(c ledger.Checkout, step ledger.Step) bool {
	if step.Kind() != ledger.StepRewardReception {
		return false
	}
	i := itemIndex(step.Item())
	return i >= 0 && i < len(c.Basket.Rewards) && c.Basket.Rewards[i].Strategy == tenancy.RewardPreRedeemCollect
}
