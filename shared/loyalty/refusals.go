package loyalty

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Refusals: the request was understood, but what it asks for cannot be done
// now. They are final for the request that met them, unlike failures such as
// ErrPlatformUnavailable. Some name one case of a broader refusal, so callers
// match as finely as they need: errors.Is(ErrPromotionInactive, ErrVoucherInactive).
var (
	ErrRewardNotAffordable = errors.New("loyalty: not enough points for the reward")
	ErrRewardOutOfStock    = errors.New("loyalty: reward out of stock")
	ErrRewardLimitReached  = errors.New("loyalty: reward claim limit reached")
	ErrRewardInactive      = errors.New("loyalty: reward inactive")
	// ErrRewardNotFound also covers a collectable reward that expired before
	// it was collected: Leat answers both with one code.
	ErrRewardNotFound = errors.New("loyalty: reward not found or expired")

	ErrVoucherRedeemed = errors.New("loyalty: voucher already redeemed")
	// ErrVoucherUsedUp: a multi-use voucher has no redemptions left.
	ErrVoucherUsedUp   = refine(ErrVoucherRedeemed, "no redemptions left")
	ErrVoucherExpired  = errors.New("loyalty: voucher expired")
	ErrVoucherLocked   = errors.New("loyalty: voucher locked")
	ErrVoucherInactive = errors.New("loyalty: voucher inactive")
	// ErrVoucherDeactivated: switched off in Leat's dashboard.
	ErrVoucherDeactivated = refine(ErrVoucherInactive, "deactivated")
	// ErrVoucherNotActive: Leat reports the voucher INACTIVE, e.g. before its activation date.
	ErrVoucherNotActive  = refine(ErrVoucherInactive, "not active")
	ErrPromotionInactive = refine(ErrVoucherInactive, "promotion switched off")

	// ErrContactRequired: only an identified customer can do this, e.g. spend
	// points or redeem a voucher linked to nobody.
	ErrContactRequired = errors.New("loyalty: a customer must be identified")
	// ErrVoucherContactMismatch: the voucher belongs to another customer than the one identified.
	ErrVoucherContactMismatch = errors.New("loyalty: the voucher belongs to another customer")
	// ErrCurrencyMismatch: the request's money is not in the Leat account's currency.
	ErrCurrencyMismatch = errors.New("loyalty: currency differs from the account's")

	ErrGiftcardExpired = errors.New("loyalty: giftcard expired")
	// ErrGiftcardBlocked: the card exists but may not be used.
	ErrGiftcardBlocked             = errors.New("loyalty: giftcard blocked")
	ErrGiftcardInsufficientBalance = errors.New("loyalty: too little balance on the giftcard")
	// ErrGiftcardMaxAmount: loading it would exceed its program's maximum.
	ErrGiftcardMaxAmount          = errors.New("loyalty: the giftcard would exceed its program's maximum")
	ErrPrepaidInsufficientBalance = errors.New("loyalty: too little prepaid balance")
	// ErrGiftcardNotEmpty: a physical card for sale must still hold nothing.
	ErrGiftcardNotEmpty = errors.New("loyalty: the giftcard for sale is not empty")
)

// refinement is a sentinel for one case of a broader refusal. Its text starts
// with the broader one's, so the broader one's answer can show which case it was.
type refinement struct {
	broader error
	text    string
}

func refine(broader error, what string) error {
	return &refinement{broader: broader, text: broader.Error() + ": " + what}
}

func (r *refinement) Error() string { return r.text }
func (r *refinement) Unwrap() error { return r.broader }

// CheckVoucher decides whether the customer may redeem v now at the shop: the
// rule the scan shows and the checkout enforces before reserving the voucher.
// contactUUID is the identified customer, "" when none is.
//
// It returns nil when Leat would redeem it; a refusal (ErrVoucherRedeemed,
// ErrVoucherUsedUp, ErrVoucherExpired, ErrVoucherLocked, ErrVoucherDeactivated,
// ErrVoucherNotActive, ErrPromotionInactive, ErrContactRequired,
// ErrVoucherContactMismatch); or a failure to decide (ErrVoucherNotFound,
// ErrCustomerNotFound, ErrShopNotFound, ErrPlatformUnavailable, …). A locked
// voucher is refused, so a checkout checks before it locks.
func CheckVoucher(ctx context.Context, p Platform, v Voucher, shopUUID, contactUUID string, now time.Time) error {
	if err := voucherRefusal(v, contactUUID, now); err != nil {
		return err
	}
	return p.ValidateVoucher(ctx, v.UUID, shopUUID, cmp.Or(v.ContactUUID, contactUUID))
}

