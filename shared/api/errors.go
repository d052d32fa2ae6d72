package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/store"
	"github.com/leatpos/gateway/shared/tenancy"
)

// knownErrors maps domain errors to answers. It is the one place where errors
// become HTTP: handlers return errors and never pick a status themselves.
var knownErrors = []struct {
	err    error
	status int
	code   string
	title  string
}{
	{tenancy.ErrUnknownKey, http.StatusUnauthorized, CodeUnauthorized, "Missing or unknown API key"},
	{tenancy.ErrKeyDisabled, http.StatusUnauthorized, CodeUnauthorized, "Missing or unknown API key"},
	{tenancy.ErrScopeMissing, http.StatusForbidden, CodeForbidden, "The API key may not call this route"},
	{tenancy.ErrLocationMissing, http.StatusForbidden, CodeForbidden, "The API key is not bound to that location"},
	{tenancy.ErrLocationRequired, http.StatusBadRequest, CodeLocationRequired, "Name the location in the Location-Id header"},
	{idempotency.ErrInvalidKey, http.StatusBadRequest, CodeValidationFailed, "Invalid Idempotency-Key"},
	{idempotency.ErrKeyReused, http.StatusUnprocessableEntity, CodeIdempotencyKeyReused, "Idempotency-Key already used for a different request"},
	{loyalty.ErrCustomerNotFound, http.StatusNotFound, CodeCustomerNotFound, "Customer not found"},
	{loyalty.ErrIdentifierNotFound, http.StatusNotFound, CodeIdentifierNotFound, "Card or QR code not found"},
	{loyalty.ErrIdentifierInactive, http.StatusConflict, CodeIdentifierInactive, "Card or QR code is inactive"},
	{loyalty.ErrIdentifierNotLinked, http.StatusConflict, CodeIdentifierNotLinked, "Card or QR code is not linked to a customer"},
	{loyalty.ErrVoucherNotFound, http.StatusNotFound, CodeVoucherNotFound, "Voucher not found"},
	{loyalty.ErrGiftcardNotFound, http.StatusNotFound, CodeGiftcardNotFound, "Giftcard not found"},
	{loyalty.ErrRewardNotFound, http.StatusNotFound, CodeRewardNotFound, "Reward not found or expired"},
	{loyalty.ErrRewardNotAffordable, http.StatusConflict, CodeRewardNotAffordable, "The customer has too few points for the reward"},
	{loyalty.ErrRewardOutOfStock, http.StatusConflict, CodeRewardOutOfStock, "The reward is out of stock"},
	{loyalty.ErrRewardLimitReached, http.StatusConflict, CodeRewardLimitReached, "The customer has claimed the reward as often as allowed"},
	{loyalty.ErrRewardInactive, http.StatusConflict, CodeRewardInactive, "The reward is inactive"},
	{loyalty.ErrVoucherRedeemed, http.StatusConflict, CodeVoucherRedeemed, "The voucher has been redeemed already"},
	{loyalty.ErrVoucherExpired, http.StatusConflict, CodeVoucherExpired, "The voucher has expired"},
	{loyalty.ErrVoucherLocked, http.StatusConflict, CodeVoucherLocked, "The voucher is locked by a checkout"},
	{loyalty.ErrVoucherInactive, http.StatusConflict, CodeVoucherInactive, "The voucher or its promotion is inactive"},
	{loyalty.ErrVoucherContactMismatch, http.StatusUnprocessableEntity, CodeVoucherContactMismatch, "The voucher belongs to another customer"},
	{loyalty.ErrContactRequired, http.StatusUnprocessableEntity, CodeContactRequired, "Identify the customer first"},
	{loyalty.ErrGiftcardExpired, http.StatusConflict, CodeGiftcardExpired, "The giftcard has expired"},
	{loyalty.ErrGiftcardBlocked, http.StatusConflict, CodeGiftcardBlocked, "The giftcard is blocked"},
	{loyalty.ErrGiftcardInsufficientBalance, http.StatusConflict, CodeGiftcardInsufficientBalance, "The giftcard holds less than the amount"},
	{loyalty.ErrGiftcardMaxAmount, http.StatusConflict, CodeGiftcardMaxAmount, "The giftcard would exceed its program's maximum"},
	{loyalty.ErrPrepaidInsufficientBalance, http.StatusConflict, CodePrepaidInsufficientBalance, "The customer's prepaid balance is less than the amount"},
	{loyalty.ErrGiftcardNotEmpty, http.StatusConflict, CodeGiftcardNotEmpty, "The giftcard for sale already holds money"},
	{checkout.ErrTenderExceedsDue, http.StatusUnprocessableEntity, CodeTenderExceedsDue, "The tenders exceed what is due"},
	{ledger.ErrCheckoutNotFound, http.StatusNotFound, CodeCheckoutNotFound, "Checkout not found"},
	{checkout.ErrCustomerAttached, http.StatusConflict, CodeCustomerAttached, "The order already earned its points for a customer"},
	{checkout.ErrClaimLinkIssued, http.StatusConflict, CodeClaimLinkIssued, "The order's points are claimed through its receipt QR code"},
	{checkout.ErrNoPortal, http.StatusUnprocessableEntity, CodePortalNotConfigured, "The tenant has no Leat contacts portal for claim links"},
	{checkout.ErrPaymentWindowClosed, http.StatusConflict, CodePaymentWindowClosed, "The checkout stopped waiting for payment and gave everything back; refund the customer"},
	{checkout.ErrNotReturnable, http.StatusConflict, CodeOrderNotCompleted, "Only a completed order can be returned"},
	{checkout.ErrNothingLeftToReturn, http.StatusConflict, CodeNothingLeftToReturn, "Nothing of it is left to return"},
	{checkout.ErrRefundExceedsTender, http.StatusUnprocessableEntity, CodeRefundExceedsTender, "The refund exceeds what the tender paid"},
	{checkout.ErrOfferNotReversible, http.StatusConflict, CodeOfferNotReversible, "The order did not redeem it, or gave it back already"},
	{checkout.ErrGiftcardAlreadySpent, http.StatusConflict, CodeGiftcardAlreadySpent, "The giftcard sold no longer holds what it was loaded with"},
	{checkout.ErrPrepaidAlreadySpent, http.StatusConflict, CodePrepaidAlreadySpent, "The prepaid credit sold has been spent"},
	{ledger.ErrReturnExists, http.StatusConflict, CodeReturnExists, "The order already has a return with this id"},
	{ledger.ErrBadCursor, http.StatusBadRequest, CodeInvalidCursor, "The cursor is not one this list answered"},
	{ledger.ErrReturnNotFound, http.StatusNotFound, CodeReturnNotFound, "Return not found"},
	{checkout.ErrNeedsAttention, http.StatusBadGateway, CodeCheckoutNeedsAttention, "Leat did not say whether it acted; an operator settles the checkout"},
	{loyalty.ErrCurrencyMismatch, http.StatusUnprocessableEntity, CodeCurrencyMismatch, "The currency is not the Leat account's"},
	{loyalty.ErrShopNotFound, http.StatusBadGateway, CodeLeatMisconfigured, "The location's Leat shop does not exist"},
	{loyalty.ErrInvalid, http.StatusUnprocessableEntity, CodeLeatRejected, "Leat refused the request"},
	{loyalty.ErrPlatformCredentials, http.StatusBadGateway, CodeLeatMisconfigured, "Leat refused the tenant's credentials"},
	{loyalty.ErrPlatformRejected, http.StatusBadGateway, CodeLeatRejected, "Leat refused the request"},
	{loyalty.ErrPlatformBadResponse, http.StatusBadGateway, CodeLeatBadResponse, "Leat answered something the gateway cannot read"},
	{loyalty.ErrPlatformUnavailable, http.StatusServiceUnavailable, CodeLeatUnavailable, "Leat is unavailable; try again shortly"},
	// Last, so that a Leat call that timed out stays leat_unavailable.
	{context.DeadlineExceeded, http.StatusServiceUnavailable, CodeTemporarilyUnavailable, "The request ran out of time; retry it with the same Idempotency-Key"},
}

