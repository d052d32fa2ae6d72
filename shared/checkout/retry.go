package checkout

import (
	"context"
	"fmt"
	"strconv"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Resume names the part of the checkout saga an operator's retry runs.
type Resume string

const (
	// ResumeCompensation gives back what the checkout still holds.
	ResumeCompensation Resume = "compensation"
	// ResumeConfirmation confirms a paid checkout's items and earns its points.
	ResumeConfirmation Resume = "confirmation"
)

// RetrySettlement settles again a checkout that needs attention, once an
// operator has fixed what stopped it (Leat refusing a reversal, an outage):
// its steps needing attention are reopened where the saga gave up on them,
// so that each is first read back from Leat as after a lost answer; the
// checkout goes back to giving back, or to confirming when it was paid; and
// a new execution runs that part of the saga. The retry is recorded on the
// checkout with the key that asked for it.
func (s *Service) RetrySettlement(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, id ledger.CheckoutID) (View, error) {
	c, steps, err := s.owned(ctx, p, location, id)
	if err != nil {
		return View{}, err
	}
	ctx = logger(ctx, c)
	if c.Status != ledger.CheckoutNeedsAttention {
		return View{}, &StateError{ID: c.ID, Status: c.Status, Action: "retry the settlement of"}
	}
	resume, phase := ResumeCompensation, ledger.CheckoutCompensating
	if c.Payment != nil && c.Payment.Outcome == ledger.PaymentPaid {
		resume, phase = ResumeConfirmation, ledger.CheckoutConfirming
	}
	if err := s.reopen(ctx, c.Tenant, steps); err != nil {
		return View{}, err
	}
	name := boundedName(ExecutionName(c.Tenant, c.ID)+"-retry-"+strconv.Itoa(len(c.Retries)+1), string(c.Tenant)+"/"+string(c.ID)+"/retry")
	c, err = s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
		moved, err := c.MoveTo(phase, s.now())
		if err != nil {
			return err
		}
		*c = moved
		return nil
	})
	if err != nil {
		return View{}, &StoreUnavailableError{Err: err}
	}
	in := sagaInput(c)
	in.Resume = resume
	arn, err := s.executions.Start(ctx, name, in)
	if err != nil {
		// Back to where an operator can retry again; the reopened steps
		// are read back from Leat by then.
		if _, undo := s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
			moved, err := c.MoveTo(ledger.CheckoutNeedsAttention, s.now())
			*c = moved
			return err
		}); undo != nil {
			logging.From(ctx).Error("a retry that could not start left the checkout settling", "error", undo.Error())
		}
		return View{}, err
	}
	c, err = s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
		c.ExecutionARN = arn
		c.Retries = append(c.Retries, ledger.OperatorRetry{At: s.now().UTC(), By: p.KeyName, ExecutionARN: arn})
		return nil
	})
	if err != nil {
		return View{}, &StoreUnavailableError{Err: err}
	}
	logging.From(ctx).Info("an operator retried the checkout's settlement", "resume", string(resume), "by", p.KeyName, logging.ExecutionARN, arn)
	return s.waitUntil(ctx, c.Tenant, c.ID, func(st ledger.CheckoutStatus) bool { return !stillMoving(st) })
}

// reopen puts each of steps that needs attention back where the saga gave
// up on it, for an operator's retry.
func (s *Service) reopen(ctx context.Context, tenant tenancy.TenantID, steps []ledger.Step) error {
	for _, step := range steps {
		if step.State != ledger.StepNeedsAttention {
			continue
		}
		reopened, err := step.Reopen()
		if err != nil {
			return fmt.Errorf("%w: an operator must settle it in Leat", err)
		}
		if _, err := s.ledger.SaveStep(ctx, tenant, reopened); err != nil {
			return s.storeError(err, step.ID)
		}
	}
	return nil
}

// CheckoutsForOperators lists a location's checkouts in q's status,
// needs_attention when it names none, newest first, each with its steps so
// an operator sees why; a page at a time. The list's index lags the ledger,
// so a checkout that has moved on since is left out.
func (s *Service) CheckoutsForOperators(ctx context.Context, p tenancy.Principal, q ledger.OrderQuery) ([]View, string, error) {
	if q.Status == "" {
		q.Status = ledger.CheckoutNeedsAttention
	}
	page, err := s.ListOrders(ctx, p, q)
	if err != nil {
		return nil, "", err
	}
	views := make([]View, 0, len(page.Orders))
	for _, header := range page.Orders {
		c, steps, err := s.ledger.Checkout(ctx, p.Tenant, header.ID)
		if err != nil {
			return nil, "", err
		}
		if c.Status == q.Status {
			views = append(views, View{Checkout: c, Steps: steps, Settled: !stillMoving(c.Status)})
		}
	}
	return views, page.Next, nil
}

// ReturnsForOperators lists the returns of a location's orders in q's
// status, needs_attention when it names none, newest first, each with its
// order so an operator sees the steps and why; a page at a time.
func (s *Service) ReturnsForOperators(ctx context.Context, p tenancy.Principal, q ledger.ReturnQuery) ([]ReturnView, string, error) {
	if q.Status == "" {
		q.Status = ledger.ReturnNeedsAttention
	}
	_, location, err := tenancy.Locate(ctx, s.directory, p, q.Location)
	if err != nil {
		return nil, "", err
	}
	q.Location = location.ID
	page, err := s.ledger.LocationReturns(ctx, p.Tenant, q)
	if err != nil {
		return nil, "", err
	}
	views := make([]ReturnView, 0, len(page.Returns))
	for _, listed := range page.Returns {
		o, err := s.readOrder(ctx, p.Tenant, listed.Checkout)
		if err != nil {
			return nil, "", err
		}
		if r, found := findReturn(o.Returns, listed.ID); found && r.Status == q.Status {
			views = append(views, ReturnView{Order: o, Return: r, Settled: r.Status != ledger.ReturnProcessing})
		}
	}
	return views, page.Next, nil
}
