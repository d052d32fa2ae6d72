package checkout

import (
	"context"
	"errors"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// PaymentCommand is the POS's report on the payment it took.
type PaymentCommand struct {
	Location   tenancy.LocationID
	CheckoutID ledger.CheckoutID
	Outcome    ledger.PaymentOutcome
	// Lines and DiscountTotal are what the POS finally charged, when it
	// differs from the checkout's basket.
	Lines         []ledger.Line
	DiscountTotal *int64
}

// ReportPayment hands the payment's outcome to the waiting saga and waits
// (at most AnswerWithin) for it to confirm or give everything back. The
// same report twice moves nothing twice: the first is kept on the checkout.
func (s *Service) ReportPayment(ctx context.Context, p tenancy.Principal, cmd PaymentCommand) (View, error) {
	c, _, err := s.owned(ctx, p, cmd.Location, cmd.CheckoutID)
	if err != nil {
		return View{}, err
	}
	ctx = logger(ctx, c)
	action := map[ledger.PaymentOutcome]string{ledger.PaymentPaid: "pay", ledger.PaymentFailed: "fail the payment of", ledger.PaymentCancelled: "cancel"}[cmd.Outcome]
	var token string
	_, err = s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
		token = c.TaskToken
		if c.Payment != nil {
			if cmd.Outcome == ledger.PaymentPaid && c.Payment.Outcome == ledger.PaymentTimedOut {
				return ErrPaymentWindowClosed
			}
			if c.Payment.Outcome == cmd.Outcome || (cmd.Outcome != ledger.PaymentPaid && c.Payment.Outcome != ledger.PaymentPaid) {
				return errUnchanged
			}
			return &StateError{ID: c.ID, Status: c.Status, Action: action}
		}
		switch {
		case c.Status == ledger.CheckoutAwaitingPayment:
		case c.Status == ledger.CheckoutReserving && cmd.Outcome == ledger.PaymentCancelled:
			// Honoured once the reserve phase ends, which then gives it all back.
		default:
			return &StateError{ID: c.ID, Status: c.Status, Action: action}
		}
		c.Payment = &ledger.Payment{Outcome: cmd.Outcome, Lines: cmd.Lines, DiscountTotal: cmd.DiscountTotal, At: s.now().UTC()}
		if c.Status == ledger.CheckoutReserving {
			return nil
		}
		phase := ledger.CheckoutCompensating
		if cmd.Outcome == ledger.PaymentPaid {
			phase = ledger.CheckoutConfirming
		}
		moved, err := c.MoveTo(phase, s.now())
		*c = moved
		return err
	})
	if err != nil {
		return View{}, err
	}
	if token != "" {
		if err := s.executions.Resume(ctx, token, PaymentEvent{Outcome: cmd.Outcome}); err != nil && !errors.Is(err, ErrTaskGone) {
			return View{}, err
		}
	}
	logging.From(ctx).Info("payment reported", "outcome", string(cmd.Outcome))
	v, err := s.waitUntil(ctx, c.Tenant, c.ID, func(st ledger.CheckoutStatus) bool { return st.Final() })
	if err != nil {
		return View{}, err
	}
	// The saga stopped waiting before the report arrived: a paid order was
	// given back, and the POS must know.
	if cmd.Outcome == ledger.PaymentPaid && v.Checkout.Payment != nil && v.Checkout.Payment.Outcome != ledger.PaymentPaid {
		return v, ErrPaymentWindowClosed
	}
	if cmd.Outcome == ledger.PaymentPaid && (v.Checkout.Status == ledger.CheckoutCompensating || v.Checkout.Status == ledger.CheckoutCancelled) {
		return v, ErrPaymentWindowClosed
	}
	if v.Checkout.Status == ledger.CheckoutCompleted && v.Checkout.Anonymous() {
		v.ClaimURL, err = s.claimURL(ctx, v.Checkout)
	}
	return v, err
}

// claimURL is the loyalty token URL of a completed anonymous checkout, or
// empty when the tenant has no portal to claim on.
func (s *Service) claimURL(ctx context.Context, c ledger.Checkout) (string, error) {
	acc, err := s.tenantAccount(ctx, c)
	if err != nil || acc.tenant.PortalURL == "" {
		return "", err
	}
	return acc.platform.LoyaltyTokenURL(claimToken(acc.tenant, c, s.now()))
}
