package tenancy_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/tenancy"
)

func validTenant() tenancy.Tenant {
	return tenancy.Tenant{
		ID: "acme", Name: "Acme", LeatCredentials: "leat/acme", Currency: "EUR", AttributePrefix: "pos_",
		RewardStrategy: tenancy.RewardRedeemReverse, VoucherStrategy: tenancy.VoucherLockRedeem,
		Locations: []tenancy.Location{{ID: "amsterdam", ShopUUID: "shop-1"}, {ID: "utrecht", ShopUUID: "shop-2"}},
	}
}

func TestTenantValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*tenancy.Tenant)
		want   string
	}{
		{"valid", func(*tenancy.Tenant) {}, ""},
		{"upper-case id", func(t *tenancy.Tenant) { t.ID = "Acme" }, "lower-case slug"},
		{"no credentials", func(t *tenancy.Tenant) { t.LeatCredentials = " " }, "credentials"},
		{"unknown currency", func(t *tenancy.Tenant) { t.Currency = "EURO" }, "unknown currency"},
		{"unknown reward strategy", func(t *tenancy.Tenant) { t.RewardStrategy = "yolo" }, "reward strategy"},
		{"unknown voucher strategy", func(t *tenancy.Tenant) { t.VoucherStrategy = "" }, "voucher strategy"},
		{"no locations", func(t *tenancy.Tenant) { t.Locations = nil }, "at least one location"},
		{"duplicate location", func(t *tenancy.Tenant) { t.Locations[1].ID = "amsterdam" }, "listed twice"},
		{"location without shop", func(t *tenancy.Tenant) { t.Locations[0].ShopUUID = "" }, "shop uuid"},
		{"payment timeout of a second", func(t *tenancy.Tenant) { t.PaymentTimeout = time.Second }, "payment timeout"},
		{"payment timeout of days", func(t *tenancy.Tenant) { t.PaymentTimeout = 48 * time.Hour }, "payment timeout"},
		{"payment timeout of an hour", func(t *tenancy.Tenant) { t.PaymentTimeout = time.Hour }, ""},
		{"portal that is no URL", func(t *tenancy.Tenant) { t.PortalURL = "acme.piggy.eu" }, "portal URL"},
		{"portal URL", func(t *tenancy.Tenant) { t.PortalURL = "https://acme.piggy.eu" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := validTenant()
			tt.change(&tenant)
			err := tenant.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tenancy.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}

func TestPaymentWindow(t *testing.T) {
	tests := []struct {
		timeout time.Duration
		locked  bool
		want    time.Duration
	}{
		{0, false, 15 * time.Minute},
		{0, true, 15 * time.Minute},
		{2 * time.Hour, false, 2 * time.Hour},
		{2 * time.Hour, true, 50 * time.Minute},
		{5 * time.Minute, true, 5 * time.Minute},
	}
	for _, tt := range tests {
		tenant := tenancy.Tenant{PaymentTimeout: tt.timeout}
		if got := tenant.PaymentWindow(tt.locked); got != tt.want {
			t.Errorf("PaymentWindow(timeout %s, locked %v) = %s, want %s", tt.timeout, tt.locked, got, tt.want)
		}
	}
}

func TestIssueAPIKey(t *testing.T) {
	tenant := validTenant()
	raw, key, err := tenancy.IssueAPIKey(tenant, "till 1", []tenancy.Scope{tenancy.ScopePOS}, []tenancy.LocationID{"utrecht"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw, "lpg_") || len(raw) < 40 {
		t.Fatalf("raw key %q", raw)
	}
	if key.Hash != tenancy.HashKey(raw) || strings.Contains(string(key.Hash), raw) || key.Tenant != "acme" {
		t.Fatalf("stored key %+v", key)
	}
	other, _, _ := tenancy.IssueAPIKey(tenant, "till 2", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
	if other == raw {
		t.Fatal("two keys are equal")
	}
	refused := []struct {
		name      string
		keyName   string
		scopes    []tenancy.Scope
		locations []tenancy.LocationID
	}{
		{"no name", "", []tenancy.Scope{tenancy.ScopePOS}, nil},
		{"no scope", "x", nil, nil},
		{"unknown scope", "x", []tenancy.Scope{"admin"}, nil},
		{"foreign location", "x", []tenancy.Scope{tenancy.ScopePOS}, []tenancy.LocationID{"paris"}},
	}
	for _, r := range refused {
		if _, _, err := tenancy.IssueAPIKey(tenant, r.keyName, r.scopes, r.locations, time.Now()); !errors.Is(err, tenancy.ErrInvalid) {
			t.Errorf("%s: err = %v", r.name, err)
		}
	}
}

func TestPrincipal(t *testing.T) {
	single := tenancy.Principal{Tenant: "acme", Scopes: []tenancy.Scope{tenancy.ScopePOS}, Locations: []tenancy.LocationID{"amsterdam"}}
	multi := tenancy.Principal{Tenant: "acme", Scopes: []tenancy.Scope{tenancy.ScopeBackend}, Locations: []tenancy.LocationID{"amsterdam", "utrecht"}}
	tests := []struct {
		name      string
		p         tenancy.Principal
		requested tenancy.LocationID
		want      tenancy.LocationID
		err       error
	}{
		{"the key's only location", single, "", "amsterdam", nil},
		{"the key's location named", single, "amsterdam", "amsterdam", nil},
		{"another location", single, "utrecht", "", tenancy.ErrLocationMissing},
		{"several locations, none named", multi, "", "", tenancy.ErrLocationRequired},
		{"several locations, one named", multi, "utrecht", "utrecht", nil},
	}
	for _, tt := range tests {
		got, err := tt.p.Location(tt.requested)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%s: got %q, %v", tt.name, got, err)
		}
	}
	if err := single.Require(tenancy.ScopePOS); err != nil {
		t.Error(err)
	}
	if err := single.Require(tenancy.ScopeOps); !errors.Is(err, tenancy.ErrScopeMissing) {
		t.Errorf("missing scope: %v", err)
	}
}

func TestLocationFor(t *testing.T) {
	withDefault := validTenant()
	withDefault.DefaultLocation = "utrecht"
	till := tenancy.Principal{Tenant: "acme", Locations: []tenancy.LocationID{"amsterdam"}}
	office := tenancy.Principal{Tenant: "acme", Locations: []tenancy.LocationID{"amsterdam", "utrecht"}}
	stray := tenancy.Principal{Tenant: "acme", Locations: []tenancy.LocationID{"amsterdam", "paris"}}
	tests := []struct {
		name      string
		tenant    tenancy.Tenant
		p         tenancy.Principal
		requested tenancy.LocationID
		shop      string
		err       error
	}{
		{"till's own location", withDefault, till, "", "shop-1", nil},
		{"named location", validTenant(), office, "utrecht", "shop-2", nil},
		{"several, none named, no default", validTenant(), office, "", "", tenancy.ErrLocationRequired},
		{"several, none named, the default", withDefault, office, "", "shop-2", nil},
		{"default the key does not serve", withDefault, till, "utrecht", "", tenancy.ErrLocationMissing},
		{"key names a location the tenant lacks", validTenant(), stray, "paris", "", tenancy.ErrLocationMissing},
	}
	for _, tt := range tests {
		got, err := tt.tenant.LocationFor(tt.p, tt.requested)
		if got.ShopUUID != tt.shop || !errors.Is(err, tt.err) {
			t.Errorf("%s: got %+v, %v", tt.name, got, err)
		}
	}
	invalid := validTenant()
	invalid.DefaultLocation = "paris"
	if err := invalid.Validate(); !errors.Is(err, tenancy.ErrInvalid) {
		t.Errorf("a default outside the tenant's locations: %v", err)
	}
}
