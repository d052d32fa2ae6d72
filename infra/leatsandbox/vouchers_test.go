package leatsandbox_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func (l *leat) voucher(what string, match func(leatsandbox.SeedVoucher) bool) leatsandbox.SeedVoucher {
	l.t.Helper()
	return pick(l.t, what, l.seed.Vouchers, match)
}

// usableVoucher is an active, unused, unexpired single-use voucher with an active promotion.
func (l *leat) usableVoucher(linked bool) leatsandbox.SeedVoucher {
	activePromotion := map[string]bool{}
	for _, p := range l.seed.Promotions {
		activePromotion[p.Name] = p.Active
	}
	return l.voucher("a usable voucher", func(v leatsandbox.SeedVoucher) bool {
		return v.Status == "ACTIVE" && v.TimesRedeemed == 0 && v.TotalRedemptionsAllowed <= 1 &&
			activePromotion[v.Promotion] && (v.Contact != "") == linked &&
			(v.ExpirationDate == nil || v.ExpirationDate.After(time.Now().Add(24*time.Hour)))
	})
}

func (l *leat) redeem(code string, extra map[string]any) answer {
	l.t.Helper()
	body := map[string]any{"code": code, "shop_uuid": l.shop().UUID}
	for k, v := range extra {
		body[k] = v
	}
	return l.call("POST", "/vouchers/redeem", body)
}

func TestVoucherLockReleaseRedeemReverse(t *testing.T) {
	l := start(t)
	v := l.usableVoucher(true)
	lockPath := "/vouchers/" + v.UUID + "/lock"

	lock := l.call("POST", lockPath, nil).ok()
	if lock.str("data.voucher.status") != "LOCKED" {
		t.Fatalf("lock: %s", lock.raw)
	}
	lockedAt, releaseAt := parseTime(t, lock.str("data.lock.locked_at")), parseTime(t, lock.str("data.lock.system_release_at"))
	if releaseAt.Sub(lockedAt) != time.Hour {
		t.Fatalf("system_release_at is not locked_at + 1h: %s", lock.raw)
	}
	l.call("POST", lockPath, nil).fails(80017)

	l.call("POST", "/vouchers/"+v.UUID+"/release", map[string]any{"release_key": "wrong"}).invalid("release_key")
	released := l.call("POST", "/vouchers/"+v.UUID+"/release", map[string]any{"release_key": lock.str("data.lock.release_key")}).ok()
	if released.str("data.voucher.status") != "ACTIVE" || released.get("data.lock.unlocked_at") == nil || released.get("data.lock.system_release_at") != nil {
		t.Fatalf("release: %s", released.raw)
	}

	relock := l.call("POST", lockPath, nil).ok()
	l.redeem(v.Code, nil).invalid("release_key")
	redeemed := l.redeem(v.Code, map[string]any{"release_key": relock.str("data.lock.release_key")}).ok()
	if redeemed.str("data.status") != "REDEEMED" || redeemed.get("data.is_redeemed") != true || redeemed.str("data.voucher_redemption.uuid") == "" {
		t.Fatalf("redeem: %s", redeemed.raw)
	}
	l.redeem(v.Code, nil).fails(80005)

	redemption := redeemed.str("data.voucher_redemption.uuid")
	reversed := l.call("POST", "/vouchers/"+redemption+"/reverse", nil).ok()
	if reversed.str("data.status") != "ACTIVE" || reversed.int("data.times_redeemed") != 0 {
		t.Fatalf("reverse: %s", reversed.raw)
	}
	l.call("POST", "/vouchers/"+redemption+"/reverse", nil).invalid("voucher_redemption_uuid")
	l.redeem(v.Code, nil).ok()
}

func TestVoucherLockReleasesItselfAfterAnHour(t *testing.T) {
	l := start(t)
	v := l.usableVoucher(true)
	l.call("POST", "/vouchers/"+v.UUID+"/lock", nil).ok()
	l.advance(59 * time.Minute)
	if status := l.call("GET", "/vouchers/find?code="+v.Code, nil).ok().str("data.status"); status != "LOCKED" {
		t.Fatalf("status after 59m: %s", status)
	}
	l.advance(2 * time.Minute)
	if status := l.call("GET", "/vouchers/find?code="+v.Code, nil).ok().str("data.status"); status != "ACTIVE" {
		t.Fatalf("status after 61m: %s", status)
	}
	// Once the lock is gone, anyone may lock or redeem without the old release key.
	l.redeem(v.Code, nil).ok()
}

