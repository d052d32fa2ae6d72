// Package checkout runs a POS order through Leat safely: it checks the basket
// against the customer's points, rewards and vouchers before anything moves,
// reserves them while the POS takes payment, then confirms them and earns
// points, or gives everything back. The steps run in a Step Functions saga;
// every Leat write is a ledger step recorded before and after the call, and a
// step whose answer was lost is reconciled against Leat before anything else
// is tried.
package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Errors of the checkout domain; the API maps each to a stable problem code.
var (
	// ErrCheckoutExists: the POS order already has a checkout, started with
	// another Idempotency-Key. CheckoutExistsError says which.
	ErrCheckoutExists = errors.New("checkout: the order already has a checkout")
	// ErrCustomerAttached: the order already earned its points for a customer.
	ErrCustomerAttached = errors.New("checkout: the order already has its customer")
	// ErrClaimLinkIssued: the order's points are claimed through its receipt
	// QR code, so no customer can be attached at the till as well.
	ErrClaimLinkIssued = errors.New("checkout: a claim link was issued for the order")
	// ErrNoPortal: the tenant has no contacts portal for claim links.
	ErrNoPortal = errors.New("checkout: the tenant has no Leat contacts portal configured")
	// ErrPaymentWindowClosed: the payment arrived after the saga stopped
	// waiting (deadline or cancel); everything was given back.
	ErrPaymentWindowClosed = errors.New("checkout: the payment window has closed")
	// ErrTenderExceedsDue: giftcards and prepaid would pay more than is due.
	ErrTenderExceedsDue = errors.New("checkout: the tenders exceed what is due")
	// ErrNeedsAttention: Leat cannot tell whether a write happened, so an
	// operator settles the checkout; the POS must not take the amount again.
	ErrNeedsAttention = errors.New("checkout: an operator must settle what Leat cannot tell")
	// ErrTaskGone is what Executions.Resume answers when the saga no longer
	// waits for this task token.
	ErrTaskGone = errors.New("checkout: the saga no longer waits for this payment")
)

// CheckoutExistsError carries the checkout the order already has.
type CheckoutExistsError struct{ Checkout ledger.Checkout }

func (e *CheckoutExistsError) Error() string {
	return fmt.Sprintf("%v: %s", ErrCheckoutExists, e.Checkout.ID)
}
func (e *CheckoutExistsError) Unwrap() error { return ErrCheckoutExists }

// StateError: the checkout is in a status that forbids what was asked.
type StateError struct {
	ID     ledger.CheckoutID
	Status ledger.CheckoutStatus
	Action string
}

func (e *StateError) Error() string {
	return fmt.Sprintf("checkout: cannot %s checkout %s while it is %s", e.Action, e.ID, e.Status)
}

// ItemError names the basket item a refusal is about, as the request wrote
// it ("rewards[1]"); Err is the loyalty domain's reason.
type ItemError struct {
	Item string
	Err  error
}

func (e *ItemError) Error() string { return e.Item + ": " + e.Err.Error() }
func (e *ItemError) Unwrap() error { return e.Err }

// Errors the state machine tells apart by their type names (aws-lambda-go
// reports a returned error's type as the Step Functions error name), so the
// saga handlers return them unwrapped.
type (
	// LeatUnavailableError: Leat was down or slow, and nothing was applied.
	LeatUnavailableError struct{ Err error }
	// OutcomeUnknownError: a write may or may not have happened; the retry
	// reconciles it against Leat before anything else.
	OutcomeUnknownError struct{ Step ledger.StepID }
	// StepInFlightError: another invocation may still be calling Leat for
	// the step; retry after its lease.
	StepInFlightError struct{ Step ledger.StepID }
	// StoreUnavailableError: the ledger could not be read or written.
	StoreUnavailableError struct{ Err error }
)

func (e *LeatUnavailableError) Error() string { return "Leat is unavailable: " + e.Err.Error() }
func (e *LeatUnavailableError) Unwrap() error { return e.Err }
func (e *OutcomeUnknownError) Error() string {
	return "the outcome of " + string(e.Step) + " is unknown; the retry reconciles it with Leat"
}
func (e *StepInFlightError) Error() string {
	return string(e.Step) + " may still be in flight; retry after its lease"
}
func (e *StoreUnavailableError) Error() string { return "the ledger is unavailable: " + e.Err.Error() }
func (e *StoreUnavailableError) Unwrap() error { return e.Err }

