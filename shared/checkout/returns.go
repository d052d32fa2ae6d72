package checkout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// ReturnInput starts a return's saga: its steps by phase.
type ReturnInput struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	ReturnID   ledger.ReturnID   `json:"return_id"`
	// OrderID repeats the POS's order id so the console shows it.
	OrderID string            `json:"order_id"`
	Plan    ledger.ReturnPlan `json:"plan"`
}

// ReturnStepRequest is one step of a return's saga.
type ReturnStepRequest struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	ReturnID   ledger.ReturnID   `json:"return_id"`
	Step       ledger.StepID     `json:"step"`
}

// OrderRecord is an order with its steps and returns, as a back office
// reads it.
type OrderRecord struct {
	Checkout ledger.Checkout
	Steps    []ledger.Step
	Returns  []ledger.Return
}

// ReturnView is one return of an order.
type ReturnView struct {
	Order  OrderRecord
	Return ledger.Return
	// Settled: the saga has recorded the return.
	Settled bool
}

// ReadOrder loads an order of the caller's location with its returns. It
// reads the ledger only, never Leat, so it needs no Leat credentials.
func (s *Service) ReadOrder(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, orderID string) (OrderRecord, error) {
	t, loc, err := tenancy.Locate(ctx, s.directory, p, location)
	if err != nil {
		return OrderRecord{}, err
	}
	id, err := ledger.NewCheckoutID(loc.ID, orderID)
	if err != nil {
		return OrderRecord{}, &InvalidError{Field: "order_id", Code: "format", Message: err.Error()}
	}
	return s.readOrder(ctx, t.ID, id)
}

func (s *Service) readOrder(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID) (OrderRecord, error) {
	c, steps, err := s.ledger.Checkout(ctx, tenant, id)
	if err != nil {
		return OrderRecord{}, err
	}
	returns, err := s.ledger.Returns(ctx, tenant, id)
	if err != nil {
		return OrderRecord{}, err
	}
	return OrderRecord{Checkout: c, Steps: steps, Returns: returns}, nil
}

// ReadReturn loads one return of an order of the caller's location.
func (s *Service) ReadReturn(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, orderID, returnID string) (ReturnView, error) {
	o, err := s.ReadOrder(ctx, p, location, orderID)
	if err != nil {
		return ReturnView{}, err
	}
	r, found := findReturn(o.Returns, ledger.ReturnID(returnID))
	if !found {
		return ReturnView{}, ledger.ErrReturnNotFound
	}
	return ReturnView{Order: o, Return: r, Settled: r.Status != ledger.ReturnProcessing}, nil
}

func findReturn(returns []ledger.Return, id ledger.ReturnID) (ledger.Return, bool) {
	i := slices.IndexFunc(returns, func(r ledger.Return) bool { return r.ID == id })
	if i < 0 {
		return ledger.Return{}, false
	}
	return returns[i], true
}

