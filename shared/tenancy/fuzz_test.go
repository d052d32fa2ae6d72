package tenancy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/leatpos/gateway/shared/tenancy"
)

// noKeys is a directory that knows no key.
type noKeys struct{ tenancy.Directory }

func (noKeys) APIKey(context.Context, tenancy.KeyHash) (tenancy.APIKey, error) {
	return tenancy.APIKey{}, tenancy.ErrUnknownKey
}

// FuzzAuthorizationHeader reads any Authorization header: it is an unknown
// key, never a panic, another error or a principal.
func FuzzAuthorizationHeader(f *testing.F) {
	for _, seed := range []string{"Bearer lpg_abc", "bearer  lpg_x ", "Basic dXNlcjpwYXNz", "Bearer", "", "Bearer lpg_\x00\xff", "lpg_abc"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		p, err := tenancy.Authenticate(context.Background(), noKeys{}, header)
		if !errors.Is(err, tenancy.ErrUnknownKey) || p.Tenant != "" {
			t.Fatalf("%q: %+v, %v", header, p, err)
		}
	})
}

// FuzzLocationAndTenantIDs parses any id: valid or refused, never a panic,
// and a valid one reads back the same.
func FuzzLocationAndTenantIDs(f *testing.F) {
	for _, seed := range []string{"shop-1", "acme", "", "A", "a-", "x/y", "ab\u00e9"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if id, err := tenancy.ParseLocationID(raw); err == nil && string(id) != raw {
			t.Fatalf("location %q read as %q", raw, id)
		}
		if id, err := tenancy.ParseTenantID(raw); err == nil && string(id) != raw {
			t.Fatalf("tenant %q read as %q", raw, id)
		}
	})
}
