// Package ledger records which Leat transactions belong to which POS order, so
// that a money-moving call is never repeated blindly and a return weeks later
// reverses exactly what the sale did. Every Leat write is a Step: its intent is
// recorded before the call and Leat's transaction uuid after it.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Errors of the ledger.
var (
	ErrInvalid          = errors.New("ledger: invalid")
	ErrCheckoutNotFound = errors.New("ledger: checkout not found")
	ErrCheckoutExists   = errors.New("ledger: checkout already exists")
	// ErrConflict: the record changed since it was read; reload and decide again.
	ErrConflict = errors.New("ledger: concurrent update")
)

// TransitionError: a behaviour was asked of a record in a state that forbids it.
type TransitionError struct {
	What     string
	From, To string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("ledger: %s cannot go from %s to %s", e.What, e.From, e.To)
}

// CheckoutID identifies a checkout within a tenant. It is derived from the
// location and the POS's own order id, so a repeated start finds the same one.
type CheckoutID string

var posOrderID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$`)

// NewCheckoutID derives the id of the POS order at the location.
func NewCheckoutID(location tenancy.LocationID, orderID string) (CheckoutID, error) {
	if location == "" {
		return "", fmt.Errorf("%w: a location is required", ErrInvalid)
	}
	if !posOrderID.MatchString(orderID) {
		return "", fmt.Errorf("%w: order id %q: 1-80 letters, digits, '.', '_', ':' or '-'", ErrInvalid, orderID)
	}
	return CheckoutID(string(location) + "." + orderID), nil
}

// CheckoutStatus is where a checkout is in its saga.
type CheckoutStatus string

// The checkout's life: reserve Leat resources, wait for the POS's payment,
// then confirm or compensate.
const (
	CheckoutReserving       CheckoutStatus = "reserving"
	CheckoutAwaitingPayment CheckoutStatus = "awaiting_payment"
	CheckoutConfirming      CheckoutStatus = "confirming"
	CheckoutCompleted       CheckoutStatus = "completed"
	CheckoutCompensating    CheckoutStatus = "compensating"
	CheckoutCancelled       CheckoutStatus = "cancelled"
	// CheckoutNeedsAttention: a compensation failed after its retries; an
	// operator must look. Never a silent stop.
	CheckoutNeedsAttention CheckoutStatus = "needs_attention"
)

// checkoutTransitions lists every allowed status change.
var checkoutTransitions = map[CheckoutStatus][]CheckoutStatus{
	CheckoutReserving:       {CheckoutAwaitingPayment, CheckoutCompensating},
	CheckoutAwaitingPayment: {CheckoutConfirming, CheckoutCompensating},
	CheckoutConfirming:      {CheckoutCompleted, CheckoutNeedsAttention},
	CheckoutCompensating:    {CheckoutCancelled, CheckoutNeedsAttention},
	CheckoutNeedsAttention:  {CheckoutCompleted, CheckoutCancelled},
}

// Checkout is the header of one POS order.
type Checkout struct {
	Tenant       tenancy.TenantID
	ID           CheckoutID
	Location     tenancy.LocationID
	POSOrderID   string
	Status       CheckoutStatus
	ContactUUID  string
	Total        money.Money
	ExecutionARN string
	// TaskToken lets the payment callback resume the waiting saga.
	TaskToken string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version guards against lost updates: each save expects the version read.
	Version int64
}

// MoveTo changes the status when the saga allows it.
func (c Checkout) MoveTo(s CheckoutStatus, at time.Time) (Checkout, error) {
	for _, allowed := range checkoutTransitions[c.Status] {
		if allowed == s {
			c.Status, c.UpdatedAt = s, at.UTC()
			return c, nil
		}
	}
	return c, &TransitionError{What: "checkout " + string(c.ID), From: string(c.Status), To: string(s)}
}

// StepKind is the kind of Leat write a step performs.
type StepKind string

// The Leat writes of the checkout and return sagas.
const (
	StepRewardReception   StepKind = "reward_reception"
	StepRewardCollection  StepKind = "reward_collection"
	StepVoucherLock       StepKind = "voucher_lock"
	StepVoucherRedemption StepKind = "voucher_redemption"
	StepGiftcardDebit     StepKind = "giftcard_debit"
	StepGiftcardLoad      StepKind = "giftcard_load"
	StepPrepaidDebit      StepKind = "prepaid_debit"
	StepPrepaidTopUp      StepKind = "prepaid_top_up"
	StepOrder             StepKind = "order"
	StepOrderReturn       StepKind = "order_return"
)

var stepKinds = map[StepKind]bool{
	StepRewardReception: true, StepRewardCollection: true, StepVoucherLock: true, StepVoucherRedemption: true,
	StepGiftcardDebit: true, StepGiftcardLoad: true, StepPrepaidDebit: true, StepPrepaidTopUp: true,
	StepOrder: true, StepOrderReturn: true,
}

// StepID is deterministic: the same step of the same checkout always has the
// same id, which is what makes a retried step find its earlier outcome.
type StepID string

// NewStepID names the index-th step of a kind ("giftcard_debit.0").
func NewStepID(kind StepKind, index int) (StepID, error) {
	if !stepKinds[kind] {
		return "", fmt.Errorf("%w: step kind %q", ErrInvalid, kind)
	}
	if index < 0 {
		return "", fmt.Errorf("%w: step index %d", ErrInvalid, index)
	}
	return StepID(fmt.Sprintf("%s.%d", kind, index)), nil
}

// StepState is what is known about a step's Leat write.
type StepState string

// A step is pending from its intent until Leat's answer is recorded. A pending
// step found later is an unknown outcome: reconcile against Leat before any
// new write.
const (
	StepPending  StepState = "pending"
	StepDone     StepState = "done"
	StepFailed   StepState = "failed"
	StepReversed StepState = "reversed"
)

// Step is one Leat write of a checkout.
type Step struct {
	Checkout CheckoutID
	ID       StepID
	Kind     StepKind
	State    StepState
	// Reference is what the write acts on: a reward uuid, voucher code,
	// giftcard uuid or contact uuid.
	Reference string
	Amount    money.Money
	// LeatUUID is the transaction Leat created; ReversalUUID the one that
	// undid it.
	LeatUUID     string
	ReversalUUID string
	Failure      string
	IntentAt     time.Time
	DoneAt       time.Time
	ReversedAt   time.Time
}

// NewStep records the intent of a Leat write.
func NewStep(checkout CheckoutID, kind StepKind, index int, reference string, amount money.Money, at time.Time) (Step, error) {
	id, err := NewStepID(kind, index)
	if err != nil {
		return Step{}, err
	}
	return Step{Checkout: checkout, ID: id, Kind: kind, State: StepPending, Reference: reference, Amount: amount, IntentAt: at.UTC()}, nil
}

// Succeed records Leat's transaction uuid of a pending step.
func (s Step) Succeed(leatUUID string, at time.Time) (Step, error) {
	if s.State != StepPending {
		return s, s.transition(StepDone)
	}
	if leatUUID == "" {
		return s, fmt.Errorf("%w: step %s needs Leat's transaction uuid", ErrInvalid, s.ID)
	}
	s.State, s.LeatUUID, s.DoneAt = StepDone, leatUUID, at.UTC()
	return s, nil
}

// Fail records that Leat refused a pending step, so no money moved.
func (s Step) Fail(reason string, at time.Time) (Step, error) {
	if s.State != StepPending {
		return s, s.transition(StepFailed)
	}
	s.State, s.Failure, s.DoneAt = StepFailed, reason, at.UTC()
	return s, nil
}

// Reverse records the Leat transaction that undid a done step.
func (s Step) Reverse(reversalUUID string, at time.Time) (Step, error) {
	if s.State != StepDone {
		return s, s.transition(StepReversed)
	}
	s.State, s.ReversalUUID, s.ReversedAt = StepReversed, reversalUUID, at.UTC()
	return s, nil
}

func (s Step) transition(to StepState) error {
	return &TransitionError{What: "step " + string(s.ID), From: string(s.State), To: string(to)}
}

// Store persists checkouts and their steps.
type Store interface {
	// CreateCheckout stores a new checkout; ErrCheckoutExists when its id is taken.
	CreateCheckout(ctx context.Context, c Checkout) error
	// SaveCheckout stores c if the stored version is still c.Version, and
	// returns it with the next version; ErrConflict otherwise.
	SaveCheckout(ctx context.Context, c Checkout) (Checkout, error)
	// Checkout loads a checkout with its steps, in id order.
	Checkout(ctx context.Context, tenant tenancy.TenantID, id CheckoutID) (Checkout, []Step, error)
	// RecordIntent stores a pending step unless the step exists; it then
	// returns the stored step and created=false.
	RecordIntent(ctx context.Context, tenant tenancy.TenantID, s Step) (stored Step, created bool, err error)
	// SaveStep stores s if the stored step is still in state from; ErrConflict otherwise.
	SaveStep(ctx context.Context, tenant tenancy.TenantID, from StepState, s Step) error
}