// problemFor turns any error a handler returns into the problem to answer.
func problemFor(err error) Problem {
	var invalid *ValidationError
	if errors.As(err, &invalid) {
		p := newProblem(invalid.status(), invalid.code(), "The request is invalid", invalid.Detail)
		p.Errors = invalid.Fields
		return p
	}
	var busy *idempotency.InProgressError
	if errors.As(err, &busy) {
		p := newProblem(http.StatusConflict, CodeRequestInProgress, "A request with this Idempotency-Key is still in progress", "")
		p.RetryAfter = seconds(busy.RetryAfter)
		return p
	}
	if p, ok := checkoutProblem(err); ok {
		return p
	}
	if errors.Is(err, store.ErrUnavailable) {
		return storeUnavailable()
	}
	p := knownProblem(err)
	// A refusal of one basket item names it, as invalid input names its field.
	var item *checkout.ItemError
	if errors.As(err, &item) && p.Status < 500 {
		p.Errors = []FieldError{{Field: item.Item, Code: p.Code, Message: p.Title}}
	}
	return p
}

// checkoutProblem answers the checkout's own errors that carry more than a sentinel.
func checkoutProblem(err error) (Problem, bool) {
	var (
		invalid  *checkout.InvalidError
		exists   *checkout.CheckoutExistsError
		state    *checkout.StateError
		inFlight *checkout.StepInFlightError
		unknown  *checkout.OutcomeUnknownError
		store    *checkout.StoreUnavailableError
	)
	switch {
	case errors.As(err, &invalid):
		p := newProblem(http.StatusBadRequest, CodeValidationFailed, "The request is invalid", "")
		p.Errors = []FieldError{{Field: invalid.Field, Code: invalid.Code, Message: invalid.Message}}
		return p, true
	case errors.As(err, &exists):
		return newProblem(http.StatusConflict, CodeCheckoutExists, "The order already has a checkout",
			"checkout "+string(exists.Checkout.ID)+" is "+string(exists.Checkout.Status)+"; read it at /v1/checkouts/"+string(exists.Checkout.ID)), true
	case errors.As(err, &state):
		return newProblem(http.StatusConflict, CodeCheckoutStateConflict, "The checkout's status does not allow this", state.Error()), true
	case errors.As(err, &inFlight):
		p := newProblem(http.StatusConflict, CodeRequestInProgress, "The order is being processed; retry shortly", "")
		p.RetryAfter = 2
		return p, true
	case errors.As(err, &unknown):
		// The next try reconciles the lost answer with Leat before anything else.
		p := newProblem(http.StatusServiceUnavailable, CodeLeatUnavailable, "Leat's answer was lost; retry shortly", "")
		p.RetryAfter = 1
		return p, true
	case errors.As(err, &store):
		return storeUnavailable(), true
	}
	return Problem{}, false
}

