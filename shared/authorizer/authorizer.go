// Package authorizer is the HTTP API's Lambda authorizer: it resolves the
// bearer API key to its tenant, locations and scopes before any function
// runs, and hands them on in the request context, which PrincipalFrom reads
// back. It is its own package so the authorizer's binary links no more than
// the key store: no Leat client, no saga, no request validation.
package authorizer

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/leatpos/gateway/shared/store"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Request context keys. HTTP API Lambda authorizers pass a flat map of
// strings on to the function, so lists travel space-separated.
const (
	authAuthenticated = "authenticated"
	authTenant        = "tenant"
	authKeyName       = "key_name"
	authScopes        = "scopes"
	authLocations     = "locations"
)

// Func is the HTTP API's Lambda authorizer.
type Func func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)

// New answers the authorizer that resolves the bearer key to a principal.
// An unknown or disabled key is denied here, so it never reaches a business
// function; API Gateway then answers 403 with its own body,
// {"message": "Forbidden"}, which HTTP APIs do not let the gateway shape.
//
// When the key store is unavailable, a key this container verified within
// staleFor is let through on that verification; any other failure to look
// the key up is returned, and API Gateway answers 500.
func New(dir tenancy.Directory, log *slog.Logger) Func {
	return newAt(dir, log, time.Now)
}

// staleFor bounds how old a verification may be when it stands in for one
// the key store cannot give. API Gateway asks again only once its own cached
// answer is a minute old (the template's ReauthorizeEvery), so the stand-in
// must outlive that minute by the outage it rides out: five minutes in all.
// A disabled key still stops within the minute while the store is up, since
// the stand-in serves only when the store cannot answer.
const staleFor = 5 * time.Minute

func newAt(dir tenancy.Directory, log *slog.Logger, now func() time.Time) Func {
	verified := &verifications{byKey: map[[sha256.Size]byte]verification{}}
	return func(ctx context.Context, req events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
		// HTTP APIs lower-case the names of the headers they pass on.
		authorization := req.Headers["authorization"]
		p, err := tenancy.Authenticate(ctx, dir, authorization)
		switch {
		case err == nil:
			verified.remember(authorization, p, now())
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: principalContext(p)}, nil
		case isAuthFailure(err):
			verified.forget(authorization)
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: false}, nil
		case errors.Is(err, store.ErrUnavailable):
			if p, ok := verified.recent(authorization, now()); ok {
				log.Warn("key store unavailable; the key's last verification stands in", "tenant", string(p.Tenant), "error", err.Error())
				return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: principalContext(p)}, nil
			}
		}
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
	}
}

// verifications are a container's recent successful key verifications, by
// a hash of the Authorization header so no key is kept in memory.
type verifications struct {
	mu    sync.Mutex
	byKey map[[sha256.Size]byte]verification
}

type verification struct {
	principal tenancy.Principal
	at        time.Time
}

// maxVerifications bounds the memory a container spends on them.
const maxVerifications = 4096

func (v *verifications) remember(authorization string, p tenancy.Principal, at time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.byKey) >= maxVerifications {
		for k, old := range v.byKey {
			if at.Sub(old.at) >= staleFor {
				delete(v.byKey, k)
			}
		}
		if len(v.byKey) >= maxVerifications {
			clear(v.byKey)
		}
	}
	v.byKey[sha256.Sum256([]byte(authorization))] = verification{principal: p, at: at}
}

func (v *verifications) forget(authorization string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.byKey, sha256.Sum256([]byte(authorization)))
}

func (v *verifications) recent(authorization string, now time.Time) (tenancy.Principal, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	last, ok := v.byKey[sha256.Sum256([]byte(authorization))]
	if !ok || now.Sub(last.at) >= staleFor {
		return tenancy.Principal{}, false
	}
	return last.principal, true
}

func isAuthFailure(err error) bool {
	return errors.Is(err, tenancy.ErrUnknownKey) || errors.Is(err, tenancy.ErrKeyDisabled) || errors.Is(err, tenancy.ErrTenantNotFound)
}

func principalContext(p tenancy.Principal) map[string]any {
	scopes := make([]string, 0, len(p.Scopes))
	for _, s := range p.Scopes {
		scopes = append(scopes, string(s))
	}
	locations := make([]string, 0, len(p.Locations))
	for _, l := range p.Locations {
		locations = append(locations, string(l))
	}
	return map[string]any{
		authAuthenticated: true,
		authTenant:        string(p.Tenant),
		authKeyName:       p.KeyName,
		authScopes:        strings.Join(scopes, " "),
		authLocations:     strings.Join(locations, " "),
	}
}

// PrincipalFrom reads the principal the authorizer put in the request
// context. Anything short of an authenticated principal is ErrUnknownKey.
func PrincipalFrom(rc events.APIGatewayV2HTTPRequestContext) (tenancy.Principal, error) {
	if rc.Authorizer == nil || rc.Authorizer.Lambda == nil {
		return tenancy.Principal{}, tenancy.ErrUnknownKey
	}
	ctx := rc.Authorizer.Lambda
	if ok, _ := ctx[authAuthenticated].(bool); !ok {
		return tenancy.Principal{}, tenancy.ErrUnknownKey
	}
	tenant, _ := ctx[authTenant].(string)
	if tenant == "" {
		return tenancy.Principal{}, tenancy.ErrUnknownKey
	}
	p := tenancy.Principal{Tenant: tenancy.TenantID(tenant)}
	p.KeyName, _ = ctx[authKeyName].(string)
	scopes, _ := ctx[authScopes].(string)
	for _, s := range strings.Fields(scopes) {
		p.Scopes = append(p.Scopes, tenancy.Scope(s))
	}
	locations, _ := ctx[authLocations].(string)
	for _, l := range strings.Fields(locations) {
		p.Locations = append(p.Locations, tenancy.LocationID(l))
	}
	return p, nil
}