// StartReturn records a return of (part of) a completed order and starts
// its saga, then waits a little for it to finish. The same request again
// answers the same return; another request for the same return id, or for
// what was returned already, is refused.
func (s *Service) StartReturn(ctx context.Context, p tenancy.Principal, cmd ReturnCommand) (ReturnView, error) {
	id, err := ledger.ParseReturnID(cmd.ReturnID)
	if err != nil {
		return ReturnView{}, &InvalidError{Field: "return_id", Code: "format", Message: err.Error()}
	}
	acc, checkoutID, err := s.order(ctx, p, cmd.Location, cmd.OrderID)
	if err != nil {
		return ReturnView{}, err
	}
	for attempt := 0; ; attempt++ {
		o, err := s.readOrder(ctx, acc.tenant.ID, checkoutID)
		if err != nil {
			return ReturnView{}, err
		}
		ctx := logging.With(logger(ctx, o.Checkout), "return_id", string(id))
		if existing, found := findReturn(o.Returns, id); found {
			if existing.RequestKey != cmd.RequestKey || cmd.RequestKey == "" {
				return ReturnView{}, fmt.Errorf("%w: %s", ledger.ErrReturnExists, id)
			}
			if len(existing.Retries) > 0 {
				// An operator has taken it over; its retry runs it now.
				return ReturnView{Order: o, Return: existing, Settled: existing.Status != ledger.ReturnProcessing}, nil
			}
			return s.launchReturn(ctx, o.Checkout, existing, false)
		}
		r, err := planReturn(o.Checkout, o.Steps, cmd, id)
		if err != nil {
			return ReturnView{}, err
		}
		if err := s.checkTakeBacks(ctx, acc, o, r); err != nil {
			return ReturnView{}, err
		}
		now := s.now().UTC()
		r.CreatedAt, r.UpdatedAt = now, now
		c := o.Checkout
		c.Returned, c.UpdatedAt = c.Returned.Add(r), now
		_, r, err = s.ledger.CreateReturn(ctx, c, r)
		switch {
		case (errors.Is(err, ledger.ErrConflict) || errors.Is(err, ledger.ErrReturnExists)) && attempt < 5:
			continue // another return, or this one, got there first: decide again
		case err != nil:
			return ReturnView{}, err
		}
		logging.From(ctx).Info("return recorded", "lines", len(r.Lines), "refunds", len(r.Refunds), "steps", len(r.Plan.Steps()))
		return s.launchReturn(ctx, c, r, false)
	}
}

// checkTakeBacks refuses a return of a giftcard or prepaid credit the order
// sold when the card or balance no longer holds what was loaded.
func (s *Service) checkTakeBacks(ctx context.Context, acc account, o OrderRecord, r ledger.Return) error {
	for _, id := range r.Plan.TakeBacks {
		load, _ := findStep(o.Steps, id)
		item := returnLineItem(o.Checkout, r, id)
		if load.Kind() == ledger.StepGiftcardLoad {
			card, err := acc.platform.GiftcardByCode(ctx, load.Details.GiftcardCode)
			if err != nil {
				return err
			}
			if card.Balance.Amount < load.Details.Amount {
				return &ItemError{Item: item, Err: fmt.Errorf("%w: it holds %d of the %d loaded", ErrGiftcardAlreadySpent, card.Balance.Amount, load.Details.Amount)}
			}
			continue
		}
		customer, err := acc.platform.Customer(ctx, load.Details.ContactUUID)
		if err != nil {
			return err
		}
		if customer.Prepaid.Amount < load.Details.Amount {
			return &ItemError{Item: item, Err: fmt.Errorf("%w: the balance is %d of the %d topped up", ErrPrepaidAlreadySpent, customer.Prepaid.Amount, load.Details.Amount)}
		}
	}
	return nil
}

// returnLineItem names the request's line that sold what a take-back undoes.
func returnLineItem(c ledger.Checkout, r ledger.Return, load ledger.StepID) string {
	i := itemIndex(load.Item())
	lineID := ""
	if load.Kind() == ledger.StepGiftcardLoad {
		lineID = c.Basket.GiftcardSales[i].LineID
	} else {
		lineID = c.Basket.PrepaidTopUps[i].LineID
	}
	if r.Full {
		return "full"
	}
	return fmt.Sprintf("lines[%d]", slices.IndexFunc(r.Lines, func(l ledger.ReturnLine) bool { return l.LineID == lineID }))
}