// Retryable tells whether err is itself one of the errors above, which the
// state machines retry by name.
func Retryable(err error) bool {
	switch err.(type) {
	case *LeatUnavailableError, *OutcomeUnknownError, *StepInFlightError, *StoreUnavailableError, *EventsUnavailableError:
		return true
	}
	return false
}

// Platform is a tenant's Leat account as the checkout uses it: the loyalty
// reads plus the writes that move points and vouchers.
type Platform interface {
	loyalty.Platform
	// Reward reads one reward with its availability.
	Reward(ctx context.Context, uuid string) (RewardAvailability, error)
	// ReceiveReward claims a reward for the contact: its points are spent.
	ReceiveReward(ctx context.Context, contactUUID, rewardUUID, shopUUID string) (Reception, error)
	ReverseRewardReception(ctx context.Context, receptionUUID string) (string, error)
	// GrantPoints gives points back when the reception to reverse cannot be
	// named (its answer was lost); it answers the credit reception's uuid.
	GrantPoints(ctx context.Context, contactUUID, shopUUID string, points int64) (string, error)
	LockVoucher(ctx context.Context, voucherUUID string) (VoucherLock, error)
	ReleaseVoucher(ctx context.Context, voucherUUID, releaseKey string) error
	// RedeemVoucher answers the redemption's uuid.
	RedeemVoucher(ctx context.Context, r VoucherRedemption) (string, error)
	ReverseVoucherRedemption(ctx context.Context, redemptionUUID string) error
	// CollectReward hands a collectable reward over; it answers the uuid of
	// the collection.
	CollectReward(ctx context.Context, collectableUUID string) (string, error)
	// ReverseRewardCollection makes a collected reward collectable again.
	ReverseRewardCollection(ctx context.Context, collectionUUID string) error
	// ReturnOrder records lines coming back from an order and corrects the
	// points it earned; ErrReturnRecorded when Leat already has a return
	// with the external identifier.
	ReturnOrder(ctx context.Context, r OrderReturn) (OrderReturnResult, error)
	// CreateOrder records the paid order and earns its points.
	CreateOrder(ctx context.Context, o Order) (OrderResult, error)
	// FindOrder answers the uuid of the order with this external
	// identifier, or ErrOrderNotFound.
	FindOrder(ctx context.Context, externalID string) (string, error)
	// LoyaltyTokenURL builds the receipt QR's URL; no call to Leat.
	LoyaltyTokenURL(t LoyaltyToken) (string, error)

	// DebitGiftcard pays amount (minor units) with a card, tagging the
	// transaction so that it can be found again; it answers its uuid.
	DebitGiftcard(ctx context.Context, giftcardUUID, shopUUID string, amount int64, tag string) (string, error)
	// CreditGiftcard puts amount back on a card, tagged likewise.
	CreditGiftcard(ctx context.Context, giftcardUUID, shopUUID string, amount int64, tag string) (string, error)
	// GiftcardTransactionByTag finds the card's transaction with the tag;
	// found is false when there is none.
	GiftcardTransactionByTag(ctx context.Context, code, tag string) (uuid string, found bool, err error)
	// ReverseGiftcardTransaction undoes a transaction; ErrNotLastTransaction
	// when Leat only reverses a card's last one.
	ReverseGiftcardTransaction(ctx context.Context, transactionUUID string) (string, error)
	// DebitPrepaid pays amount from the contact's prepaid balance; it
	// answers the transaction's uuid and the balance after it.
	DebitPrepaid(ctx context.Context, contactUUID, shopUUID string, amount int64) (string, int64, error)
	// CreditPrepaid tops the contact's prepaid balance up; it answers the
	// transaction's uuid and the balance after it.
	CreditPrepaid(ctx context.Context, contactUUID, shopUUID string, amount int64) (string, int64, error)
	// PrepaidTransactions lists the contact's recent prepaid transactions at the shop.
	PrepaidTransactions(ctx context.Context, contactUUID, shopUUID string) ([]PrepaidTransaction, error)
	ReversePrepaidTransaction(ctx context.Context, transactionUUID string) (string, error)
	// DefaultGiftcardProgram is the program digital cards are sold in, and its maximum balance (0: none).
	DefaultGiftcardProgram(ctx context.Context) (uuid string, maxAmount int64, err error)
	// CreateDigitalGiftcard creates an empty digital card.
	CreateDigitalGiftcard(ctx context.Context, programUUID string) (loyalty.Giftcard, error)
	// SendGiftcard emails a card to a contact with Leat's giftcard email.
	SendGiftcard(ctx context.Context, giftcardUUID, contactUUID string) error
}

