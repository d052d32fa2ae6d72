package checkout

import (
	"errors"

	"github.com/leatpos/gateway/shared/loyalty"
)

// ErrOutcomeUnknown marks a Leat write that may or may not have been
// applied: its answer was lost. Platform adapters wrap it around the
// loyalty domain's error.
var ErrOutcomeUnknown = errors.New("checkout: outcome unknown")

// refusalReasons give each refusal a stable name, so that a refusal recorded
// in the ledger by one function reads back as the same error in another.
var refusalReasons = []struct {
	code string
	err  error
}{
	{"reward_not_affordable", loyalty.ErrRewardNotAffordable},
	{"reward_out_of_stock", loyalty.ErrRewardOutOfStock},
	{"reward_limit_reached", loyalty.ErrRewardLimitReached},
	{"reward_inactive", loyalty.ErrRewardInactive},
	{"reward_not_found", loyalty.ErrRewardNotFound},
	{"voucher_redeemed", loyalty.ErrVoucherRedeemed},
	{"voucher_expired", loyalty.ErrVoucherExpired},
	{"voucher_locked", loyalty.ErrVoucherLocked},
	{"voucher_inactive", loyalty.ErrVoucherInactive},
	{"voucher_not_found", loyalty.ErrVoucherNotFound},
	{"voucher_contact_mismatch", loyalty.ErrVoucherContactMismatch},
	{"currency_mismatch", loyalty.ErrCurrencyMismatch},
	{"contact_required", loyalty.ErrContactRequired},
	{"customer_not_found", loyalty.ErrCustomerNotFound},
	{"leat_unavailable", loyalty.ErrPlatformUnavailable},
	{"leat_misconfigured", loyalty.ErrPlatformCredentials},
	{"leat_misconfigured", loyalty.ErrShopNotFound},
	{"outcome_unknown", ErrNeedsAttention},
	{"leat_rejected", loyalty.ErrInvalid},
	{"leat_rejected", loyalty.ErrPlatformRejected},
}

// reasonOf names an error for the ledger; "leat_rejected" for anything the
// gateway has no better name for.
func reasonOf(err error) string {
	for _, r := range refusalReasons {
		if errors.Is(err, r.err) {
			return r.code
		}
	}
	return "leat_rejected"
}

// errorOf is reasonOf read back.
func errorOf(code string) error {
	for _, r := range refusalReasons {
		if r.code == code {
			return r.err
		}
	}
	return loyalty.ErrPlatformRejected
}

// Unwrap lets the API map a recorded refusal like a fresh one.
func (e *RefusalError) Unwrap() error { return errorOf(e.Refusal.Code) }

// outcomeOf sorts the error of a Leat write.
type outcome int

const (
	applied outcome = iota
	// notApplied: Leat was unavailable and surely did not act.
	notApplied
	// unknown: the answer was lost.
	unknown
	// rejected: Leat refused the write; nothing changed.
	rejected
)

func outcomeOf(err error) outcome {
	switch {
	case err == nil:
		return applied
	case errors.Is(err, ErrOutcomeUnknown):
		return unknown
	case errors.Is(err, loyalty.ErrPlatformUnavailable):
		return notApplied
	}
	return rejected
}