// FindAndCheckVoucher finds the voucher a scanned code names and checks it
// as CheckVoucher does, answering the check's verdict apart from a failure to
// find the voucher (ErrVoucherNotFound, ErrPlatformUnavailable, …).
//
// Leat validates a voucher by its uuid, which only finding its code tells:
// two round trips. When memory (which may be nil) has seen the code and a
// customer is named, the remembered voucher is validated while its code is
// found, and that validation is the verdict only when the code still names
// that voucher and nothing the voucher shows refuses it: then one round trip.
// A validation that failed for want of Leat is made again.
func FindAndCheckVoucher(ctx context.Context, p Platform, memory Memory, tenant tenancy.TenantID, code, shopUUID, contactUUID string, now time.Time) (v Voucher, verdict, err error) {
	code = strings.TrimSpace(code)
	var (
		wg      sync.WaitGroup
		findErr error
		guessed error
	)
	wg.Go(func() { v, findErr = p.VoucherByCode(ctx, code) })
	remembered := ""
	if memory != nil && contactUUID != "" {
		if remembered = recall(ctx, memory, tenant, code, "voucher"); remembered != "" {
			wg.Go(func() { guessed = p.ValidateVoucher(ctx, remembered, shopUUID, contactUUID) })
		}
	}
	wg.Wait()
	if findErr != nil {
		if errors.Is(findErr, ErrVoucherNotFound) && remembered != "" {
			forget(ctx, memory, tenant, code, "voucher")
		}
		return Voucher{}, nil, findErr
	}
	if v.UUID == remembered && !IsPlatformFailure(guessed) {
		if refusal := voucherRefusal(v, contactUUID, now); refusal != nil {
			return v, refusal, nil
		}
		return v, guessed, nil
	}
	// Leat has named the code's voucher: remember it while checking.
	var remembering error
	if memory != nil && v.UUID != remembered {
		wg.Go(func() { remembering = memory.Remember(ctx, tenant, code, v.UUID) })
	}
	verdict = CheckVoucher(ctx, p, v, shopUUID, contactUUID, now)
	wg.Wait()
	if remembering != nil {
		logging.From(ctx).WarnContext(ctx, "the voucher memory could not be written", "error", remembering)
	}
	return v, verdict, nil
}

// IsPlatformFailure tells a failure of Leat itself or of the tenant's
// set-up, which is no answer about what was asked, from Leat's answer.
func IsPlatformFailure(err error) bool {
	return errors.Is(err, ErrPlatformUnavailable) || errors.Is(err, ErrPlatformCredentials) || errors.Is(err, ErrShopNotFound)
}

// voucherRefusal is what the voucher itself shows, so a clearly unusable
// voucher costs no call to Leat. Leat validates a voucher linked to nobody
// only for a named contact, so without one the answer stays unknown and the
// voucher is not promised.
func voucherRefusal(v Voucher, contactUUID string, now time.Time) error {
	switch {
	case v.Status == VoucherRedeemed:
		return ErrVoucherRedeemed
	case v.Status == VoucherExpired || expired(v.ExpiresAt, now):
		return ErrVoucherExpired
	case v.Status == VoucherDeactivated:
		return ErrVoucherDeactivated
	case v.Status == VoucherLocked:
		return ErrVoucherLocked
	case v.Status != VoucherActive:
		return fmt.Errorf("%w: status %s", ErrVoucherNotActive, v.Status)
	case v.RedemptionsRemaining != nil && *v.RedemptionsRemaining <= 0:
		return ErrVoucherUsedUp
	case v.ContactUUID == "" && contactUUID == "":
		return ErrContactRequired
	case v.ContactUUID != "" && contactUUID != "" && !strings.EqualFold(v.ContactUUID, contactUUID):
		return ErrVoucherContactMismatch
	}
	return nil
}

// voucherReasons name the voucher refusals for the till, narrower cases before
// the broader ones they refine.
var voucherReasons = []struct {
	err    error
	reason string
}{
	{ErrPromotionInactive, "promotion_inactive"},
	{ErrVoucherDeactivated, "deactivated"},
	{ErrVoucherNotActive, "inactive"},
	{ErrVoucherUsedUp, "no_redemptions_left"},
	{ErrVoucherRedeemed, "redeemed"},
	{ErrVoucherExpired, "expired"},
	{ErrVoucherLocked, "locked"},
	{ErrVoucherContactMismatch, "contact_mismatch"},
	{ErrContactRequired, "contact_required"},
}

// voucherReason names the refusal err is, if it is one.
func voucherReason(err error) (string, bool) {
	for _, r := range voucherReasons {
		if errors.Is(err, r.err) {
			return r.reason, true
		}
	}
	return "", false
}
