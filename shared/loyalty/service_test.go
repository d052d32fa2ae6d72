package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { t := now.Add(d); return &t }

// account is one tenant's Leat account held in memory.
type account struct {
	identifiers  map[string]loyalty.Identifier
	customers    map[string]loyalty.Customer
	rewards      []loyalty.Reward
	vouchers     []loyalty.Voucher
	moreVouchers bool
	collectables []loyalty.CollectableReward
	giftcards    map[string]loyalty.Giftcard
	failWith     error
	// refusals are Leat's answers to validating a voucher, by its uuid.
	refusals  map[string]error
	validated []validation
}

// validation is one question put to Leat's voucher validation.
type validation struct{ voucher, shop, contact string }

func (a *account) FindIdentifier(_ context.Context, v string) (loyalty.Identifier, error) {
	if id, ok := a.identifiers[v]; ok {
		return id, nil
	}
	return loyalty.Identifier{}, loyalty.ErrIdentifierNotFound
}
func (a *account) FindOrCreateCustomer(context.Context, string) (loyalty.Customer, error) {
	return loyalty.Customer{}, errors.New("not used")
}
func (a *account) Customer(_ context.Context, uuid string) (loyalty.Customer, error) {
	if c, ok := a.customers[uuid]; ok {
		return c, nil
	}
	return loyalty.Customer{}, loyalty.ErrCustomerNotFound
}
func (a *account) Rewards(context.Context, string, string) ([]loyalty.Reward, error) {
	return a.rewards, a.failWith
}
func (a *account) ActiveVouchers(context.Context, string) ([]loyalty.Voucher, bool, error) {
	return a.vouchers, a.moreVouchers, nil
}
func (a *account) CollectableRewards(context.Context, string) ([]loyalty.CollectableReward, error) {
	return a.collectables, nil
}
func (a *account) VoucherByCode(_ context.Context, code string) (loyalty.Voucher, error) {
	for _, v := range a.vouchers {
		if v.Code == code {
			return v, nil
		}
	}
	return loyalty.Voucher{}, loyalty.ErrVoucherNotFound
}
func (a *account) ValidateVoucher(_ context.Context, voucherUUID, shopUUID, contactUUID string) error {
	a.validated = append(a.validated, validation{voucherUUID, shopUUID, contactUUID})
	return a.refusals[voucherUUID]
}
func (a *account) GiftcardByCode(_ context.Context, code string) (loyalty.Giftcard, error) {
	if g, ok := a.giftcards[code]; ok {
		return g, nil
	}
	return loyalty.Giftcard{}, loyalty.ErrGiftcardNotFound
}
func (a *account) OpenPortalSession(context.Context, loyalty.PortalSessionRequest) (loyalty.PortalSession, error) {
	return loyalty.PortalSession{}, errors.New("not used")
}

func (a *account) For(context.Context, tenancy.Tenant) (loyalty.Platform, error) { return a, nil }

// directory holds the one tenant of these tests; the services read nothing
// else of it.
type directory struct {
	tenancy.Directory
	tenant tenancy.Tenant
}

func (d directory) Tenant(_ context.Context, id tenancy.TenantID) (tenancy.Tenant, error) {
	if id != d.tenant.ID {
		return tenancy.Tenant{}, tenancy.ErrTenantNotFound
	}
	return d.tenant, nil
}

var till = tenancy.Principal{Tenant: "acme", Scopes: []tenancy.Scope{tenancy.ScopePOS}, Locations: []tenancy.LocationID{"store"}}

func newService(platforms loyalty.Platforms) *loyalty.Service {
	t := tenancy.Tenant{ID: "acme", Currency: "EUR", AttributePrefix: "pos_", Locations: []tenancy.Location{{ID: "store", ShopUUID: "shop-1"}}}
	return loyalty.NewService(directory{tenant: t}, platforms, func() time.Time { return now })
}