// launchReturn starts the return's saga (again: a start with the same name
// and input finds the running execution) and waits for it.
// launchReturn starts the return's execution, or for an operator's retry
// (recorded last on the return) a new one, and waits a little for it.
func (s *Service) launchReturn(ctx context.Context, c ledger.Checkout, r ledger.Return, retry bool) (ReturnView, error) {
	plan := r.Plan
	// The saga's Map states need lists, empty ones too.
	plan.Offers, plan.Refunds, plan.TakeBacks = nonNil(plan.Offers), nonNil(plan.Refunds), nonNil(plan.TakeBacks)
	name := ReturnExecutionName(c.Tenant, c.ID, r.ID)
	if retry {
		name = boundedName(name+"-retry-"+strconv.Itoa(len(r.Retries)), string(c.Tenant)+"/"+string(c.ID)+"/"+string(r.ID)+"/retry")
	}
	arn, err := s.executions.StartReturn(ctx, name, ReturnInput{
		Tenant: c.Tenant, CheckoutID: c.ID, ReturnID: r.ID, OrderID: c.POSOrderID, Plan: plan,
	})
	if err != nil {
		return ReturnView{}, err
	}
	if r.ExecutionARN != arn {
		r.ExecutionARN = arn
		if retry {
			r.Retries[len(r.Retries)-1].ExecutionARN = arn
		}
		if _, err := s.ledger.SaveReturn(ctx, c.Tenant, r); err != nil && !errors.Is(err, ledger.ErrConflict) {
			return ReturnView{}, err
		}
	}
	deadline := s.now().Add(s.AnswerWithin)
	for {
		o, err := s.readOrder(ctx, c.Tenant, c.ID)
		if err != nil {
			return ReturnView{}, err
		}
		current, _ := findReturn(o.Returns, r.ID)
		v := ReturnView{Order: o, Return: current, Settled: current.Status != ledger.ReturnProcessing}
		if v.Settled || !s.now().Add(s.PollEvery).Before(deadline) {
			return v, nil
		}
		if err := sleep(ctx, s.PollEvery); err != nil {
			return ReturnView{}, err
		}
	}
}

// ReturnExecutionName names a return's saga: the order's name and the
// return id, within the 80 characters AWS allows.
func ReturnExecutionName(tenant tenancy.TenantID, id ledger.CheckoutID, returnID ledger.ReturnID) string {
	return boundedName(ExecutionName(tenant, id)+"-R-"+safeExecutionName(string(returnID)), string(tenant)+"/"+string(id)+"/"+string(returnID))
}

// ReturnStep performs one step of a return: a new Leat write (the order
// return, a partial refund), or the reversal of one of the order's steps.
func (s *Service) ReturnStep(ctx context.Context, req ReturnStepRequest) (StepResult, error) {
	ctx, st, r, err := s.beginReturn(ctx, req.Tenant, req.CheckoutID, req.ReturnID)
	if err != nil {
		return StepResult{}, err
	}
	if !slices.Contains(r.Plan.Steps(), req.Step) {
		return StepResult{}, fmt.Errorf("checkout: %s is not a step of return %s", req.Step, req.ReturnID)
	}
	step, found := findStep(st.steps, req.Step)
	switch req.Step.Kind() {
	case ledger.StepOrderReturn, ledger.StepGiftcardRefund, ledger.StepPrepaidRefund:
		if found {
			return s.carryOn(ctx, st, step)
		}
		details, err := s.returnDetails(ctx, st, r, req.Step)
		if err != nil {
			return StepResult{}, err
		}
		return s.writeNew(ctx, st, req.Step, details)
	}
	if !found {
		return StepResult{}, fmt.Errorf("checkout: the order has no step %s to give back", req.Step)
	}
	return s.reverse(ctx, st, step)
}

// beginReturn loads what a step of a return's saga acts on, and logs as the
// return's execution.
func (s *Service) beginReturn(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID, returnID ledger.ReturnID) (context.Context, sagaStep, ledger.Return, error) {
	c, steps, err := s.load(ctx, tenant, id)
	if err != nil {
		return ctx, sagaStep{}, ledger.Return{}, err
	}
	returns, err := s.ledger.Returns(ctx, tenant, id)
	if err != nil {
		return ctx, sagaStep{}, ledger.Return{}, &StoreUnavailableError{Err: err}
	}
	r, found := findReturn(returns, returnID)
	if !found {
		return ctx, sagaStep{}, ledger.Return{}, fmt.Errorf("%w: %s of %s", ledger.ErrReturnNotFound, returnID, id)
	}
	ctx = logging.With(logger(ctx, c), "return_id", string(returnID), logging.ExecutionARN, r.ExecutionARN)
	acc, err := s.tenantAccount(ctx, c)
	if err != nil {
		return ctx, sagaStep{}, ledger.Return{}, err
	}
	return ctx, sagaStep{c: c, steps: steps, acc: acc, returns: returns}, r, nil
}

