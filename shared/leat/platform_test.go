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

// TestActiveVouchersSayWhenTheyStop: a contact whose vouchers fill every
// page the gateway reads is answered with those pages and told there are
// more; one whose list ends within them is not.
func TestActiveVouchersSayWhenTheyStop(t *testing.T) {
	page := func(current, last int) reply {
		return reply{body: fmt.Sprintf(`{"data":[{"uuid":"v-%d","code":"C%d","status":"ACTIVE"}],"meta":{"current_page":%d,"last_page":%d,"per_page":100}}`, current, current, current, last)}
	}
	tests := []struct {
		name      string
		lastPage  int
		vouchers  int
		more      bool
		requested int
	}{
		{"one page", 1, 1, false, 1},
		{"ends on the last page read", maxVoucherPages, maxVoucherPages, false, maxVoucherPages},
		{"goes on beyond it", maxVoucherPages + 3, maxVoucherPages, true, maxVoucherPages},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var replies []reply
			for n := 1; n <= tt.lastPage; n++ {
				replies = append(replies, page(n, tt.lastPage))
			}
			leat := newFakeLeat(t, replies...)
			c, _ := newTestClient(t, leat.URL)
			vouchers, more, err := (&Platform{client: c, currency: "EUR"}).ActiveVouchers(context.Background(), "c-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(vouchers) != tt.vouchers || more != tt.more || len(leat.seen()) != tt.requested {
				t.Fatalf("%d vouchers, more %v, %d requests; want %d, %v, %d", len(vouchers), more, len(leat.seen()), tt.vouchers, tt.more, tt.requested)
			}
		})
	}
}