// storeUnavailable answers an outage of the gateway's own storage, whether
// the checkout's saga or another store met it.
func storeUnavailable() Problem {
	p := newProblem(http.StatusServiceUnavailable, CodeTemporarilyUnavailable, "The gateway's storage is unavailable; retry shortly", "")
	p.RetryAfter = 1
	return p
}

// knownProblem answers an error by its sentinel.
func knownProblem(err error) Problem {
	for _, k := range knownErrors {
		if errors.Is(err, k.err) {
			p := newProblem(k.status, k.code, k.title, detailOf(err, k.err))
			var unavailable *loyalty.UnavailableError
			if errors.As(err, &unavailable) {
				p.RetryAfter = max(seconds(unavailable.RetryAfter), 1)
			}
			if k.err == context.DeadlineExceeded {
				p.RetryAfter = 1
			}
			return p
		}
	}
	return newProblem(http.StatusInternalServerError, CodeInternal, "Internal error", "")
}

// detailOf shows what the error says beyond its sentinel, except for
// Leat's own failures and refusals, whose text describes Leat's internals
// and may quote the customer, and a timeout, whose text describes the
// gateway's: the log keeps it, the POS gets the code.
// Callers wrap refusals on either side ("vouchers[1]: loyalty: voucher
// expired: …"), so the sentinel's text is cut wherever it stands.
func detailOf(err, sentinel error) string {
	if errorsIsAny(err, loyalty.ErrPlatformUnavailable, loyalty.ErrPlatformCredentials, loyalty.ErrPlatformRejected,
		loyalty.ErrInvalid, loyalty.ErrPlatformBadResponse, context.DeadlineExceeded) {
		return ""
	}
	before, after, found := strings.Cut(err.Error(), sentinel.Error())
	if !found {
		return err.Error()
	}
	before, after = strings.TrimSuffix(before, ": "), strings.TrimPrefix(after, ": ")
	if before == "" || after == "" {
		return before + after
	}
	return before + ": " + after
}

func seconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}
