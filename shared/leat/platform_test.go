package leat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/leatpos/gateway/shared/loyalty"
)

func TestValidateVoucherAsksForTheShopAndContact(t *testing.T) {
	leat := newFakeLeat(t, reply{body: `{"data":{"uuid":"v-1","code":"FLYER","status":"ACTIVE"},"meta":[]}`})
	c, _ := newTestClient(t, leat.URL)
	if err := (&Platform{client: c, currency: "EUR"}).ValidateVoucher(context.Background(), "v-1", "shop-1", "c-1"); err != nil {
		t.Fatal(err)
	}
	got := leat.seen()[0]
	var body map[string]string
	if err := json.Unmarshal([]byte(got.body), &body); err != nil {
		t.Fatal(err)
	}
	if got.method != http.MethodPost || got.path != "/api/v3/oauth/clients/vouchers/v-1/validate" ||
		body["shop_uuid"] != "shop-1" || body["contact_uuid"] != "c-1" {
		t.Fatalf("asked %s %s %s", got.method, got.path, got.body)
	}
}

// TestRefusalsSpeakTheDomain: the checkout and the scan meet Leat's business
// refusals only as the loyalty domain's errors.
func TestRefusalsSpeakTheDomain(t *testing.T) {
	tests := []struct {
		code Code
		want error
	}{
		{CodeInsufficientCredits, loyalty.ErrRewardNotAffordable},
		{CodeRewardOutOfStock, loyalty.ErrRewardOutOfStock},
		{CodeRewardClaimLimitReached, loyalty.ErrRewardLimitReached},
		{CodeRewardInactive, loyalty.ErrRewardInactive},
		{CodeRewardNotFound, loyalty.ErrRewardNotFound},
		{CodeNotFoundOrExpired, loyalty.ErrRewardNotFound},
		{CodeVoucherNotFound, loyalty.ErrVoucherNotFound},
		{CodeVoucherAlreadyRedeemed, loyalty.ErrVoucherRedeemed},
		{CodeVoucherRedemptionsExhausted, loyalty.ErrVoucherUsedUp},
		{CodeVoucherExpired, loyalty.ErrVoucherExpired},
		{CodeVoucherAlreadyLocked, loyalty.ErrVoucherLocked},
		{CodeVoucherDeactivated, loyalty.ErrVoucherDeactivated},
		{CodeVoucherInactive, loyalty.ErrVoucherNotActive},
		{CodePromotionInactive, loyalty.ErrPromotionInactive},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(int(tt.code)), func(t *testing.T) {
			leat := newFakeLeat(t, reply{status: 400, body: fmt.Sprintf(`{"message":"Leat says no.","code":%d,"status_code":400}`, tt.code)})
			c, _ := newTestClient(t, leat.URL)
			err := (&Platform{client: c, currency: "EUR"}).ValidateVoucher(context.Background(), "v-1", "shop-1", "")
			if !errors.Is(err, tt.want) || errors.Is(err, tt.code) {
				t.Fatalf("err = %v, want %v without Leat's code", err, tt.want)
			}
		})
	}
}
