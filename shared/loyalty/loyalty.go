// Package loyalty is the gateway's view of a Leat account at the till:
// customers and their cards, rewards and offers with the discounts a POS
// applies, vouchers and giftcards scanned at the counter, and Leat's hosted
// portal sessions. The Platform port is implemented by the leat adapter.
package loyalty

import (
	"context"
	"errors"
	"time"

	"github.com/leatpos/gateway/shared/money"
)

// Errors of the loyalty domain. Platform adapters translate Leat's answers to
// these, so callers never see Leat's raw codes.
var (
	ErrCustomerNotFound   = errors.New("loyalty: customer not found")
	ErrIdentifierNotFound = errors.New("loyalty: card or QR code not found")
	ErrIdentifierInactive = errors.New("loyalty: card or QR code inactive")
	// ErrIdentifierNotLinked: the card exists but belongs to nobody yet.
	ErrIdentifierNotLinked = errors.New("loyalty: card or QR code not linked to a customer")
	ErrVoucherNotFound     = errors.New("loyalty: voucher not found")
	ErrGiftcardNotFound    = errors.New("loyalty: giftcard not found")
	ErrShopNotFound        = errors.New("loyalty: shop not found")
	// ErrInvalid: the platform refused input the gateway passed on.
	ErrInvalid = errors.New("loyalty: invalid input")
	// ErrPlatformUnavailable: Leat did not answer in time or is down; the same
	// request may succeed later.
	ErrPlatformUnavailable = errors.New("loyalty: Leat unavailable")
	// ErrPlatformBadResponse: Leat answered something the gateway cannot
	// read, which breaks Leat's contract rather than being an outage.
	ErrPlatformBadResponse = errors.New("loyalty: Leat's answer could not be read")
	// ErrPlatformCredentials: Leat refused the tenant's credentials.
	ErrPlatformCredentials = errors.New("loyalty: Leat refused the credentials")
	// ErrPlatformRejected: Leat refused the request for a reason the gateway
	// has no better name for.
	ErrPlatformRejected = errors.New("loyalty: Leat refused the request")
)

// UnavailableError carries how long Leat asked to wait, when it said.
type UnavailableError struct {
	RetryAfter time.Duration
	Cause      error
}

func (e *UnavailableError) Error() string {
	return ErrPlatformUnavailable.Error() + ": " + e.Cause.Error()
}
func (e *UnavailableError) Is(target error) bool { return target == ErrPlatformUnavailable }
func (e *UnavailableError) Unwrap() error        { return e.Cause }

// Tier is a customer's loyalty tier.
type Tier struct {
	UUID     string
	Name     string
	Position int
}

// Customer is a Leat contact with the balances a cashier shows.
type Customer struct {
	UUID    string
	Email   string
	Tier    *Tier
	Points  int64
	Prepaid money.Money
}

// Identifier is a scanned loyalty card or QR code.
type Identifier struct {
	Value       string
	Name        string
	Active      bool
	ContactUUID string
}

// Reward is something a customer can claim with points.
type Reward struct {
	UUID           string
	Title          string
	Description    string
	RequiredPoints int64
	ImageURL       string
	Physical       bool
	// PreRedeemable rewards become collectable offers when claimed.
	PreRedeemable bool
	Attributes    map[string]string
}

// CollectableReward is a claimed reward waiting to be collected.
type CollectableReward struct {
	UUID      string
	Title     string
	Reward    Reward
	ExpiresAt *time.Time
	Collected bool
}

// VoucherStatus is Leat's voucher status.
type VoucherStatus string

// The statuses a voucher can have.
const (
	VoucherActive      VoucherStatus = "ACTIVE"
	VoucherLocked      VoucherStatus = "LOCKED"
	VoucherRedeemed    VoucherStatus = "REDEEMED"
	VoucherExpired     VoucherStatus = "EXPIRED"
	VoucherDeactivated VoucherStatus = "DEACTIVATED"
	VoucherInactive    VoucherStatus = "INACTIVE"
)

// Voucher is a promotion's voucher.
type Voucher struct {
	UUID                 string
	Code                 string
	Name                 string
	Description          string
	Status               VoucherStatus
	ExpiresAt            *time.Time
	RedemptionsRemaining *int64
	ContactUUID          string
	ContactEmail         string
	PromotionUUID        string
	PromotionName        string
	Attributes           map[string]string
}

// Giftcard is a physical or digital giftcard.
type Giftcard struct {
	UUID        string
	Code        string
	Physical    bool
	Balance     money.Money
	Active      bool
	ExpiresAt   *time.Time
	ProgramUUID string
	ProgramName string
	// MaxBalance is the program's ceiling; zero when it has none.
	MaxBalance money.Money
	// BalanceURL is the card's public balance page, for the receipt.
	BalanceURL string
}

// PortalSessionKind selects one of Leat's hosted flows.
type PortalSessionKind string

// The portal flows Leat hosts.
const (
	PortalDefault         PortalSessionKind = "default"
	PortalCreditReception PortalSessionKind = "credit_reception"
	PortalRedeemGiftcards PortalSessionKind = "redeem_giftcards"
	PortalTopUpGiftcards  PortalSessionKind = "top_up_giftcards"
	PortalPayPrepaid      PortalSessionKind = "pay_prepaid"
	PortalTopUpPrepaid    PortalSessionKind = "top_up_prepaid"
	PortalVouchers        PortalSessionKind = "vouchers"
)

// PortalSessionRequest opens a portal session at a shop.
type PortalSessionRequest struct {
	Kind        PortalSessionKind
	ShopUUID    string
	ContactUUID string
	// Amount is what the flow is about: required to redeem giftcards, and the
	// purchase amount of a credit reception.
	Amount                    money.Money
	EnableEmailIdentification bool
	EnableRegistration        bool
}

// PortalSession is an opened portal session to show on a customer screen.
type PortalSession struct {
	UUID        string
	URL         string
	Kind        PortalSessionKind
	ContactUUID string
	CreatedAt   time.Time
}

// Platform is the loyalty platform (Leat) as the gateway uses it. Reads only:
// money-moving writes go through the checkout saga.
type Platform interface {
	FindIdentifier(ctx context.Context, value string) (Identifier, error)
	FindOrCreateCustomer(ctx context.Context, email string) (Customer, error)
	Customer(ctx context.Context, uuid string) (Customer, error)
	Rewards(ctx context.Context, contactUUID, shopUUID string) ([]Reward, error)
	// ActiveVouchers lists the contact's active vouchers; more tells that
	// Leat holds others than the platform would page through.
	ActiveVouchers(ctx context.Context, contactUUID string) (vouchers []Voucher, more bool, err error)
	CollectableRewards(ctx context.Context, contactUUID string) ([]CollectableReward, error)
	VoucherByCode(ctx context.Context, code string) (Voucher, error)
	// ValidateVoucher asks Leat whether the voucher can be redeemed now at the
	// shop by the contact ("" for the voucher's own), answering nil or the
	// refusal redeeming would meet. Callers use CheckVoucher, which spares Leat
	// the questions the voucher already answers.
	ValidateVoucher(ctx context.Context, voucherUUID, shopUUID, contactUUID string) error
	GiftcardByCode(ctx context.Context, code string) (Giftcard, error)
	OpenPortalSession(ctx context.Context, r PortalSessionRequest) (PortalSession, error)
}
