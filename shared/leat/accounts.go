package leat

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Account is how to reach one Leat account.
type Account struct {
	BaseURL     string
	Credentials Credentials
	// AccountSecret signs loyalty token URLs (receipt QR codes); it is a
	// secret like the credentials and is never logged.
	AccountSecret string
}

// AccountResolver turns a tenant's credentials reference into an Account.
type AccountResolver interface {
	Account(ctx context.Context, ref string) (Account, error)
}

// SchemeResolver dispatches a reference "scheme:rest" to the resolver of its
// scheme, e.g. "env:LEAT" or "secretsmanager:leat/acme".
type SchemeResolver map[string]AccountResolver

// Account resolves ref with the resolver registered for its scheme.
func (s SchemeResolver) Account(ctx context.Context, ref string) (Account, error) {
	scheme, rest, ok := strings.Cut(ref, ":")
	r, known := s[scheme]
	if !ok || !known || rest == "" {
		return Account{}, fmt.Errorf("%w: credentials reference %q has no known scheme", loyalty.ErrPlatformCredentials, ref)
	}
	return r.Account(ctx, rest)
}

// EnvAccounts reads an account from environment variables named with a
// prefix: PREFIX_API_URL, and PREFIX_API_TOKEN (a Personal Access Token) or
// PREFIX_CLIENT_ID and PREFIX_CLIENT_SECRET (OAuth client credentials), and
// optionally PREFIX_ACCOUNT_SECRET.
// For local runs; deployed tenants keep their credentials in Secrets Manager.
type EnvAccounts func(name string) string

// Account resolves the prefix.
func (getenv EnvAccounts) Account(_ context.Context, prefix string) (Account, error) {
	acc := Account{BaseURL: getenv(prefix + "_API_URL"), AccountSecret: getenv(prefix + "_ACCOUNT_SECRET")}
	switch token, id, secret := getenv(prefix+"_API_TOKEN"), getenv(prefix+"_CLIENT_ID"), getenv(prefix+"_CLIENT_SECRET"); {
	case token != "":
		acc.Credentials = PersonalAccessToken(token)
	case id != "" && secret != "":
		acc.Credentials = ClientCredentials(id, secret)
	default:
		return Account{}, fmt.Errorf("%w: set %s_API_TOKEN, or %s_CLIENT_ID and %s_CLIENT_SECRET",
			loyalty.ErrPlatformCredentials, prefix, prefix, prefix)
	}
	return acc, nil
}

var _ loyalty.Platforms = (*Platforms)(nil)

// Platforms keeps one client per tenant for the life of a Lambda container,
// so OAuth tokens and connections are reused across invocations.
type Platforms struct {
	resolver AccountResolver
	// refresh bounds how long resolved credentials are trusted, so a rotated
	// secret is picked up without a redeploy.
	refresh time.Duration
	now     func() time.Time
	tune    func(*Config)

	mu      sync.Mutex
	clients map[tenancy.TenantID]cachedPlatform
}

type cachedPlatform struct {
	ref      string
	platform *Platform
	until    time.Time
}

// NewPlatforms builds tenants' platforms from their credentials references.
// tune, when not nil, adjusts each client's Config (timeouts, HTTP client).
func NewPlatforms(resolver AccountResolver, tune func(*Config)) *Platforms {
	return &Platforms{
		resolver: resolver, refresh: 5 * time.Minute, now: time.Now, tune: tune,
		clients: map[tenancy.TenantID]cachedPlatform{},
	}
}

// For returns the tenant's Leat account.
func (p *Platforms) For(ctx context.Context, t tenancy.Tenant) (loyalty.Platform, error) {
	platform, err := p.platform(ctx, t)
	if err != nil {
		return nil, err
	}
	return platform, nil
}

func (p *Platforms) platform(ctx context.Context, t tenancy.Tenant) (*Platform, error) {
	p.mu.Lock()
	cached, ok := p.clients[t.ID]
	p.mu.Unlock()
	if ok && cached.ref == t.LeatCredentials && p.now().Before(cached.until) {
		return cached.platform, nil
	}
	acc, err := p.resolver.Account(ctx, t.LeatCredentials)
	if err != nil {
		return nil, err
	}
	cfg := Config{BaseURL: acc.BaseURL, Credentials: acc.Credentials}
	if p.tune != nil {
		p.tune(&cfg)
	}
	client, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: tenant %s: %v", loyalty.ErrPlatformCredentials, t.ID, err)
	}
	platform := NewPlatform(client, t.Currency, acc.AccountSecret)
	p.mu.Lock()
	p.clients[t.ID] = cachedPlatform{ref: t.LeatCredentials, platform: platform, until: p.now().Add(p.refresh)}
	p.mu.Unlock()
	return platform, nil
}
