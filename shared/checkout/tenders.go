package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// TenderCommand adds a giftcard or prepaid tender to a checkout awaiting
// payment: a customer hands over one more card.
type TenderCommand struct {
	Location   tenancy.LocationID
	CheckoutID ledger.CheckoutID
	RequestKey string
	Tender     TenderRequest
}

// TenderTaken is an added tender's debit.
type TenderTaken struct {
	View View
	Step ledger.Step
}

// AddTender checks the tender like the basket's own, records it, and hands
// it to the waiting saga, which debits it as a step of the same execution
// and waits again; it answers once the debit is settled. A retry of the same
// request finds the tender it added.
func (s *Service) AddTender(ctx context.Context, p tenancy.Principal, cmd TenderCommand) (TenderTaken, error) {
	c, steps, err := s.owned(ctx, p, cmd.Location, cmd.CheckoutID)
	if err != nil {
		return TenderTaken{}, err
	}
	ctx = logger(ctx, c)
	index := tenderOf(c, cmd.RequestKey)
	if index < 0 {
		if index, err = s.recordTender(ctx, p, c, steps, cmd); err != nil {
			return TenderTaken{}, err
		}
	}
	kind := ledger.StepGiftcardDebit
	if cmd.Tender.Type == ledger.TenderPrepaid {
		kind = ledger.StepPrepaidDebit
	}
	id := mustStepID(kind, fmt.Sprintf("tenders[%d]", index))
	if err := s.resumeWithTender(ctx, c, id); err != nil {
		return TenderTaken{}, err
	}
	return s.waitForTender(ctx, p, cmd, id)
}

// tenderOf is the index of the tender the request added, -1 when none.
func tenderOf(c ledger.Checkout, requestKey string) int {
	for i, t := range c.Basket.Tenders {
		if requestKey != "" && t.RequestKey == requestKey {
			return i
		}
	}
	return -1
}

// recordTender checks the tender against what is still due and the card or
// balance, and appends it to the basket.
func (s *Service) recordTender(ctx context.Context, p tenancy.Principal, c ledger.Checkout, steps []ledger.Step, cmd TenderCommand) (int, error) {
	if c.Status != ledger.CheckoutAwaitingPayment || c.Payment != nil {
		return 0, &StateError{ID: c.ID, Status: c.Status, Action: "add a tender to"}
	}
	for _, t := range c.Basket.Tenders {
		switch {
		case t.Type == ledger.TenderPrepaid && cmd.Tender.Type == ledger.TenderPrepaid:
			return 0, &InvalidError{Field: "type", Code: "duplicate", Message: "the prepaid balance already pays for the checkout"}
		case t.Type == ledger.TenderGiftcard && strings.EqualFold(t.Code, cmd.Tender.Code):
			return 0, &InvalidError{Field: "code", Code: "duplicate", Message: "this card already pays for the checkout"}
		}
	}
	acc, err := s.tenantAccount(ctx, c)
	if err != nil {
		return 0, err
	}
	one := StartCommand{ContactUUID: c.ContactUUID, Tenders: []TenderRequest{cmd.Tender}}
	facts, err := s.readAccount(ctx, acc, one)
	if err != nil {
		return 0, err
	}
	due := c.Basket.Tenderable(c.Totals.Lines - c.Totals.Discounts - tendered(steps))
	items, err := facts.tenders(one, due, s.now())
	var item *ItemError
	if errors.As(err, &item) {
		item.Item = "tender" // the request is the one tender
	}
	if err != nil {
		return 0, err
	}
	items[0].RequestKey = cmd.RequestKey
	index := -1
	_, err = s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
		if c.Status != ledger.CheckoutAwaitingPayment || c.Payment != nil {
			return &StateError{ID: c.ID, Status: c.Status, Action: "add a tender to"}
		}
		if index = tenderOf(*c, cmd.RequestKey); index >= 0 {
			return errUnchanged
		}
		c.Basket.Tenders, index = append(c.Basket.Tenders, items[0]), len(c.Basket.Tenders)
		return nil
	})
	return index, err
}

// resumeWithTender wakes the waiting saga to take the tender. A saga that no
// longer waits has given everything back, or is confirming a payment.
func (s *Service) resumeWithTender(ctx context.Context, c ledger.Checkout, id ledger.StepID) error {
	for range 50 {
		current, steps, err := s.ledger.Checkout(ctx, c.Tenant, c.ID)
		if err != nil {
			return err
		}
		if _, taken := findStep(steps, id); taken {
			return nil
		}
		if current.Status != ledger.CheckoutAwaitingPayment {
			return ErrPaymentWindowClosed
		}
		if current.TaskToken != "" {
			err := s.executions.Resume(ctx, current.TaskToken, PaymentEvent{Outcome: EventTender, Step: id})
			if !errors.Is(err, ErrTaskGone) {
				return err
			}
		}
		// Between two waits (another tender being taken): the next wait's
		// token is on its way.
		if err := sleep(ctx, s.PollEvery); err != nil {
			return err
		}
	}
	return &StepInFlightError{Step: id}
}

// waitForTender waits for the tender's debit to be settled.
func (s *Service) waitForTender(ctx context.Context, p tenancy.Principal, cmd TenderCommand, id ledger.StepID) (TenderTaken, error) {
	deadline := s.now().Add(s.AnswerWithin)
	for {
		c, steps, err := s.ledger.Checkout(ctx, p.Tenant, cmd.CheckoutID)
		if err != nil {
			return TenderTaken{}, err
		}
		step, found := findStep(steps, id)
		switch {
		case found && step.State == ledger.StepDone:
			return TenderTaken{View: View{Checkout: c, Steps: steps, Settled: true}, Step: step}, nil
		case found && step.State == ledger.StepFailed:
			return TenderTaken{}, &ItemError{Item: "tender", Err: &RefusalError{Refusal: ledger.Refusal{Item: "tender", Code: step.FailureCode, Detail: step.Failure}}}
		case c.Status.Final() || !s.now().Before(deadline):
			return TenderTaken{View: View{Checkout: c, Steps: steps}, Step: step}, nil
		}
		if err := sleep(ctx, s.PollEvery); err != nil {
			return TenderTaken{}, err
		}
	}
}

// sleep waits d, or less when ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