// returnDetails are what a return's own write records with its intent.
func (s *Service) returnDetails(ctx context.Context, st sagaStep, r ledger.Return, id ledger.StepID) (ledger.StepDetails, error) {
	tag := ledger.ExternalIdentifier(st.c.Tenant, st.c.ID) + "/" + string(id)
	if id.Kind() == ledger.StepOrderReturn {
		customer, err := st.acc.platform.Customer(ctx, st.c.ContactUUID)
		if err != nil {
			return ledger.StepDetails{}, unavailable(err)
		}
		return ledger.StepDetails{
			ContactUUID: st.c.ContactUUID, PointsBefore: &customer.Points,
			ExternalID: ledger.ExternalIdentifier(st.c.Tenant, st.c.ID) + "/" + string(r.ID),
		}, nil
	}
	i := slices.IndexFunc(r.Refunds, func(f ledger.Refund) bool { return f.By == id })
	if i < 0 {
		return ledger.StepDetails{}, fmt.Errorf("checkout: return %s plans no refund %s", r.ID, id)
	}
	debit, _ := findStep(st.steps, r.Refunds[i].Debit)
	d := ledger.StepDetails{
		ContactUUID: st.c.ContactUUID, GiftcardUUID: debit.Details.GiftcardUUID, GiftcardCode: debit.Details.GiftcardCode,
		Amount: r.Refunds[i].Amount, Tag: tag,
	}
	return d, nil
}

// CloseReturnRequest records how a return's saga ended.
type CloseReturnRequest struct {
	Tenant     tenancy.TenantID  `json:"tenant"`
	CheckoutID ledger.CheckoutID `json:"checkout_id"`
	ReturnID   ledger.ReturnID   `json:"return_id"`
}

// ReturnClosed is the return's final status.
type ReturnClosed struct {
	Status ledger.ReturnStatus `json:"status"`
}

// CloseReturn records the return: completed when every step ended as
// planned, needs_attention (with an alert) otherwise.
func (s *Service) CloseReturn(ctx context.Context, req CloseReturnRequest) (ReturnClosed, error) {
	ctx, st, r, err := s.beginReturn(ctx, req.Tenant, req.CheckoutID, req.ReturnID)
	if err != nil {
		return ReturnClosed{}, err
	}
	if r.Status != ledger.ReturnProcessing {
		// Closed before: publishing may be what failed then.
		return ReturnClosed{Status: r.Status}, s.publish(ctx, returnEvent(st.c, r))
	}
	var problems []string
	for _, id := range r.Plan.Steps() {
		step, found := findStep(st.steps, id)
		want := ledger.StepReversed
		switch id.Kind() {
		case ledger.StepOrderReturn, ledger.StepGiftcardRefund, ledger.StepPrepaidRefund:
			want = ledger.StepDone
		}
		switch {
		case !found:
			problems = append(problems, fmt.Sprintf("%s never ran", id))
		case step.State != want:
			problems = append(problems, fmt.Sprintf("%s is %s", id, step.State))
		}
	}
	finished, err := r.Finish(problems, s.now())
	if err != nil {
		return ReturnClosed{}, err
	}
	saved, err := s.ledger.SaveReturn(ctx, req.Tenant, finished)
	if err != nil {
		return ReturnClosed{}, s.storeError(err, "")
	}
	log := logging.From(ctx)
	if finished.Status == ledger.ReturnNeedsAttention {
		log.Error("return needs attention", "problems", problems,
			slog.Group("_aws", "CloudWatchMetrics", []map[string]any{{
				"Namespace": "LeatPosGateway", "Dimensions": [][]string{{}, {"Tenant"}},
				"Metrics": []map[string]string{{"Name": "ReturnsNeedingAttention", "Unit": "Count"}},
			}}, "Timestamp", s.now().UnixMilli()),
			"Tenant", string(req.Tenant), "ReturnsNeedingAttention", 1)
	} else {
		log.Info("return recorded", "status", string(finished.Status))
	}
	if err := s.publish(ctx, returnEvent(st.c, saved)); err != nil {
		return ReturnClosed{}, err
	}
	return ReturnClosed{Status: finished.Status}, nil
}

