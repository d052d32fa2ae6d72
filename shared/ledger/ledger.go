// Package ledger records which Leat transactions belong to which POS order, so
// that a money-moving call is never repeated blindly and a return weeks later
// reverses exactly what the sale did. A Checkout is the header of one POS
// order: its basket, the discounts it was promised and what became of it.
// Every Leat write, and every reversal, is a Step whose intent is recorded
// before the call and Leat's answer after it.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// isPOSName reports whether s is a name a POS or back office gives, at most
// maxLen long: a letter or digit, then letters, digits, '.', '_', ':' or
// '-'. The ledger's names are checked by hand rather than by regular
// expressions, which every function would compile at its cold start.
func isPOSName(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlphanumeric(c) || i > 0 && (c == '.' || c == '_' || c == ':' || c == '-')) {
			return false
		}
	}
	return true
}

func isAlphanumeric(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// NewCheckoutID derives the id of the POS order at the location.
func NewCheckoutID(location tenancy.LocationID, orderID string) (CheckoutID, error) {
	if location == "" {
		return "", fmt.Errorf("%w: a location is required", ErrInvalid)
	}
	if !isPOSName(orderID, 80) {
		return "", fmt.Errorf("%w: order id %q: 1-80 letters, digits, '.', '_', ':' or '-'", ErrInvalid, orderID)
	}
	return CheckoutID(string(location) + "." + orderID), nil
}

// ParseCheckoutID validates a checkout id read from a path.
func ParseCheckoutID(s string) (CheckoutID, error) {
	location, order, ok := cutLocation(s)
	if !ok {
		return "", fmt.Errorf("%w: checkout id %q is <location>.<order id>", ErrInvalid, s)
	}
	loc, err := tenancy.ParseLocationID(location)
	if err != nil {
		return "", fmt.Errorf("%w: checkout id %q: %v", ErrInvalid, s, err)
	}
	return NewCheckoutID(loc, order)
}

func cutLocation(s string) (location, order string, ok bool) {
	location, order, ok = strings.Cut(s, ".")
	return location, order, ok && location != ""
}

// Location is the location part of the id.
func (id CheckoutID) Location() tenancy.LocationID {
	location, _, _ := cutLocation(string(id))
	return tenancy.LocationID(location)
}

// ExternalIdentifier names the checkout in the tenant's Leat account (orders,
// loyalty tokens). Leat wants it unique per account, and POS order ids are
// only unique per location, so it carries the tenant and the location too.
// Loyalty tokens sign it unescaped, so ':' (never '~' in an order id)
// becomes '~'.
func ExternalIdentifier(tenant tenancy.TenantID, id CheckoutID) string {
	return "lpg." + string(tenant) + "." + strings.ReplaceAll(string(id), ":", "~")
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
	// CheckoutNeedsAttention: a step failed after its retries, or Leat could
	// not tell whether a write happened; an operator must look. Never a
	// silent stop.
	CheckoutNeedsAttention CheckoutStatus = "needs_attention"
)

// CheckoutStatuses lists every status a checkout can have.
func CheckoutStatuses() []CheckoutStatus {
	return []CheckoutStatus{CheckoutReserving, CheckoutAwaitingPayment, CheckoutConfirming, CheckoutCompleted,
		CheckoutCompensating, CheckoutCancelled, CheckoutNeedsAttention}
}

// checkoutTransitions lists every allowed status change.
var checkoutTransitions = map[CheckoutStatus][]CheckoutStatus{
	CheckoutReserving:       {CheckoutAwaitingPayment, CheckoutCompensating},
	CheckoutAwaitingPayment: {CheckoutConfirming, CheckoutCompensating},
	// Confirming may still turn to compensating: a payment reported just as
	// the deadline struck loses to it.
	CheckoutConfirming:   {CheckoutCompleted, CheckoutNeedsAttention, CheckoutCompensating},
	CheckoutCompensating: {CheckoutCancelled, CheckoutNeedsAttention},
	// An operator's retry takes a checkout needing attention back to
	// settling, the way its payment points.
	CheckoutNeedsAttention: {CheckoutCompleted, CheckoutCancelled, CheckoutConfirming, CheckoutCompensating},
}

// Final reports whether the saga has ended for this checkout.
func (s CheckoutStatus) Final() bool {
	return s == CheckoutCompleted || s == CheckoutCancelled || s == CheckoutNeedsAttention
}

// PaymentOutcome is what the POS reported about the payment it took.
type PaymentOutcome string

// The outcomes the saga resumes with. Cancelled is the POS giving up before
// paying; the saga treats it like a failed payment.
const (
	PaymentPaid      PaymentOutcome = "paid"
	PaymentFailed    PaymentOutcome = "failed"
	PaymentCancelled PaymentOutcome = "cancelled"
	// PaymentTimedOut: the deadline passed without a word from the POS.
	PaymentTimedOut PaymentOutcome = "timed_out"
)

// Payment is the POS's report, kept so that a repeated callback finds it.
type Payment struct {
	Outcome PaymentOutcome `json:"outcome"`
	// Lines are what the POS finally charged, when it changed the basket.
	Lines []Line `json:"lines,omitempty"`
	// DiscountTotal is what the POS finally discounted, when it said.
	DiscountTotal *int64    `json:"discount_total,omitempty"`
	At            time.Time `json:"at"`
}

// Refusal names the basket item Leat refused and why, for the POS.
type Refusal struct {
	// Item is the request path of the item, e.g. "rewards[1]".
	Item string `json:"item"`
	// Code is the stable problem code, e.g. "reward_out_of_stock".
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
}

// Result is what a confirmed checkout earned.
type Result struct {
	OrderUUID string `json:"order_uuid,omitempty"`
	// PointsEarned is nil when Leat's answer was lost and the order was
	// found again, which tells no points.
	PointsEarned  *int64 `json:"points_earned,omitempty"`
	PointsBalance *int64 `json:"points_balance,omitempty"`
}

// Checkout is the header of one POS order.
type Checkout struct {
	Tenant      tenancy.TenantID
	ID          CheckoutID
	Location    tenancy.LocationID
	ShopUUID    string
	POSOrderID  string
	Status      CheckoutStatus
	ContactUUID string
	Currency    money.Currency
	Basket      Basket
	Discounts   []Discount
	Totals      Totals
	// PointsBefore is the contact's balance when the basket was checked,
	// from which the saga tells whether a lost reward reception happened.
	PointsBefore    int64
	PaymentDeadline time.Time
	Payment         *Payment
	Refusal         *Refusal
	Result          *Result
	ExecutionARN    string
	// TaskToken lets the payment callback resume the waiting saga.
	TaskToken string
	// RequestKey is the Idempotency-Key that started the checkout: only a
	// retry with it may resume a start that failed half-way.
	RequestKey string
	// ClaimLinkIssued: a receipt QR was printed, so the points are claimed
	// there and not by attaching a customer at the till as well.
	ClaimLinkIssued bool
	// Returned is what the order's returns have taken so far.
	Returned Returned
	// Retries are the operators' retries of a checkout that needed attention.
	Retries   []OperatorRetry
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

// OperatorRetry records an operator's retry of a checkout's settlement.
type OperatorRetry struct {
	At time.Time `json:"at"`
	// By is the name of the API key that asked for it.
	By           string `json:"by"`
	ExecutionARN string `json:"execution_arn"`
}

// Anonymous reports a checkout without a customer: it earns points later,
// by attaching a customer or through a claim link.
func (c Checkout) Anonymous() bool { return c.ContactUUID == "" }

// Store persists checkouts and their steps.
type Store interface {
	// CreateCheckout stores a new checkout; ErrCheckoutExists when its id is taken.
	CreateCheckout(ctx context.Context, c Checkout) error
	// SaveCheckout stores c if the stored version is still c.Version, and
	// returns it with the next version; ErrConflict otherwise.
	SaveCheckout(ctx context.Context, c Checkout) (Checkout, error)
	// Checkout loads a checkout with its steps, in id order.
	Checkout(ctx context.Context, tenant tenancy.TenantID, id CheckoutID) (Checkout, []Step, error)
	// RecordIntent stores a new pending step unless the step exists; it then
	// returns the stored step and created=false.
	RecordIntent(ctx context.Context, tenant tenancy.TenantID, s Step) (stored Step, created bool, err error)
	// SaveStep stores s if the stored step is still at s.Version, and
	// returns it with the next version; ErrConflict otherwise.
	SaveStep(ctx context.Context, tenant tenancy.TenantID, s Step) (Step, error)
	// CreateReturn stores a new return together with its checkout, which
	// counts it in: ErrReturnExists when the return's id is taken,
	// ErrConflict when the checkout changed since c.Version.
	CreateReturn(ctx context.Context, c Checkout, r Return) (Checkout, Return, error)
	// SaveReturn stores r if the stored return is still at r.Version.
	SaveReturn(ctx context.Context, tenant tenancy.TenantID, r Return) (Return, error)
	// Returns lists a checkout's returns by index.
	Returns(ctx context.Context, tenant tenancy.TenantID, id CheckoutID) ([]Return, error)
	// Orders lists a location's checkouts, newest first, a page at a time.
	Orders(ctx context.Context, tenant tenancy.TenantID, q OrderQuery) (OrderPage, error)
	// LocationReturns lists the returns of a location's orders, newest
	// first, a page at a time.
	LocationReturns(ctx context.Context, tenant tenancy.TenantID, q ReturnQuery) (ReturnPage, error)
}

// ListQuery selects a location's orders or returns, newest first.
type ListQuery[S ~string] struct {
	Location tenancy.LocationID
	// Status, when set, keeps those in it.
	Status S
	// From and To bound when they started; zero is open.
	From, To time.Time
	Limit    int
	// Cursor continues a list where an earlier page ended.
	Cursor string
}

// OrderQuery selects a location's orders.
type OrderQuery = ListQuery[CheckoutStatus]

// ReturnQuery selects a location's returns.
type ReturnQuery = ListQuery[ReturnStatus]

// OrderPage is one page of orders and where the next one starts; Next is
// empty on the last page.
type OrderPage struct {
	Orders []Checkout
	Next   string
}

// ReturnPage is one page of returns, as OrderPage is of orders.
type ReturnPage struct {
	Returns []Return
	Next    string
}

// ErrBadCursor: the cursor is not one a page of this list answered.
var ErrBadCursor = errors.New("ledger: the cursor is not one of this list")
