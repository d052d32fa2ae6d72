package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/store"
	"github.com/leatpos/gateway/shared/tenancy"
)

func TestProblemFor(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		code       string
		detail     string
		retryAfter int
	}{
		{"unknown key", tenancy.ErrUnknownKey, 401, CodeUnauthorized, "", 0},
		{"missing scope", fmt.Errorf("%w: %q", tenancy.ErrScopeMissing, "pos"), 403, CodeForbidden, `"pos"`, 0},
		{"location required", tenancy.ErrLocationRequired, 400, CodeLocationRequired, "", 0},
		{"reused key", idempotency.ErrKeyReused, 422, CodeIdempotencyKeyReused, "", 0},
		{"in progress", &idempotency.InProgressError{RetryAfter: 1500 * time.Millisecond}, 409, CodeRequestInProgress, "", 2},
		{"Leat message kept as detail", fmt.Errorf("%w: Contact not found.", loyalty.ErrCustomerNotFound), 404, CodeCustomerNotFound, "Contact not found.", 0},
		{"unlinked card", loyalty.ErrIdentifierNotLinked, 409, CodeIdentifierNotLinked, "", 0},
		{"Leat down, its text hidden", &loyalty.UnavailableError{RetryAfter: 3 * time.Second, Cause: errors.New("leat: GET /x: 503")}, 503, CodeLeatUnavailable, "", 3},
		{"Leat down without Retry-After", &loyalty.UnavailableError{Cause: errors.New("timeout")}, 503, CodeLeatUnavailable, "", 1},
		{"credentials refused, text hidden", fmt.Errorf("%w: token abc", loyalty.ErrPlatformCredentials), 502, CodeLeatMisconfigured, "", 0},
		{"gateway store down, its text hidden", fmt.Errorf("dynamodb: get T#demo: %w: dial tcp: connection refused", store.ErrUnavailable), 503, CodeTemporarilyUnavailable, "", 1},
		{"out of time", fmt.Errorf("dynamodb: query checkout: %w", context.DeadlineExceeded), 503, CodeTemporarilyUnavailable, "", 1},
		{"Leat out of time stays Leat's", &loyalty.UnavailableError{Cause: fmt.Errorf("leat: timeout: %w", context.DeadlineExceeded)}, 503, CodeLeatUnavailable, "", 1},
		{"validation", Invalid("email", "email", "must be an email address"), 400, CodeValidationFailed, "", 0},
		{"anything else", errors.New("disk on fire"), 500, CodeInternal, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problemFor(tt.err)
			if p.Status != tt.status || p.Code != tt.code || p.Detail != tt.detail || p.RetryAfter != tt.retryAfter {
				t.Fatalf("got %+v", p)
			}
			if p.Type != problemTypeBase+tt.code || p.Title == "" {
				t.Fatalf("type %q, title %q", p.Type, p.Title)
			}
			if p.Status >= http.StatusInternalServerError && final(tt.err) {
				t.Fatal("a server-side failure would be stored for replay")
			}
		})
	}
}

// TestRefusalProblems: every refusal of the loyalty domain has its own stable
// code, also when a caller wraps it with the item it failed on.
func TestRefusalProblems(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{loyalty.ErrRewardNotAffordable, 409, CodeRewardNotAffordable},
		{loyalty.ErrRewardOutOfStock, 409, CodeRewardOutOfStock},
		{loyalty.ErrRewardLimitReached, 409, CodeRewardLimitReached},
		{loyalty.ErrRewardInactive, 409, CodeRewardInactive},
		{loyalty.ErrRewardNotFound, 404, CodeRewardNotFound},
		{loyalty.ErrVoucherRedeemed, 409, CodeVoucherRedeemed},
		{loyalty.ErrVoucherUsedUp, 409, CodeVoucherRedeemed},
		{loyalty.ErrVoucherExpired, 409, CodeVoucherExpired},
		{loyalty.ErrVoucherLocked, 409, CodeVoucherLocked},
		{loyalty.ErrVoucherInactive, 409, CodeVoucherInactive},
		{loyalty.ErrVoucherDeactivated, 409, CodeVoucherInactive},
		{loyalty.ErrVoucherNotActive, 409, CodeVoucherInactive},
		{loyalty.ErrPromotionInactive, 409, CodeVoucherInactive},
		{loyalty.ErrVoucherNotFound, 404, CodeVoucherNotFound},
		{loyalty.ErrVoucherContactMismatch, 422, CodeVoucherContactMismatch},
		{loyalty.ErrContactRequired, 422, CodeContactRequired},
		{loyalty.ErrCurrencyMismatch, 422, CodeCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			for _, err := range []error{tt.err, fmt.Errorf("vouchers[1]: %w", tt.err), fmt.Errorf("%w: Leat's message", tt.err)} {
				p := problemFor(err)
				if p.Status != tt.status || p.Code != tt.code || p.Title == "" {
					t.Fatalf("%v: got %+v", err, p)
				}
				if !final(err) {
					t.Fatalf("%v: a refusal would not be replayed", err)
				}
			}
		})
	}
}

// TestRefusalDetail: the detail keeps what surrounds the sentinel, so it says
// which item failed and, for a broad refusal, which case it was.
func TestRefusalDetail(t *testing.T) {
	tests := []struct {
		err    error
		detail string
	}{
		{loyalty.ErrVoucherExpired, ""},
		{fmt.Errorf("%w: Voucher has expired.", loyalty.ErrVoucherExpired), "Voucher has expired."},
		{fmt.Errorf("vouchers[1]: %w", loyalty.ErrVoucherExpired), "vouchers[1]"},
		{fmt.Errorf("vouchers[1]: %w", fmt.Errorf("%w: Promotion is inactive.", loyalty.ErrPromotionInactive)), "vouchers[1]: promotion switched off: Promotion is inactive."},
		{loyalty.ErrVoucherDeactivated, "deactivated"},
		{loyalty.ErrVoucherNotActive, "not active"},
	}
	for _, tt := range tests {
		if got := problemFor(tt.err).Detail; got != tt.detail {
			t.Errorf("%v: detail %q, want %q", tt.err, got, tt.detail)
		}
	}
}

func TestJSONName(t *testing.T) {
	for goName, want := range map[string]string{"Email": "email", "ContactUUID": "contact_uuid", "POSOrderID": "pos_order_id", "Amount": "amount"} {
		if got := jsonName(goName); got != want {
			t.Errorf("jsonName(%q) = %q, want %q", goName, got, want)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"anna.jansen@example.com": "a***@example.com",
		"é@exemple.fr":            "é***@exemple.fr",
		"no-at-sign":              "***",
		"@example.com":            "***",
		"":                        "***",
	} {
		if got := maskEmail(in); got != want {
			t.Errorf("maskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLeatsTextStaysInTheLog: Leat's refusals and failures reach the POS as
// a code and a title; their text, which may quote the customer, does not.
func TestLeatsTextStaysInTheLog(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("%w: email: The email anna.jansen@example.com has already been taken.", loyalty.ErrInvalid),
		fmt.Errorf("%w: leat: POST /contacts: Anna Jansen is blocked (code 9999)", loyalty.ErrPlatformRejected),
		fmt.Errorf("%w: leat: GET /contacts/x: <html>Anna</html>", loyalty.ErrPlatformBadResponse),
	} {
		p := problemFor(err)
		if p.Detail != "" || p.Status < 400 {
			t.Errorf("%v answered %d with detail %q", err, p.Status, p.Detail)
		}
	}
}
