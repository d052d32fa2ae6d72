package dynamodb_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/tenancy"
)

func demoTenant() tenancy.Tenant {
	return tenancy.Tenant{
		ID: "acme", Name: "Acme Coffee", LeatCredentials: "leat/acme", Currency: "EUR",
		AttributePrefix: "pos_", RewardStrategy: tenancy.RewardRedeemReverse, VoucherStrategy: tenancy.VoucherLockRedeem,
		Locations: []tenancy.Location{
			{ID: "amsterdam", Name: "Amsterdam", ShopUUID: "shop-ams"},
			{ID: "utrecht", Name: "Utrecht", ShopUUID: "shop-utr"},
		},
		DefaultLocation: "utrecht", PaymentTimeout: 10 * time.Minute, PortalURL: "https://acme.example",
		LeatTendersPaySales: true,
	}
}

func TestDirectoryTenants(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	dir := dynamodb.NewDirectory(table)
	ctx := context.Background()

	if _, err := dir.Tenant(ctx, "acme"); !errors.Is(err, tenancy.ErrTenantNotFound) {
		t.Fatalf("missing tenant: err = %v", err)
	}
	if err := dir.UpdateTenant(ctx, demoTenant()); !errors.Is(err, tenancy.ErrTenantNotFound) {
		t.Fatalf("update of a missing tenant: err = %v", err)
	}
	if err := dir.CreateTenant(ctx, demoTenant()); err != nil {
		t.Fatal(err)
	}
	if err := dir.CreateTenant(ctx, demoTenant()); !errors.Is(err, tenancy.ErrTenantExists) {
		t.Fatalf("second create: err = %v", err)
	}
	got, err := dir.Tenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, demoTenant()) {
		t.Fatalf("tenant read back as %+v, stored %+v", got, demoTenant())
	}
	invalid := demoTenant()
	invalid.Currency = "XXX"
	if err := dir.UpdateTenant(ctx, invalid); !errors.Is(err, tenancy.ErrInvalid) {
		t.Fatalf("invalid tenant stored: err = %v", err)
	}
}

func TestAuthenticateAgainstStoredKeys(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	dir := dynamodb.NewDirectory(table)
	ctx := context.Background()
	tenant := demoTenant()
	if err := dir.CreateTenant(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	issue := func(name string, scopes []tenancy.Scope, locations []tenancy.LocationID, disabled bool) string {
		raw, key, err := tenancy.IssueAPIKey(tenant, name, scopes, locations, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		key.Disabled = disabled
		if err := dir.SaveAPIKey(ctx, key); err != nil {
			t.Fatal(err)
		}
		return raw
	}
	till := issue("till 1", []tenancy.Scope{tenancy.ScopePOS}, []tenancy.LocationID{"amsterdam"}, false)
	office := issue("back office", []tenancy.Scope{tenancy.ScopeBackend, tenancy.ScopeOps}, nil, false)
	revoked := issue("old till", []tenancy.Scope{tenancy.ScopePOS}, nil, true)

	tests := []struct {
		name          string
		header        string
		wantErr       error
		wantLocations []tenancy.LocationID
	}{
		{"POS key bound to one location", "Bearer " + till, nil, []tenancy.LocationID{"amsterdam"}},
		{"scheme is case-insensitive", "bearer " + till, nil, []tenancy.LocationID{"amsterdam"}},
		{"back-office key serves every location", "Bearer " + office, nil, []tenancy.LocationID{"amsterdam", "utrecht"}},
		{"disabled key", "Bearer " + revoked, tenancy.ErrKeyDisabled, nil},
		{"unknown key", "Bearer lpg_doesnotexist", tenancy.ErrUnknownKey, nil},
		{"not a gateway key", "Bearer something", tenancy.ErrUnknownKey, nil},
		{"basic auth", "Basic " + till, tenancy.ErrUnknownKey, nil},
		{"no header", "", tenancy.ErrUnknownKey, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tenancy.Authenticate(ctx, dir, tt.header)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if p.Tenant != "acme" || len(p.Locations) != len(tt.wantLocations) {
				t.Fatalf("principal = %+v", p)
			}
			for i, l := range tt.wantLocations {
				if p.Locations[i] != l {
					t.Fatalf("locations = %v, want %v", p.Locations, tt.wantLocations)
				}
			}
		})
	}
}
