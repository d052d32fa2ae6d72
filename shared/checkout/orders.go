package checkout

import (
	"context"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

var orderStepID = mustStepID(ledger.StepOrder, ledger.ItemOrder)

// EarnPoints records the paid order in Leat for the checkout's customer,
// which earns the points, and keeps the result on the checkout.
func (s *Service) EarnPoints(ctx context.Context, req CheckoutRequest) (StepResult, error) {
	ctx, st, err := s.begin(ctx, req.Tenant, req.CheckoutID)
	if err != nil {
		return StepResult{}, err
	}
	if st.c.Anonymous() {
		return StepResult{Step: orderStepID, Outcome: OutcomeSkipped}, nil
	}
	return s.earn(ctx, st, st.c.ContactUUID)
}

// earn makes (or settles) the checkout's order step for contactUUID.
func (s *Service) earn(ctx context.Context, st sagaStep, contactUUID string) (StepResult, error) {
	var (
		result StepResult
		err    error
	)
	if step, found := findStep(st.steps, orderStepID); found {
		result, err = s.carryOn(ctx, st, step)
	} else {
		before := st.c.PointsBefore - spentPoints(st.c, st.steps)
		result, err = s.writeNew(ctx, st, orderStepID, ledger.StepDetails{
			ContactUUID: contactUUID, ExternalID: ledger.ExternalIdentifier(st.c.Tenant, st.c.ID), PointsBefore: &before,
		})
	}
	if err != nil || result.Outcome != OutcomeDone {
		return result, err
	}
	return result, s.keepResult(ctx, st.c, contactUUID)
}

// spentPoints is what the checkout's reward receptions took.
func spentPoints(c ledger.Checkout, steps []ledger.Step) int64 {
	var spent int64
	for _, step := range steps {
		if step.Kind() == ledger.StepRewardReception && step.State == ledger.StepDone {
			spent += step.Details.Points
		}
	}
	return spent
}

// keepResult copies what the order earned onto the checkout. An order found
// again after a lost answer says no points; the balance then tells.
func (s *Service) keepResult(ctx context.Context, c ledger.Checkout, contactUUID string) error {
	_, steps, err := s.load(ctx, c.Tenant, c.ID)
	if err != nil {
		return err
	}
	step, _ := findStep(steps, orderStepID)
	result := ledger.Result{OrderUUID: step.LeatUUID, PointsEarned: step.Details.PointsEarned, PointsBalance: step.Details.PointsAfter}
	if result.PointsBalance == nil {
		acc, err := s.tenantAccount(ctx, c)
		if err != nil {
			return err
		}
		customer, err := acc.platform.Customer(ctx, contactUUID)
		if err != nil {
			return unavailable(err)
		}
		result.PointsBalance = &customer.Points
		if before := step.Details.PointsBefore; before != nil && customer.Points >= *before {
			earned := customer.Points - *before
			result.PointsEarned = &earned
		}
	}
	_, err = s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
		c.Result, c.ContactUUID = &result, contactUUID
		return nil
	})
	if err != nil {
		return &StoreUnavailableError{Err: err}
	}
	return nil
}