// returnOf is the return a return step belongs to, from the step's item.
func returnOf(st sagaStep, step ledger.Step) ledger.Return {
	for _, r := range st.returns {
		if step.Item() == r.Item() || strings.HasPrefix(step.Item(), r.Item()+".") {
			return r
		}
	}
	return ledger.Return{}
}

// returnRecorded reads what an order return Leat already had did to the
// balance: nothing else is known of it.
func (s *Service) returnRecorded(ctx context.Context, st sagaStep, d ledger.StepDetails) (writeResult, error) {
	customer, err := st.acc.platform.Customer(ctx, d.ContactUUID)
	if err != nil {
		return writeResult{}, err
	}
	after := customer.Points
	return writeResult{details: func(d *ledger.StepDetails) {
		d.PointsAfter = &after
		if d.PointsBefore != nil {
			points := after - *d.PointsBefore
			d.PointsEarned = &points
		}
	}}, nil
}

func nonNil(ids []ledger.StepID) []ledger.StepID {
	if ids == nil {
		return []ledger.StepID{}
	}
	return ids
}

// ListOrders lists the orders of a location the caller serves, newest first.
func (s *Service) ListOrders(ctx context.Context, p tenancy.Principal, q ledger.OrderQuery) (ledger.OrderPage, error) {
	_, location, err := tenancy.Locate(ctx, s.directory, p, q.Location)
	if err != nil {
		return ledger.OrderPage{}, err
	}
	q.Location = location.ID
	return s.ledger.Orders(ctx, p.Tenant, q)
}

// RetryReturn runs again a return that needs attention, once an operator
// has fixed what stopped it. Its steps needing attention (its own writes,
// and the order's steps it was giving back) are reopened where the saga
// gave up on them, to be read back from Leat first; the return goes back to
// processing and a new execution runs it, skipping what is done. The retry
// is recorded on the return with the key that asked for it.
func (s *Service) RetryReturn(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, orderID, returnID string) (ReturnView, error) {
	v, err := s.ReadReturn(ctx, p, location, orderID, returnID)
	if err != nil {
		return ReturnView{}, err
	}
	c, r := v.Order.Checkout, v.Return
	ctx = logging.With(logger(ctx, c), "return_id", string(r.ID))
	reopened, err := r.Reopen(s.now())
	if err != nil {
		return ReturnView{}, &StateError{ID: c.ID, Status: ledger.CheckoutStatus(r.Status), Action: "retry return " + string(r.ID) + " of"}
	}
	// Recorded before the execution starts, which may save the return first.
	reopened.Retries = append(reopened.Retries, ledger.OperatorRetry{At: s.now().UTC(), By: p.KeyName})
	var planned []ledger.Step
	for _, id := range r.Plan.Steps() {
		if step, found := findStep(v.Order.Steps, id); found {
			planned = append(planned, step)
		}
	}
	if err := s.reopen(ctx, c.Tenant, planned); err != nil {
		return ReturnView{}, err
	}
	saved, err := s.ledger.SaveReturn(ctx, c.Tenant, reopened)
	if err != nil {
		return ReturnView{}, s.storeError(err, "")
	}
	logging.From(ctx).Info("an operator retried the return", "by", p.KeyName)
	return s.launchReturn(ctx, c, saved, true)
}