func TestIdentifyByCard(t *testing.T) {
	acc := &account{
		identifiers: map[string]loyalty.Identifier{
			"CARD-1":   {Value: "CARD-1", Active: true, ContactUUID: "c-1"},
			"BLANK":    {Value: "BLANK", Active: true},
			"BLOCKED":  {Value: "BLOCKED", Active: false, ContactUUID: "c-1"},
			"ORPHANED": {Value: "ORPHANED", Active: true, ContactUUID: "gone"},
		},
		customers: map[string]loyalty.Customer{"c-1": {UUID: "c-1", Points: 10}},
	}
	svc := newService(acc)
	tests := []struct {
		card string
		err  error
	}{
		{"CARD-1", nil},
		{"BLANK", loyalty.ErrIdentifierNotLinked},
		{"BLOCKED", loyalty.ErrIdentifierInactive},
		{"ORPHANED", loyalty.ErrCustomerNotFound},
		{"NOPE", loyalty.ErrIdentifierNotFound},
	}
	for _, tt := range tests {
		id, err := svc.Identify(context.Background(), till, loyalty.IdentifyCommand{Identifier: " " + tt.card + " "})
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.card, err, tt.err)
		}
		if err == nil && (id.Customer.UUID != "c-1" || id.Identifier.Value != "CARD-1") {
			t.Errorf("%s: identified %+v", tt.card, id)
		}
	}
	other := tenancy.Principal{Tenant: "acme", Scopes: []tenancy.Scope{tenancy.ScopePOS}, Locations: []tenancy.LocationID{"elsewhere"}}
	if _, err := svc.Identify(context.Background(), other, loyalty.IdentifyCommand{Identifier: "CARD-1"}); !errors.Is(err, tenancy.ErrLocationMissing) {
		t.Errorf("a key for a location the tenant lacks: %v", err)
	}
}

func TestOverviewSortsRewardsAndFiltersOffers(t *testing.T) {
	acc := &account{
		customers: map[string]loyalty.Customer{"c-1": {UUID: "c-1", Points: 150}},
		rewards: []loyalty.Reward{
			{UUID: "expensive", Title: "B", RequiredPoints: 500},
			{UUID: "cheap", Title: "A", RequiredPoints: 50, Attributes: map[string]string{"pos_discount_rule_id": "R1"}},
			{UUID: "exact", Title: "C", RequiredPoints: 150},
		},
		vouchers: []loyalty.Voucher{
			{UUID: "v-late", Code: "LATE", Status: loyalty.VoucherActive, ExpiresAt: at(48 * time.Hour)},
			{UUID: "v-forever", Code: "FOREVER", Status: loyalty.VoucherActive},
			{UUID: "v-soon", Code: "SOON", Status: loyalty.VoucherActive, ExpiresAt: at(time.Hour)},
			{UUID: "v-past", Code: "PAST", Status: loyalty.VoucherActive, ExpiresAt: at(-time.Hour)},
		},
		collectables: []loyalty.CollectableReward{
			{UUID: "cr-open", Title: "Croissant", ExpiresAt: at(24 * time.Hour)},
			{UUID: "cr-collected", Collected: true},
			{UUID: "cr-expired", ExpiresAt: at(-time.Minute)},
		},
	}
	o, err := newService(acc).Overview(context.Background(), till, "", "c-1")
	if err != nil {
		t.Fatal(err)
	}
	wantRewards := []struct {
		uuid         string
		affordable   bool
		pointsNeeded int64
	}{{"cheap", true, 0}, {"exact", true, 0}, {"expensive", false, 350}}
	for i, w := range wantRewards {
		got := o.Rewards[i]
		if got.Reward.UUID != w.uuid || got.Affordable != w.affordable || got.PointsNeeded != w.pointsNeeded {
			t.Errorf("reward %d = %+v, want %+v", i, got, w)
		}
	}
	if o.Rewards[0].Discount.Kind != loyalty.DiscountRule {
		t.Errorf("discount of the first reward: %+v", o.Rewards[0].Discount)
	}
	var order []string
	for _, offer := range o.Offers {
		order = append(order, offer.UUID)
	}
	want := []string{"v-soon", "cr-open", "v-late", "v-forever"}
	if len(order) != len(want) {
		t.Fatalf("offers %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("offers %v, want %v", order, want)
		}
	}

	if o.OffersTruncated {
		t.Error("offers said truncated though Leat holds no more vouchers")
	}
	acc.moreVouchers = true
	if o, err = newService(acc).Overview(context.Background(), till, "", "c-1"); err != nil || !o.OffersTruncated {
		t.Fatalf("Leat holds more vouchers than read: truncated %v, err %v", o.OffersTruncated, err)
	}

	acc.failWith = &loyalty.UnavailableError{Cause: errors.New("timeout")}
	if _, err := newService(acc).Overview(context.Background(), till, "", "c-1"); !errors.Is(err, loyalty.ErrPlatformUnavailable) {
		t.Fatalf("one failing call: %v", err)
	}
}

