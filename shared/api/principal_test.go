package api

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/leatpos/gateway/shared/tenancy"
)

// keyDirectory holds one tenant and its keys, or fails every read.
type keyDirectory struct {
	tenancy.Directory
	tenant tenancy.Tenant
	keys   map[tenancy.KeyHash]tenancy.APIKey
	down   bool
}

func (d keyDirectory) APIKey(_ context.Context, h tenancy.KeyHash) (tenancy.APIKey, error) {
	if d.down {
		return tenancy.APIKey{}, errors.New("the table is unreachable")
	}
	k, ok := d.keys[h]
	if !ok {
		return tenancy.APIKey{}, tenancy.ErrUnknownKey
	}
	return k, nil
}

func (d keyDirectory) Tenant(context.Context, tenancy.TenantID) (tenancy.Tenant, error) {
	return d.tenant, nil
}

// TestAuthorizerDeniesUnknownKeys: a key that is not one, unknown or
// disabled never reaches a function; a known key does, with its principal;
// a directory that cannot answer is an error, not a denial.
func TestAuthorizerDeniesUnknownKeys(t *testing.T) {
	tenant := tenancy.Tenant{ID: "acme", Locations: []tenancy.Location{{ID: "amsterdam"}}}
	valid, validKey, err := tenancy.IssueAPIKey(tenant, "till", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	disabled, disabledKey, err := tenancy.IssueAPIKey(tenant, "old till", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	disabledKey.Disabled = true
	dir := keyDirectory{tenant: tenant, keys: map[tenancy.KeyHash]tenancy.APIKey{validKey.Hash: validKey, disabledKey.Hash: disabledKey}}
	tests := []struct {
		name          string
		authorization string
		dir           keyDirectory
		allowed       bool
		fails         bool
	}{
		{"a known key", "Bearer " + valid, dir, true, false},
		{"no header", "", dir, false, false},
		{"not a bearer key", "Basic dXNlcjpwYXNz", dir, false, false},
		{"an unknown key", "Bearer lpg_unknown", dir, false, false},
		{"a disabled key", "Bearer " + disabled, dir, false, false},
		{"a directory that cannot answer", "Bearer " + valid, keyDirectory{down: true}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := Authorizer(tt.dir)(context.Background(), events.APIGatewayV2CustomAuthorizerV2Request{
				Headers: map[string]string{"authorization": tt.authorization},
			})
			if (err != nil) != tt.fails || resp.IsAuthorized != tt.allowed {
				t.Fatalf("authorized %v, err %v", resp.IsAuthorized, err)
			}
			if tt.allowed && (resp.Context[authTenant] != "acme" || resp.Context[authScopes] != "pos") {
				t.Errorf("context %v", resp.Context)
			}
		})
	}
}
