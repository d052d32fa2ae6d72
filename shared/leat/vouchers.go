package leat

import (
	"context"
	"time"
)

// VoucherStatus is the state of a voucher.
type VoucherStatus string

const (
	VoucherActive      VoucherStatus = "ACTIVE"
	VoucherLocked      VoucherStatus = "LOCKED"
	VoucherRedeemed    VoucherStatus = "REDEEMED"
	VoucherExpired     VoucherStatus = "EXPIRED"
	VoucherDeactivated VoucherStatus = "DEACTIVATED"
	VoucherInactive    VoucherStatus = "INACTIVE"
)

// Voucher is a voucher of a promotion.
type Voucher struct {
	UUID        string        `json:"uuid"`
	Code        string        `json:"code"`
	Status      VoucherStatus `json:"status"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	// ActivationDate, ExpirationDate and RedeemedAt are zero when unset.
	ActivationDate time.Time `json:"activation_date"`
	ExpirationDate time.Time `json:"expiration_date"`
	RedeemedAt     time.Time `json:"redeemed_at"`
	IsRedeemed     bool      `json:"is_redeemed"`
	// TimesRedeemed, RedemptionsRemaining and TotalRedemptionsAllowed count uses of
	// multi-use vouchers; the pointers are nil when Leat sends no limit.
	TimesRedeemed           int64  `json:"times_redeemed"`
	RedemptionsRemaining    *int64 `json:"redemptions_remaining"`
	TotalRedemptionsAllowed *int64 `json:"total_redemptions_allowed"`
	// Attributes holds the promotion's custom attributes (the POS discount settings).
	Attributes Attributes `json:"attributes"`
	// Contact is nil for a voucher not linked to a contact.
	Contact *ContactSummary `json:"contact"`
	// Promotion is the voucher's promotion. Leat flattens the custom attributes into it as
	// well; read them from Attributes instead.
	Promotion Promotion `json:"promotion"`
	// Redemption is set in RedeemVoucher's answer; keep its UUID to reverse the redemption.
	Redemption *VoucherRedemption `json:"voucher_redemption"`
}

// VoucherRedemption is one use of a voucher.
type VoucherRedemption struct {
	UUID      string    `json:"uuid"`
	CreatedAt time.Time `json:"created_at"`
}

// Promotion groups vouchers and carries their custom attributes.
type Promotion struct {
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"`
	// VoucherLimit, LimitPerContact and RedemptionsPerVoucher are zero when unlimited.
	VoucherLimit          int64      `json:"voucher_limit"`
	LimitPerContact       int64      `json:"limit_per_contact"`
	RedemptionsPerVoucher int64      `json:"redemptions_per_voucher"`
	Attributes            Attributes `json:"attributes"`
}

// FindVoucher looks a voucher up by its code, or fails with CodeVoucherNotFound.
func (c *Client) FindVoucher(ctx context.Context, code string) (*Voucher, error) {
	return fetch[Voucher](ctx, c, get("/vouchers/find").param("code", code))
}

// ListVouchersRequest filters ListVouchers; every field is optional.
type ListVouchersRequest struct {
	ContactUUID   string
	Status        VoucherStatus
	PromotionUUID string
	// Page starts at 1; Limit defaults to 30 and is at most 500.
	Page, Limit int
}

// ListVouchers returns one page of vouchers.
func (c *Client) ListVouchers(ctx context.Context, req ListVouchersRequest) (*Page[Voucher], error) {
	return fetchPage[Voucher](ctx, c, get("/vouchers").
		param("contact_uuid", req.ContactUUID).
		param("status", string(req.Status)).
		param("promotion_uuid", req.PromotionUUID).
		paramInt("page", req.Page).
		paramInt("limit", req.Limit))
}

// ValidateVoucherRequest asks whether a voucher can be redeemed.
type ValidateVoucherRequest struct {
	VoucherUUID string `json:"-"`
	ShopUUID    string `json:"shop_uuid"`
	// ContactUUID is required when the voucher is not linked to a contact.
	ContactUUID string `json:"contact_uuid,omitempty"`
}

// ValidateVoucher returns nil when the voucher can be redeemed, or the Leat error that
// redeeming would give (CodeVoucherNotFound, CodeVoucherAlreadyRedeemed,
// CodeVoucherExpired, CodeVoucherDeactivated, CodeVoucherInactive, CodePromotionInactive).
// It changes nothing, so it is retried like a read.
func (c *Client) ValidateVoucher(ctx context.Context, req ValidateVoucherRequest) error {
	r := post("/vouchers/%s/validate", req.VoucherUUID).body(req)
	r.idempotent = true
	return c.do(ctx, r)
}

// VoucherLock is the answer to locking or releasing a voucher.
type VoucherLock struct {
	// Voucher carries only UUID and Status.
	Voucher Voucher `json:"voucher"`
	Lock    Lock    `json:"lock"`
}

