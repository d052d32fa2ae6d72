package localstack_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func giftcardWhere(t *testing.T, match func(leatsandbox.SeedGiftcard) bool) leatsandbox.SeedGiftcard {
	t.Helper()
	i := slices.IndexFunc(seed().Giftcards, match)
	if i < 0 {
		t.Fatal("no such giftcard in the seed")
	}
	return seed().Giftcards[i]
}

func TestScanVoucher(t *testing.T) {
	anna := contactByEmail(t, "anna.jansen@example.com")
	bram := contactByEmail(t, "bram.devries@example.com")
	tests := []struct {
		name             string
		code             string
		contact          string
		usable           bool
		reason           string
		requiresCustomer bool
	}{
		{"linked to its customer", "WELCOME-ANNA", "", true, "", false},
		{"linked, scanned for its customer", "WELCOME-ANNA", anna.UUID, true, "", false},
		{"linked, scanned for someone else", "WELCOME-ANNA", bram.UUID, false, "contact_mismatch", false},
		{"linked to nobody, customer not yet known", "PASTRY-FLYER", "", false, "contact_required", true},
		{"linked to nobody, for the identified customer", "PASTRY-FLYER", bram.UUID, true, "", true},
		{"promotion switched off", "SPRING-OFF", anna.UUID, false, "promotion_inactive", true},
		{"promotion switched off, customer not yet known", "SPRING-OFF", "", false, "contact_required", true},
		{"expired", "EXPIRED-2024", "", false, "expired", true},
		{"already redeemed", "USED-0001", "", false, "redeemed", false},
		{"deactivated", "DEACTIVATED-01", anna.UUID, false, "deactivated", true},
		{"not active yet", "INACTIVE-01", anna.UUID, false, "inactive", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodGet, Path: voucherPath(tt.code, tt.contact)})
			if a.Status != http.StatusOK {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			var got struct {
				Voucher struct {
					Code    string
					Contact *struct{ UUID, Email string }
				}
				Discount         struct{ Kind string }
				Usable           bool
				Reason           string
				RequiresCustomer bool `json:"requires_customer"`
			}
			if err := json.Unmarshal(a.Body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Voucher.Code != tt.code || got.Usable != tt.usable || got.Reason != tt.reason ||
				got.RequiresCustomer != tt.requiresCustomer || got.Discount.Kind == "" {
				t.Fatalf("got %+v", got)
			}
			// A till sees whose voucher it is, never the customer's address.
			if c := got.Voucher.Contact; c != nil && (strings.Contains(c.Email, "jansen") || !strings.Contains(c.Email, "***@")) {
				t.Errorf("the voucher shows %q", c.Email)
			}
		})
	}
}

func TestScanVoucherRefusesWhatItCannotAnswer(t *testing.T) {
	tests := []struct {
		name, path string
		status     int
		code       string
	}{
		{"unknown voucher", voucherPath("NO-SUCH-VOUCHER", ""), http.StatusNotFound, "voucher_not_found"},
		{"unknown customer", voucherPath("PASTRY-FLYER", "00000000-0000-4000-8000-000000000000"), http.StatusNotFound, "customer_not_found"},
		{"malformed customer", voucherPath("PASTRY-FLYER", "anna@example.com"), http.StatusBadRequest, "validation_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodGet, Path: tt.path})
			if a.Status != tt.status || a.problemCode(t) != tt.code {
				t.Fatalf("%d %s", a.Status, a.Body)
			}
			if tt.status != http.StatusBadRequest {
				return
			}
			var problem struct{ Errors []struct{ Field string } }
			if err := json.Unmarshal(a.Body, &problem); err != nil || len(problem.Errors) != 1 || problem.Errors[0].Field != "contact_uuid" {
				t.Fatalf("the field at fault is not named: %s", a.Body)
			}
		})
	}
}

// voucherPath scans code, for the identified customer when contact is set.
func voucherPath(code, contact string) string {
	path := "/v1/vouchers/" + url.PathEscape(code)
	if contact != "" {
		path += "?" + url.Values{"contact_uuid": {contact}}.Encode()
	}
	return path
}

func TestScanGiftcard(t *testing.T) {
	now := time.Now()
	forSale := giftcardWhere(t, func(g leatsandbox.SeedGiftcard) bool { return g.AmountInCents == 0 && g.Active })
	withBalance := giftcardWhere(t, func(g leatsandbox.SeedGiftcard) bool {
		return g.AmountInCents > 0 && g.Active && (g.ExpirationDate == nil || g.ExpirationDate.After(now))
	})
	expired := giftcardWhere(t, func(g leatsandbox.SeedGiftcard) bool { return g.ExpirationDate != nil && g.ExpirationDate.Before(now) })

	tests := []struct {
		name              string
		card              leatsandbox.SeedGiftcard
		sellable, payable bool
		reason            string
	}{
		{"physical card at zero can be sold", forSale, true, false, ""},
		{"card with balance can pay", withBalance, false, true, ""},
		{"expired card can do neither", expired, false, false, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodGet, Path: "/v1/giftcards/" + url.PathEscape(tt.card.Hash)})
			if a.Status != http.StatusOK {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			var got struct {
				Giftcard struct {
					Code    string
					Balance struct{ Amount int64 }
				}
				Sellable, Payable bool
				Reason            string
			}
			if err := json.Unmarshal(a.Body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Giftcard.Code != tt.card.Hash || got.Giftcard.Balance.Amount != tt.card.AmountInCents ||
				got.Sellable != tt.sellable || got.Payable != tt.payable || got.Reason != tt.reason {
				t.Fatalf("got %+v", got)
			}
		})
	}
	a := call(t, request{Method: http.MethodGet, Path: "/v1/giftcards/NO-SUCH-CARD"})
	if a.Status != http.StatusNotFound || a.problemCode(t) != "giftcard_not_found" {
		t.Fatalf("unknown giftcard: %d %s", a.Status, a.Body)
	}
}

func TestOpenPortalSession(t *testing.T) {
	anna := richest(t)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"identify on Leat's screen", `{"kind":"default"}`, 201, ""},
		{"pay with giftcards", `{"kind":"redeem_giftcards","amount":1250,"contact_uuid":"` + anna.UUID + `"}`, 201, ""},
		{"top up prepaid", `{"kind":"top_up_prepaid","contact_uuid":"` + anna.UUID + `"}`, 201, ""},
		{"giftcards without an amount", `{"kind":"redeem_giftcards"}`, 400, "validation_failed"},
		{"unknown kind", `{"kind":"teleport"}`, 400, "validation_failed"},
		{"negative amount", `{"kind":"credit_reception","amount":-5}`, 400, "validation_failed"},
		{"an amount beyond the documented maximum", `{"kind":"redeem_giftcards","amount":100000001}`, 400, "validation_failed"},
		{"unknown customer", `{"kind":"default","contact_uuid":"00000000-0000-4000-8000-000000000000"}`, 404, "customer_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodPost, Path: "/v1/portal-sessions", Body: tt.body})
			if a.Status != tt.status {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			if tt.code != "" {
				if a.problemCode(t) != tt.code {
					t.Fatalf("code: %s", a.Body)
				}
				return
			}
			session := a.json(t)
			if session["url"] == "" || a.Header.Get("Location") != "/v1/portal-sessions/"+session["uuid"].(string) {
				t.Fatalf("session %v, Location %q", session, a.Header.Get("Location"))
			}
		})
	}
}
