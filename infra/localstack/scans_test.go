package localstack_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func voucherWhere(t *testing.T, match func(leatsandbox.SeedVoucher) bool) leatsandbox.SeedVoucher {
	t.Helper()
	i := slices.IndexFunc(seed().Vouchers, match)
	if i < 0 {
		t.Fatal("no such voucher in the seed")
	}
	return seed().Vouchers[i]
}

func giftcardWhere(t *testing.T, match func(leatsandbox.SeedGiftcard) bool) leatsandbox.SeedGiftcard {
	t.Helper()
	i := slices.IndexFunc(seed().Giftcards, match)
	if i < 0 {
		t.Fatal("no such giftcard in the seed")
	}
	return seed().Giftcards[i]
}

func TestScanVoucher(t *testing.T) {
	now := time.Now()
	usableLinked := voucherWhere(t, func(v leatsandbox.SeedVoucher) bool {
		return v.Contact != "" && v.Status == "ACTIVE" && v.TimesRedeemed == 0 && (v.ExpirationDate == nil || v.ExpirationDate.After(now))
	})
	unlinked := voucherWhere(t, func(v leatsandbox.SeedVoucher) bool {
		return v.Contact == "" && v.Status == "ACTIVE" && v.ExpirationDate == nil && v.TotalRedemptionsAllowed == 0
	})
	expired := voucherWhere(t, func(v leatsandbox.SeedVoucher) bool { return v.ExpirationDate != nil && v.ExpirationDate.Before(now) })
	redeemed := voucherWhere(t, func(v leatsandbox.SeedVoucher) bool { return v.TimesRedeemed > 0 && v.TotalRedemptionsAllowed == 0 })
	deactivated := voucherWhere(t, func(v leatsandbox.SeedVoucher) bool { return v.Status == "DEACTIVATED" })

	tests := []struct {
		name             string
		code             string
		usable           bool
		reason           string
		requiresCustomer bool
	}{
		{"usable, linked to its customer", usableLinked.Code, true, "", false},
		{"usable, linked to nobody", unlinked.Code, true, "", true},
		{"expired", expired.Code, false, "expired", true},
		{"already redeemed", redeemed.Code, false, "redeemed", false},
		{"deactivated", deactivated.Code, false, "deactivated", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodGet, Path: "/v1/vouchers/" + url.PathEscape(tt.code)})
			if a.Status != http.StatusOK {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			var got struct {
				Voucher          struct{ Code string }
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
		})
	}
	a := call(t, request{Method: http.MethodGet, Path: "/v1/vouchers/NO-SUCH-VOUCHER"})
	if a.Status != http.StatusNotFound || a.problemCode(t) != "voucher_not_found" {
		t.Fatalf("unknown voucher: %d %s", a.Status, a.Body)
	}
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
