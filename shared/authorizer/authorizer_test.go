package authorizer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/leatpos/gateway/shared/store"
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
			resp, err := New(tt.dir, discardLogs)(context.Background(), events.APIGatewayV2CustomAuthorizerV2Request{
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

var discardLogs = slog.New(slog.DiscardHandler)

// switchableDirectory is a key store that an outage can take down.
type switchableDirectory struct {
	keyDirectory
	outage bool
}

func (d *switchableDirectory) APIKey(ctx context.Context, h tenancy.KeyHash) (tenancy.APIKey, error) {
	if d.outage {
		return tenancy.APIKey{}, fmt.Errorf("dynamodb: get APIKEY: %w: connection refused", store.ErrUnavailable)
	}
	return d.keyDirectory.APIKey(ctx, h)
}

// TestAuthorizerRidesOutAStoreOutage: during an outage of the key store, a
// key the container verified within the last five minutes still passes, even
// when API Gateway asks only once its own minute-long cache ran out; a key it
// never verified, one verified too long ago, and one found disabled do not.
func TestAuthorizerRidesOutAStoreOutage(t *testing.T) {
	tenant := tenancy.Tenant{ID: "acme", Locations: []tenancy.Location{{ID: "amsterdam"}}}
	till, tillKey, err := tenancy.IssueAPIKey(tenant, "till", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	other, otherKey, err := tenancy.IssueAPIKey(tenant, "other till", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := &switchableDirectory{keyDirectory: keyDirectory{tenant: tenant, keys: map[tenancy.KeyHash]tenancy.APIKey{tillKey.Hash: tillKey, otherKey.Hash: otherKey}}}
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := start
	authorize := newAt(dir, discardLogs, func() time.Time { return clock })
	steps := []struct {
		name    string
		at      time.Duration
		outage  bool
		disable bool
		key     string
		allowed bool
		fails   bool
	}{
		{"verified while the store is up", 0, false, false, till, true, false},
		{"the same key during an outage", 30 * time.Second, true, false, till, true, false},
		{"a key never verified here, during the outage", 31 * time.Second, true, false, other, false, true},
		{"the same key once API Gateway's cache ran out", 61 * time.Second, true, false, till, true, false},
		{"the same key five minutes after its verification", 5 * time.Minute, true, false, till, false, true},
		{"verified again once the store is back", 5*time.Minute + time.Second, false, false, till, true, false},
		{"found disabled", 5*time.Minute + 2*time.Second, false, true, till, false, false},
		{"the disabled key during an outage", 5*time.Minute + 3*time.Second, true, false, till, false, true},
	}
	for _, step := range steps {
		clock, dir.outage = start.Add(step.at), step.outage
		if step.disable {
			tillKey.Disabled = true
			dir.keys[tillKey.Hash] = tillKey
		}
		resp, err := authorize(context.Background(), events.APIGatewayV2CustomAuthorizerV2Request{
			Headers: map[string]string{"authorization": "Bearer " + step.key},
		})
		if (err != nil) != step.fails || resp.IsAuthorized != step.allowed {
			t.Fatalf("%s: authorized %v, err %v", step.name, resp.IsAuthorized, err)
		}
		if step.allowed && resp.Context[authTenant] != "acme" {
			t.Fatalf("%s: context %v", step.name, resp.Context)
		}
	}
}
