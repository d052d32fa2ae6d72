package tenancy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// keyPrefix marks gateway keys so a leaked one is recognisable in secret scanners.
const keyPrefix = "lpg_"

// KeyHash is the SHA-256 of an API key; only the hash is ever stored.
type KeyHash string

// HashKey hashes a raw API key.
func HashKey(raw string) KeyHash {
	sum := sha256.Sum256([]byte(raw))
	return KeyHash(hex.EncodeToString(sum[:]))
}

// APIKey is a stored key: what it may do and for which locations.
type APIKey struct {
	Hash   KeyHash
	Tenant TenantID
	// Name is a human label ("till 3", "back office") shown in logs instead of the key.
	Name   string
	Scopes []Scope
	// Locations the key is bound to; empty means every location of the tenant
	// (back-office and operator keys).
	Locations []LocationID
	Disabled  bool
	CreatedAt time.Time
	// Last4 are the raw key's last four characters, for people to tell keys
	// apart; the key itself is never stored.
	Last4 string
}

// ID names a key for people and tools: the start of its hash, which tells
// nothing of the key.
func (k APIKey) ID() string { return string(k.Hash[:min(12, len(k.Hash))]) }

// IssueAPIKey creates a random key for the tenant. The raw key is returned once
// and must be handed to the client; it cannot be recovered from the store.
func IssueAPIKey(t Tenant, name string, scopes []Scope, locations []LocationID, now time.Time) (raw string, key APIKey, err error) {
	if strings.TrimSpace(name) == "" {
		return "", APIKey{}, fmt.Errorf("%w: a key needs a name", ErrInvalid)
	}
	if len(scopes) == 0 {
		return "", APIKey{}, fmt.Errorf("%w: a key needs at least one scope", ErrInvalid)
	}
	for _, s := range scopes {
		if _, err := ParseScope(string(s)); err != nil {
			return "", APIKey{}, err
		}
	}
	for _, l := range locations {
		if _, ok := t.Location(l); !ok {
			return "", APIKey{}, fmt.Errorf("%w: tenant %s has no location %q", ErrInvalid, t.ID, l)
		}
	}
	secret := make([]byte, 25)
	if _, err := rand.Read(secret); err != nil {
		return "", APIKey{}, err
	}
	raw = keyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret))
	return raw, APIKey{
		Hash: HashKey(raw), Tenant: t.ID, Name: name,
		Scopes: slices.Clone(scopes), Locations: slices.Clone(locations), CreatedAt: now.UTC(), Last4: raw[len(raw)-4:],
	}, nil
}

// Principal is the authenticated caller of one request.
type Principal struct {
	Tenant    TenantID
	KeyName   string
	Scopes    []Scope
	Locations []LocationID
}

// Require fails unless the principal holds the scope.
func (p Principal) Require(s Scope) error {
	if !slices.Contains(p.Scopes, s) {
		return fmt.Errorf("%w: %q", ErrScopeMissing, s)
	}
	return nil
}

// Location picks the location a request acts for: the requested one when the
// key is bound to it, or the key's only location when none is requested.
func (p Principal) Location(requested LocationID) (LocationID, error) {
	if requested == "" {
		if len(p.Locations) == 1 {
			return p.Locations[0], nil
		}
		return "", ErrLocationRequired
	}
	if !slices.Contains(p.Locations, requested) {
		return "", fmt.Errorf("%w: %q", ErrLocationMissing, requested)
	}
	return requested, nil
}

// Directory stores tenants and API keys.
type Directory interface {
	// CreateTenant stores a new tenant; ErrTenantExists when the id is taken.
	CreateTenant(ctx context.Context, t Tenant) error
	// UpdateTenant replaces an existing tenant; ErrTenantNotFound when absent.
	UpdateTenant(ctx context.Context, t Tenant) error
	// Tenant loads a tenant; ErrTenantNotFound when absent.
	Tenant(ctx context.Context, id TenantID) (Tenant, error)
	// SaveAPIKey stores a key by its hash.
	SaveAPIKey(ctx context.Context, k APIKey) error
	// APIKey loads a key by hash; ErrUnknownKey when absent.
	APIKey(ctx context.Context, h KeyHash) (APIKey, error)
	// APIKeys lists a tenant's keys, oldest first.
	APIKeys(ctx context.Context, tenant TenantID) ([]APIKey, error)
}

// Authenticate resolves an Authorization header ("Bearer <key>") to a Principal.
func Authenticate(ctx context.Context, dir Directory, authorization string) (Principal, error) {
	scheme, raw, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	raw = strings.TrimSpace(raw)
	if !ok || !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(raw, keyPrefix) {
		return Principal{}, ErrUnknownKey
	}
	key, err := dir.APIKey(ctx, HashKey(raw))
	if err != nil {
		return Principal{}, err
	}
	if key.Disabled {
		return Principal{}, ErrKeyDisabled
	}
	locations := key.Locations
	if len(locations) == 0 {
		t, err := dir.Tenant(ctx, key.Tenant)
		if err != nil {
			return Principal{}, err
		}
		for _, l := range t.Locations {
			locations = append(locations, l.ID)
		}
	}
	return Principal{Tenant: key.Tenant, KeyName: key.Name, Scopes: key.Scopes, Locations: locations}, nil
}