// orderOf is the Leat order of a paid checkout: the lines the POS finally
// charged, each discount linked to the redemption that granted it.
func orderOf(c ledger.Checkout, steps []ledger.Step, d ledger.StepDetails) Order {
	lines := c.Basket.Lines
	var discountTotal *int64
	if c.Payment != nil {
		if len(c.Payment.Lines) > 0 {
			lines = c.Payment.Lines
		}
		discountTotal = c.Payment.DiscountTotal
	}
	o := Order{
		ExternalID: d.ExternalID, Reference: c.POSOrderID, ContactUUID: d.ContactUUID, ShopUUID: c.ShopUUID,
		Currency: string(c.Currency), Lines: lines, DiscountPerLine: map[string]int64{},
	}
	if c.Payment != nil {
		o.PaidAt = c.Payment.At
	}
	known := map[string]bool{}
	for _, l := range lines {
		known[l.ID] = true
	}
	var computed int64
	for _, disc := range c.Discounts {
		applied := AppliedDiscount{ExternalID: disc.Source, Name: disc.Title, LineIDs: disc.LineIDs}
		applied.OfferUUID, applied.OfferKind = offerOf(c, steps, disc.Source)
		if disc.Amount != nil {
			applied.Amount = *disc.Amount
			computed += *disc.Amount
			for id, a := range disc.PerLine {
				if known[id] {
					o.DiscountPerLine[id] += a
				}
			}
		}
		o.Discounts = append(o.Discounts, applied)
	}
	o.LineResults = map[string]LeatPayment{}
	for _, step := range steps {
		if step.State != ledger.StepDone || step.LeatUUID == "" {
			continue
		}
		i := itemIndex(step.Item())
		switch step.Kind() {
		case ledger.StepGiftcardDebit, ledger.StepPrepaidDebit:
			o.Payments = append(o.Payments, LeatPayment{UUID: step.LeatUUID, Kind: step.Kind()})
		case ledger.StepGiftcardLoad:
			o.LineResults[c.Basket.GiftcardSales[i].LineID] = LeatPayment{UUID: step.LeatUUID, Kind: step.Kind()}
		case ledger.StepPrepaidTopUp:
			o.LineResults[c.Basket.PrepaidTopUps[i].LineID] = LeatPayment{UUID: step.LeatUUID, Kind: step.Kind()}
		}
	}
	// What the POS took off beyond the gateway's own amounts is its rules':
	// it goes to the first discount the POS computed.
	if discountTotal != nil && *discountTotal > computed {
		for i, disc := range c.Discounts {
			if disc.Amount == nil {
				o.Discounts[i].Amount = *discountTotal - computed
				break
			}
		}
	}
	return o
}

// offerOf names the Leat redemption behind a discount, for the order.
func offerOf(c ledger.Checkout, steps []ledger.Step, source string) (string, ledger.StepKind) {
	kinds := []ledger.StepKind{ledger.StepRewardReception}
	switch {
	case strings.HasPrefix(source, "collect["):
		kinds = []ledger.StepKind{ledger.StepRewardCollection}
	case strings.HasPrefix(source, "vouchers["):
		kinds = []ledger.StepKind{ledger.StepVoucherRedemption}
	case strings.HasPrefix(source, "rewards[") && keptCollectable(c, ledger.Step{ID: mustStepID(ledger.StepRewardReception, source)}):
		kinds = []ledger.StepKind{ledger.StepRewardCollection}
	}
	for _, kind := range kinds {
		if step, found := findStep(steps, mustStepID(kind, source)); found && step.State == ledger.StepDone && step.LeatUUID != "" {
			return step.LeatUUID, kind
		}
	}
	return "", ""
}

// CustomerCommand names the customer of an anonymous order after payment.
type CustomerCommand struct {
	Location   tenancy.LocationID
	OrderID    string
	Identifier string
	Email      string
	// ContactUUID is a customer the POS identified already.
	ContactUUID string
}

// AttachCustomer gives a completed anonymous order its customer: the order
// is created in Leat then, and earns the points once.
func (s *Service) AttachCustomer(ctx context.Context, p tenancy.Principal, cmd CustomerCommand) (View, error) {
	acc, id, err := s.order(ctx, p, cmd.Location, cmd.OrderID)
	if err != nil {
		return View{}, err
	}
	c, steps, err := s.ledger.Checkout(ctx, p.Tenant, id)
	if err != nil {
		return View{}, err
	}
	switch {
	case c.Status != ledger.CheckoutCompleted:
		return View{}, &StateError{ID: c.ID, Status: c.Status, Action: "attach a customer to"}
	case c.ClaimLinkIssued:
		return View{}, ErrClaimLinkIssued
	case !c.Anonymous():
		return View{}, ErrCustomerAttached
	}
	contact, err := s.customerOf(ctx, acc, cmd)
	if err != nil {
		return View{}, err
	}
	// An earlier attempt that stopped half-way may only be finished for
	// the same customer.
	if step, found := findStep(steps, orderStepID); found && step.Details.ContactUUID != contact {
		return View{}, ErrCustomerAttached
	}
	result, err := s.earn(ctx, sagaStep{c: c, steps: steps, acc: acc}, contact)
	switch {
	case err != nil:
		return View{}, err
	case result.Outcome == OutcomeRefused:
		return View{}, &RefusalError{Refusal: ledger.Refusal{Item: "order", Code: result.Code}}
	case result.Outcome != OutcomeDone:
		return View{}, &StateError{ID: c.ID, Status: ledger.CheckoutNeedsAttention, Action: "earn points for"}
	}
	return s.Get(ctx, p, acc.location.ID, id)
}