// Lock reserves a voucher for one checkout.
type Lock struct {
	// ReleaseKey is needed to release the lock or to redeem the locked voucher.
	ReleaseKey string    `json:"release_key"`
	LockedAt   time.Time `json:"locked_at"`
	UnlockedAt time.Time `json:"unlocked_at"`
	// SystemReleaseAt is when Leat releases the lock by itself (an hour after LockedAt).
	SystemReleaseAt time.Time `json:"system_release_at"`
}

// LockVoucher reserves a voucher so nobody else can redeem it; keep Lock.ReleaseKey. It
// fails with CodeVoucherAlreadyLocked, CodeVoucherNotFound, CodeVoucherExpired,
// CodeVoucherAlreadyRedeemed or CodeVoucherDeactivated. On ErrOutcomeUnknown the voucher may
// be locked with a key the caller never saw: it frees itself after an hour.
func (c *Client) LockVoucher(ctx context.Context, voucherUUID string) (*VoucherLock, error) {
	return fetch[VoucherLock](ctx, c, post("/vouchers/%s/lock", voucherUUID))
}

// ReleaseVoucher frees a locked voucher without redeeming it.
func (c *Client) ReleaseVoucher(ctx context.Context, voucherUUID, releaseKey string) (*VoucherLock, error) {
	return fetch[VoucherLock](ctx, c, post("/vouchers/%s/release", voucherUUID).body(map[string]string{
		"release_key": releaseKey,
	}))
}

// RedeemVoucherRequest redeems a voucher.
type RedeemVoucherRequest struct {
	Code     string `json:"code"`
	ShopUUID string `json:"shop_uuid"`
	// ContactUUID is required when the voucher is not linked to a contact; otherwise it is
	// checked against the voucher's contact.
	ContactUUID string `json:"contact_uuid,omitempty"`
	// ReleaseKey is required to redeem a locked voucher; redeeming releases the lock.
	ReleaseKey string `json:"release_key,omitempty"`
}

// RedeemVoucher USES THE VOUCHER. The answer's Redemption.UUID is what
// ReverseVoucherRedemption takes. It fails with CodeVoucherNotFound,
// CodeVoucherAlreadyRedeemed, CodeVoucherExpired, CodeVoucherDeactivated or
// CodeVoucherInactive. On ErrOutcomeUnknown, find the voucher by code and check its
// status and redemption count before redeeming again.
func (c *Client) RedeemVoucher(ctx context.Context, req RedeemVoucherRequest) (*Voucher, error) {
	return fetch[Voucher](ctx, c, post("/vouchers/redeem").body(req))
}

// ReverseVoucherRedemption undoes a redemption, making the voucher usable again.
// redemptionUUID is Voucher.Redemption.UUID from RedeemVoucher. Leat documents no answer
// body, so only success or failure is reported.
func (c *Client) ReverseVoucherRedemption(ctx context.Context, redemptionUUID string) error {
	return c.do(ctx, post("/vouchers/%s/reverse", redemptionUUID))
}

// CreateVoucherRequest creates a voucher; only PromotionUUID is required.
type CreateVoucherRequest struct {
	PromotionUUID string `json:"promotion_uuid"`
	// Code is generated by Leat when empty.
	Code           string    `json:"code,omitempty"`
	ContactUUID    string    `json:"contact_uuid,omitempty"`
	ActivationDate time.Time `json:"activation_date,omitzero"`
	ExpirationDate time.Time `json:"expiration_date,omitzero"`
	// TotalRedemptionsAllowed makes a multi-use voucher.
	TotalRedemptionsAllowed int               `json:"total_redemptions_allowed,omitempty"`
	CustomAttributes        map[string]string `json:"custom_attributes,omitempty"`
}

// CreateVoucher creates a voucher. It fails with CodePromotionNotFound, CodeVoucherExists,
// CodeVoucherLimitReached or CodeContactNotFound.
func (c *Client) CreateVoucher(ctx context.Context, req CreateVoucherRequest) (*Voucher, error) {
	return fetch[Voucher](ctx, c, post("/vouchers").body(req))
}

// ListPromotionsRequest pages through ListPromotions; zero fields take Leat's defaults.
type ListPromotionsRequest struct {
	Page, Limit int
}

// ListPromotions returns promotions. Leat's sources disagree on whether this list is
// paginated; when Leat sends no pagination details the page fields are zero.
func (c *Client) ListPromotions(ctx context.Context, req ListPromotionsRequest) (*Page[Promotion], error) {
	return fetchPage[Promotion](ctx, c, get("/promotions").
		paramInt("page", req.Page).
		paramInt("limit", req.Limit))
}

// CreatePromotionRequest creates a promotion.
type CreatePromotionRequest struct {
	// UUID is optional; Leat accepts a caller-chosen uuid.
	UUID        string `json:"uuid,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// CreatePromotion creates a promotion.
func (c *Client) CreatePromotion(ctx context.Context, req CreatePromotionRequest) (*Promotion, error) {
	return fetch[Promotion](ctx, c, post("/promotions").body(req))
}