func TestScanVoucher(t *testing.T) {
	none := int64(0)
	acc := &account{
		vouchers: []loyalty.Voucher{
			{UUID: "v-ok", Code: "OK", Status: loyalty.VoucherActive, ContactUUID: "c-1"},
			{UUID: "v-flyer", Code: "FLYER", Status: loyalty.VoucherActive},
			{UUID: "v-spring", Code: "SPRING", Status: loyalty.VoucherActive},
			{UUID: "v-used", Code: "USED", Status: loyalty.VoucherRedeemed, ContactUUID: "c-1"},
			{UUID: "v-spent", Code: "SPENT", Status: loyalty.VoucherActive, RedemptionsRemaining: &none, ContactUUID: "c-1"},
		},
		refusals: map[string]error{"v-spring": fmt.Errorf("%w: Promotion is inactive.", loyalty.ErrPromotionInactive)},
	}
	tests := []struct {
		code, contact    string
		usable           bool
		reason           string
		requiresCustomer bool
		asked            []validation
	}{
		{"OK", "", true, "", false, []validation{{"v-ok", "shop-1", "c-1"}}},
		{"OK", "c-2", false, "contact_mismatch", false, nil},
		{"FLYER", "", false, "contact_required", true, nil},
		{"FLYER", "c-2", true, "", true, []validation{{"v-flyer", "shop-1", "c-2"}}},
		{"SPRING", "c-2", false, "promotion_inactive", true, []validation{{"v-spring", "shop-1", "c-2"}}},
		{"USED", "", false, "redeemed", false, nil},
		{"SPENT", "c-1", false, "no_redemptions_left", false, nil},
	}
	svc := newService(acc)
	for _, tt := range tests {
		acc.validated = nil
		scan, err := svc.ScanVoucher(context.Background(), till, loyalty.VoucherScanCommand{Code: tt.code, ContactUUID: tt.contact})
		if err != nil || scan.Usable != tt.usable || scan.Reason != tt.reason || scan.RequiresCustomer != tt.requiresCustomer {
			t.Errorf("%s for %q: %+v, %v", tt.code, tt.contact, scan, err)
		}
		if !slices.Equal(acc.validated, tt.asked) {
			t.Errorf("%s for %q: asked Leat %v, want %v", tt.code, tt.contact, acc.validated, tt.asked)
		}
	}

	acc.refusals["v-flyer"] = fmt.Errorf("%w: Contact not found.", loyalty.ErrCustomerNotFound)
	if _, err := svc.ScanVoucher(context.Background(), till, loyalty.VoucherScanCommand{Code: "FLYER", ContactUUID: "nobody"}); !errors.Is(err, loyalty.ErrCustomerNotFound) {
		t.Errorf("an unknown customer is no property of the voucher: %v", err)
	}
}

func TestScanGiftcard(t *testing.T) {
	eur := func(cents int64) money.Money { return money.Money{Amount: cents, Currency: "EUR"} }
	acc := &account{giftcards: map[string]loyalty.Giftcard{
		"RACK":    {Physical: true, Active: true, Balance: eur(0)},
		"LOADED":  {Physical: true, Active: true, Balance: eur(5000)},
		"DIGITAL": {Active: true, Balance: eur(0)},
		"BLOCKED": {Physical: true, Active: false, Balance: eur(2000)},
		"OLD":     {Physical: true, Active: true, Balance: eur(1500), ExpiresAt: at(-time.Hour)},
	}}
	tests := []struct {
		code              string
		sellable, payable bool
		reason            string
	}{
		{"RACK", true, false, ""},
		{"LOADED", false, true, ""},
		{"DIGITAL", false, false, "empty"},
		{"BLOCKED", false, false, "inactive"},
		{"OLD", false, false, "expired"},
	}
	svc := newService(acc)
	for _, tt := range tests {
		scan, err := svc.ScanGiftcard(context.Background(), till, "", tt.code)
		if err != nil || scan.Sellable != tt.sellable || scan.Payable != tt.payable || scan.Reason != tt.reason {
			t.Errorf("%s: %+v, %v", tt.code, scan, err)
		}
	}
}