// ErrNotLastTransaction: Leat reverses only a giftcard's last transaction.
var ErrNotLastTransaction = errors.New("checkout: not the giftcard's last transaction")

// PrepaidTransaction is one move of a prepaid balance.
type PrepaidTransaction struct {
	UUID string
	// Amount is positive for a top-up, negative for a payment.
	Amount int64
	At     time.Time
}

// ErrOrderNotFound: Leat has no order with the external identifier.
var ErrOrderNotFound = errors.New("checkout: Leat has no such order")

// ErrReturnRecorded: Leat already has a return with the external identifier.
var ErrReturnRecorded = errors.New("checkout: Leat already recorded this return")

// OrderReturn is lines of a Leat order coming back.
type OrderReturn struct {
	OrderExternalID string
	ExternalID      string
	Lines           []ledger.ReturnLine
}

// OrderReturnResult is the points correction Leat made: Points is negative
// when points were taken back.
type OrderReturnResult struct {
	UUID          string
	Points        int64
	PointsBalance int64
}

// Platforms gives each tenant's Leat account.
type Platforms interface {
	For(ctx context.Context, t tenancy.Tenant) (Platform, error)
}

// RewardAvailability is a reward and whether it can be claimed at all.
type RewardAvailability struct {
	Reward loyalty.Reward
	Active bool
	// Stock is how many are left; nil when unlimited.
	Stock *int64
}

// Reception is a claimed reward.
type Reception struct {
	UUID string
	// PointsAfter is the contact's balance after the points were spent.
	PointsAfter int64
}

// VoucherLock reserves a voucher until it is redeemed, released, or Leat
// releases it at ReleasesAt.
type VoucherLock struct {
	ReleaseKey string
	ReleasesAt time.Time
}

// VoucherRedemption uses a voucher for a contact at a shop.
type VoucherRedemption struct {
	Code, ShopUUID, ContactUUID string
	// ReleaseKey redeems a voucher this checkout locked.
	ReleaseKey string
}

// Order is the paid order as Leat records it to earn points.
type Order struct {
	ExternalID  string
	Reference   string
	ContactUUID string
	ShopUUID    string
	Currency    string
	Lines       []ledger.Line
	// DiscountPerLine is what the applied discounts took off each line.
	DiscountPerLine map[string]int64
	Discounts       []AppliedDiscount
	Payments        []LeatPayment
	// LineResults link the lines that sold Leat money to the load.
	LineResults map[string]LeatPayment
	PaidAt      time.Time
}

// LeatPayment is a tender the order was paid with in Leat.
type LeatPayment struct {
	UUID string
	Kind ledger.StepKind
}

// AppliedDiscount links a discount of the order to the Leat redemption that
// granted it.
type AppliedDiscount struct {
	ExternalID string
	Name       string
	Amount     int64
	LineIDs    []string
	// OfferUUID and OfferKind name the redemption; empty when unknown.
	OfferUUID string
	OfferKind ledger.StepKind
}

// OrderResult is what the order earned.
type OrderResult struct {
	UUID          string
	PointsEarned  int64
	PointsBalance int64
}

// LoyaltyToken is a receipt's claim for points, redeemable once.
type LoyaltyToken struct {
	PortalURL string
	ShopUUID  string
	UniqueID  string
	// Amount is the paid total in minor units of Currency.
	Amount    int64
	Currency  string
	Timestamp time.Time
}

// Executions runs the checkout saga.
type Executions interface {
	// Start begins the saga under a name unique to the checkout; starting
	// again with the same name and input answers the same execution.
	Start(ctx context.Context, name string, input SagaInput) (executionARN string, err error)
	// Resume hands the POS's payment report to the waiting saga;
	// ErrTaskGone when it no longer waits.
	Resume(ctx context.Context, taskToken string, event PaymentEvent) error
	// StartReturn begins a return's saga, like Start.
	StartReturn(ctx context.Context, name string, input ReturnInput) (executionARN string, err error)
}