// customerOf resolves the command's customer, as identifying at the till does.
func (s *Service) customerOf(ctx context.Context, acc account, cmd CustomerCommand) (string, error) {
	if cmd.ContactUUID != "" {
		c, err := acc.platform.Customer(ctx, cmd.ContactUUID)
		return c.UUID, err
	}
	id, err := loyalty.Identify(ctx, acc.platform, cmd.Identifier, cmd.Email)
	return id.Customer.UUID, err
}

// ClaimLink is a receipt QR's URL: whoever opens it claims the order's points once.
type ClaimLink struct {
	URL      string
	UniqueID string
	Amount   int64
}

// IssueClaimLink builds the loyalty token URL of a completed anonymous
// order. It calls nothing: the URL is signed with the account secret.
func (s *Service) IssueClaimLink(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, orderID string) (ClaimLink, error) {
	acc, id, err := s.order(ctx, p, location, orderID)
	if err != nil {
		return ClaimLink{}, err
	}
	c, _, err := s.ledger.Checkout(ctx, p.Tenant, id)
	if err != nil {
		return ClaimLink{}, err
	}
	switch {
	case c.Status != ledger.CheckoutCompleted:
		return ClaimLink{}, &StateError{ID: c.ID, Status: c.Status, Action: "issue a claim link for"}
	case !c.Anonymous():
		return ClaimLink{}, ErrCustomerAttached
	case acc.tenant.PortalURL == "":
		return ClaimLink{}, ErrNoPortal
	}
	token := claimToken(acc.tenant, c, s.now())
	link := ClaimLink{UniqueID: token.UniqueID, Amount: token.Amount}
	if link.URL, err = acc.platform.LoyaltyTokenURL(token); err != nil {
		return ClaimLink{}, err
	}
	if !c.ClaimLinkIssued {
		_, err = s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error {
			if !c.Anonymous() {
				return ErrCustomerAttached
			}
			c.ClaimLinkIssued = true
			return nil
		})
		if err != nil {
			return ClaimLink{}, err
		}
	}
	return link, nil
}

// claimToken is the loyalty token of a checkout's points: its unique id is
// the order's, so Leat accepts one claim per order.
func claimToken(t tenancy.Tenant, c ledger.Checkout, now time.Time) LoyaltyToken {
	return LoyaltyToken{
		PortalURL: t.PortalURL, ShopUUID: c.ShopUUID, UniqueID: ledger.ExternalIdentifier(c.Tenant, c.ID),
		Amount: paidTotal(c), Currency: string(c.Currency), Timestamp: now,
	}
}

// paidTotal is what the customer paid: the final lines and discounts the
// POS reported, or the checkout's own totals.
func paidTotal(c ledger.Checkout) int64 {
	due := c.Totals.Due
	if c.Payment != nil && len(c.Payment.Lines) > 0 {
		var lines int64
		for _, l := range c.Payment.Lines {
			lines += l.Total()
		}
		discounts := c.Totals.Discounts
		if c.Payment.DiscountTotal != nil {
			discounts = *c.Payment.DiscountTotal
		}
		due = max(lines-discounts, 0)
	}
	return due
}