func TestVoucherRefusals(t *testing.T) {
	l := start(t)
	inactivePromotion := pick(t, "an inactive promotion", l.seed.Promotions, func(p leatsandbox.SeedPromotion) bool { return !p.Active })
	expired := l.voucher("an expired voucher", func(v leatsandbox.SeedVoucher) bool {
		return v.ExpirationDate != nil && v.ExpirationDate.Before(time.Now())
	})
	redeemed := l.voucher("a used voucher", func(v leatsandbox.SeedVoucher) bool {
		return v.TimesRedeemed >= max(1, v.TotalRedemptionsAllowed)
	})
	deactivated := l.voucher("a deactivated voucher", func(v leatsandbox.SeedVoucher) bool { return v.Status == "DEACTIVATED" })
	inactive := l.voucher("an inactive voucher", func(v leatsandbox.SeedVoucher) bool { return v.Status == "INACTIVE" })
	switchedOff := l.voucher("a voucher of an inactive promotion", func(v leatsandbox.SeedVoucher) bool { return v.Promotion == inactivePromotion.Name })
	anybody := l.richContact().UUID

	tests := []struct {
		name string
		v    leatsandbox.SeedVoucher
		code int
	}{
		{"expired", expired, 80006},
		{"redeemed", redeemed, 80005},
		{"deactivated", deactivated, 80012},
		{"inactive", inactive, 80014},
		{"inactive promotion", switchedOff, 80020},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			owner := anybody
			if tt.v.Contact != "" {
				owner = l.contactByEmail(tt.v.Contact).UUID
			}
			l.redeem(tt.v.Code, map[string]any{"contact_uuid": owner}).fails(tt.code)
			l.call("POST", "/vouchers/"+tt.v.UUID+"/lock", nil).fails(tt.code)
			l.call("POST", "/vouchers/"+tt.v.UUID+"/validate", map[string]any{"contact_uuid": owner, "shop_uuid": l.shop().UUID}).fails(tt.code)
		})
	}

	t.Run("unknown code", func(t *testing.T) {
		l := l.with(t)
		l.redeem("NO-SUCH-CODE", nil).fails(80004)
		l.call("GET", "/vouchers/find?code=NO-SUCH-CODE", nil).fails(80004)
	})
	t.Run("unlinked voucher needs a contact", func(t *testing.T) {
		l := l.with(t)
		v := l.usableVoucher(false)
		l.redeem(v.Code, nil).invalid("contact_uuid")
		l.call("POST", "/vouchers/"+v.UUID+"/validate", map[string]any{"shop_uuid": l.shop().UUID}).invalid("contact_uuid")
		l.call("POST", "/vouchers/"+v.UUID+"/validate", map[string]any{"contact_uuid": anybody, "shop_uuid": l.shop().UUID}).ok()
		l.redeem(v.Code, map[string]any{"contact_uuid": anybody}).ok()
	})
	t.Run("linked voucher refuses another contact", func(t *testing.T) {
		l := l.with(t)
		v := l.usableVoucher(true)
		other := pick(t, "another contact", l.seed.Contacts, func(c leatsandbox.SeedContact) bool { return c.Email != v.Contact })
		l.redeem(v.Code, map[string]any{"contact_uuid": other.UUID}).invalid("contact_uuid")
	})
}

func TestVoucherExpiresByTheClock(t *testing.T) {
	l := start(t)
	promotion := pick(t, "an active promotion", l.seed.Promotions, func(p leatsandbox.SeedPromotion) bool { return p.Active })
	expires := time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
	created := l.call("POST", "/vouchers", map[string]any{"promotion_uuid": promotion.UUID, "code": "CLOCK-TEST",
		"expiration_date": expires, "contact_uuid": l.richContact().UUID}).ok()
	if created.str("data.status") != "ACTIVE" {
		t.Fatalf("new voucher: %s", created.raw)
	}
	for name, value := range promotion.Attributes {
		if created.str("data.attributes."+name) != value || created.str("data.promotion."+name) != value {
			t.Fatalf("promotion attribute %s must be in attributes and flattened in promotion: %s", name, created.raw)
		}
	}
	l.call("POST", "/vouchers", map[string]any{"promotion_uuid": promotion.UUID, "code": "CLOCK-TEST"}).fails(80003)
	l.call("POST", "/vouchers", map[string]any{"promotion_uuid": unknownUUID}).fails(80002)

	l.advance(2 * time.Hour)
	if status := l.call("GET", "/vouchers/find?code=CLOCK-TEST", nil).ok().str("data.status"); status != "EXPIRED" {
		t.Fatalf("status after expiry: %s", status)
	}
	l.redeem("CLOCK-TEST", nil).fails(80006)
}

