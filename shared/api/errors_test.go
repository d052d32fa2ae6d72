package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/loyalty"
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

func TestJSONName(t *testing.T) {
	for goName, want := range map[string]string{"Email": "email", "ContactUUID": "contact_uuid", "POSOrderID": "pos_order_id", "Amount": "amount"} {
		if got := jsonName(goName); got != want {
			t.Errorf("jsonName(%q) = %q, want %q", goName, got, want)
		}
	}
}
