package tenancy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/tenancy"
)

// countingDirectory holds one tenant and counts the reads that reach it.
type countingDirectory struct {
	tenancy.Directory
	tenant tenancy.Tenant
	reads  int
	fail   error
}

func (d *countingDirectory) Tenant(_ context.Context, id tenancy.TenantID) (tenancy.Tenant, error) {
	d.reads++
	if d.fail != nil {
		return tenancy.Tenant{}, d.fail
	}
	if id != d.tenant.ID {
		return tenancy.Tenant{}, tenancy.ErrTenantNotFound
	}
	return d.tenant, nil
}

func (d *countingDirectory) UpdateTenant(_ context.Context, t tenancy.Tenant) error {
	d.tenant = t
	return nil
}

// TestCachedDirectoryBoundsStaleness: within the bound a tenant is read
// once; after it, or after this container's own update, it is read again;
// failures and unknown tenants are never kept.
func TestCachedDirectoryBoundsStaleness(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	for _, tc := range []struct {
		name      string
		steps     func(t *testing.T, d *tenancy.CachedDirectory, under *countingDirectory)
		wantReads int
	}{
		{"reads within the bound are answered from the cache", func(t *testing.T, d *tenancy.CachedDirectory, _ *countingDirectory) {
			for range 3 {
				read(t, d, "Acme")
				now = now.Add(tenancy.TenantCacheTTL / 4)
			}
		}, 1},
		{"a read after the bound reads the table again", func(t *testing.T, d *tenancy.CachedDirectory, under *countingDirectory) {
			read(t, d, "Acme")
			under.tenant.Name = "Acme Coffee"
			now = now.Add(tenancy.TenantCacheTTL)
			read(t, d, "Acme Coffee")
		}, 2},
		{"the container's own update is read back at once", func(t *testing.T, d *tenancy.CachedDirectory, under *countingDirectory) {
			read(t, d, "Acme")
			changed := under.tenant
			changed.Name = "Acme Coffee"
			if err := d.UpdateTenant(ctx, changed); err != nil {
				t.Fatal(err)
			}
			read(t, d, "Acme Coffee")
		}, 2},
		{"a failed read is not kept", func(t *testing.T, d *tenancy.CachedDirectory, under *countingDirectory) {
			under.fail = errors.New("table unavailable")
			if _, err := d.Tenant(ctx, "acme"); err == nil {
				t.Fatal("the failure was not answered")
			}
			under.fail = nil
			read(t, d, "Acme")
		}, 2},
		{"an unknown tenant is not kept", func(t *testing.T, d *tenancy.CachedDirectory, _ *countingDirectory) {
			for range 2 {
				if _, err := d.Tenant(ctx, "globex"); !errors.Is(err, tenancy.ErrTenantNotFound) {
					t.Fatalf("an unknown tenant: %v", err)
				}
			}
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			under := &countingDirectory{tenant: tenancy.Tenant{ID: "acme", Name: "Acme"}}
			tc.steps(t, tenancy.CacheTenants(under, tenancy.TenantCacheTTL, clock), under)
			if under.reads != tc.wantReads {
				t.Errorf("%d reads reached the table, want %d", under.reads, tc.wantReads)
			}
		})
	}
}

func read(t *testing.T, d *tenancy.CachedDirectory, wantName string) {
	t.Helper()
	got, err := d.Tenant(context.Background(), "acme")
	if err != nil || got.Name != wantName {
		t.Fatalf("read %q, %v; want %q", got.Name, err, wantName)
	}
}
