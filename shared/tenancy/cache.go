package tenancy

import (
	"context"
	"sync"
	"time"
)

// TenantCacheTTL bounds how long a function's container answers from a
// tenant it read: a change of a tenant's settings or locations reaches
// every request within it, and the hot path reads no tenant from the table
// in between.
const TenantCacheTTL = 30 * time.Second

// CachedDirectory is a Directory that keeps the tenants it read for a
// bounded time. Keys are not cached here: a disabled key must stop at the
// authorizer, which bounds its own cache.
type CachedDirectory struct {
	Directory
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	tenants map[TenantID]cachedTenant
}

type cachedTenant struct {
	tenant Tenant
	until  time.Time
}

var _ Directory = (*CachedDirectory)(nil)

// CacheTenants wraps dir so that a tenant read is answered again for ttl.
func CacheTenants(dir Directory, ttl time.Duration, now func() time.Time) *CachedDirectory {
	return &CachedDirectory{Directory: dir, ttl: ttl, now: now, tenants: map[TenantID]cachedTenant{}}
}

// Tenant answers from the cache while the entry is fresh; a failed read is
// not kept.
func (d *CachedDirectory) Tenant(ctx context.Context, id TenantID) (Tenant, error) {
	d.mu.Lock()
	cached, ok := d.tenants[id]
	d.mu.Unlock()
	if ok && d.now().Before(cached.until) {
		return cached.tenant, nil
	}
	t, err := d.Directory.Tenant(ctx, id)
	if err != nil {
		return Tenant{}, err
	}
	d.mu.Lock()
	d.tenants[id] = cachedTenant{tenant: t, until: d.now().Add(d.ttl)}
	d.mu.Unlock()
	return t, nil
}

// CreateTenant drops what this container knew of the tenant, so its own
// writes are read back at once; UpdateTenant too.
func (d *CachedDirectory) CreateTenant(ctx context.Context, t Tenant) error {
	d.forget(t.ID)
	return d.Directory.CreateTenant(ctx, t)
}

// UpdateTenant forgets the tenant before and after the write, so a read
// racing with it cannot keep the old settings.
func (d *CachedDirectory) UpdateTenant(ctx context.Context, t Tenant) error {
	d.forget(t.ID)
	err := d.Directory.UpdateTenant(ctx, t)
	d.forget(t.ID)
	return err
}

func (d *CachedDirectory) forget(id TenantID) {
	d.mu.Lock()
	delete(d.tenants, id)
	d.mu.Unlock()
}