func TestMultiUseVoucher(t *testing.T) {
	l := start(t)
	v := l.voucher("a multi-use voucher", func(v leatsandbox.SeedVoucher) bool { return v.TotalRedemptionsAllowed > 1 })
	contact := l.richContact().UUID
	for i := 1; i <= v.TotalRedemptionsAllowed; i++ {
		a := l.redeem(v.Code, map[string]any{"contact_uuid": contact}).ok()
		if a.int("data.times_redeemed") != int64(i) || a.int("data.redemptions_remaining") != int64(v.TotalRedemptionsAllowed-i) {
			t.Fatalf("redemption %d: %s", i, a.raw)
		}
	}
	l.redeem(v.Code, map[string]any{"contact_uuid": contact}).fails(80005)
}

func TestVoucherListIsALaravelPage(t *testing.T) {
	l := start(t)
	a := l.call("GET", "/vouchers?limit=2&page=1", nil).ok()
	if len(a.list("data")) != 2 || a.str("meta.per_page") != "2" || a.int("meta.total") != int64(len(l.seed.Vouchers)) || a.get("links.prev") != nil {
		t.Fatalf("page: %s", a.raw)
	}
	rich := l.richContact()
	mine := l.call("GET", "/vouchers?status=ACTIVE&contact_uuid="+rich.UUID, nil).ok()
	for _, item := range mine.list("data") {
		if item.(map[string]any)["status"] != "ACTIVE" {
			t.Fatalf("status filter: %s", mine.raw)
		}
	}
	l.call("GET", "/vouchers?status=BROKEN", nil).invalid("status")
	l.call("GET", "/vouchers?limit=501", nil).invalid("limit")
}

func TestPromotions(t *testing.T) {
	l := start(t)
	created := l.call("POST", "/promotions", map[string]any{"name": "Test Promotion", "description": "made by a test",
		"custom_attributes": map[string]any{"pos_discount_type": "absolute_discount", "pos_discount_value": 3}}).ok()
	if created.str("data.attributes.pos_discount_value") != "3" {
		t.Fatalf("promotion: %s", created.raw)
	}
	list := l.call("GET", "/promotions", nil).ok()
	if len(list.list("data")) != len(l.seed.Promotions)+1 {
		t.Fatalf("promotions: %s", list.raw)
	}
	l.call("POST", "/promotions", map[string]any{"uuid": created.str("data.uuid"), "name": "Again"}).invalid("uuid")

	limited := l.call("POST", "/promotions", map[string]any{"name": "Limited", "voucher_limit": 3, "limit_per_contact": 1}).ok()
	contact := l.richContact().UUID
	voucher := map[string]any{"promotion_uuid": limited.str("data.uuid"), "contact_uuid": contact}
	l.call("POST", "/vouchers", voucher).ok()
	l.call("POST", "/vouchers", voucher).fails(80008)
	l.call("POST", "/vouchers/batch", map[string]any{"promotion_uuid": limited.str("data.uuid"), "quantity": 3}).fails(80008)
	l.call("POST", "/vouchers/batch", map[string]any{"promotion_uuid": limited.str("data.uuid"), "quantity": 2}).ok()
}

func TestVoucherBatch(t *testing.T) {
	l := start(t)
	promotion := pick(t, "an active promotion", l.seed.Promotions, func(p leatsandbox.SeedPromotion) bool { return p.Active })
	batch := l.call("POST", "/vouchers/batch", map[string]any{"promotion_uuid": promotion.UUID, "quantity": 3})
	if batch.status != http.StatusCreated || batch.str("data.status") != "PENDING" || batch.int("data.quantity") != 3 {
		t.Fatalf("batch: %d %s", batch.status, batch.raw)
	}
	list := l.call("GET", "/vouchers?promotion_uuid="+promotion.UUID, nil).ok()
	seeded := 0
	for _, v := range l.seed.Vouchers {
		if v.Promotion == promotion.Name {
			seeded++
		}
	}
	if list.int("meta.total") != int64(seeded+3) {
		t.Fatalf("vouchers of the promotion: %s", list.raw)
	}
	l.call("POST", "/vouchers/batch", map[string]any{"promotion_uuid": promotion.UUID, "quantity": 501}).invalid("quantity")
}
