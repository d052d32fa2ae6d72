// Package tenancy is who may call the gateway: tenants (one Leat account each),
// their locations (tills mapped to Leat shops), and the API keys that resolve
// to a Principal. Tenant and location always come from the key, never from a
// request body.
package tenancy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/money"
)

// Errors of the tenancy domain.
var (
	ErrUnknownKey       = errors.New("tenancy: unknown API key")
	ErrKeyDisabled      = errors.New("tenancy: API key disabled")
	ErrTenantNotFound   = errors.New("tenancy: tenant not found")
	ErrTenantExists     = errors.New("tenancy: tenant already exists")
	ErrScopeMissing     = errors.New("tenancy: the API key lacks the scope")
	ErrLocationMissing  = errors.New("tenancy: the API key is not bound to that location")
	ErrLocationRequired = errors.New("tenancy: the API key serves several locations; name one")
	ErrInvalid          = errors.New("tenancy: invalid")
)

// Scope is what a key may do.
type Scope string

// The scopes: POS tills, franchise back offices, and operators.
const (
	ScopePOS     Scope = "pos"
	ScopeBackend Scope = "backend"
	ScopeOps     Scope = "ops"
)

// ParseScope validates a scope name.
func ParseScope(s string) (Scope, error) {
	switch sc := Scope(s); sc {
	case ScopePOS, ScopeBackend, ScopeOps:
		return sc, nil
	}
	return "", fmt.Errorf("%w: scope %q", ErrInvalid, s)
}

// TenantID names a tenant in keys and logs.
type TenantID string

// LocationID names a location within a tenant.
type LocationID string

// isSlug reports whether s is a lower-case slug: a letter or digit, then 1
// to 62 letters, digits or hyphens. It is checked by hand rather than by a
// regular expression, which every function would compile at its cold start.
func isSlug(s string) bool {
	if len(s) < 2 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' && i > 0) {
			return false
		}
	}
	return true
}

// ParseTenantID validates a tenant id (lower-case slug).
func ParseTenantID(s string) (TenantID, error) {
	if !isSlug(s) {
		return "", fmt.Errorf("%w: tenant id %q must be a lower-case slug", ErrInvalid, s)
	}
	return TenantID(s), nil
}

// ParseLocationID validates a location id (lower-case slug).
func ParseLocationID(s string) (LocationID, error) {
	if !isSlug(s) {
		return "", fmt.Errorf("%w: location id %q must be a lower-case slug", ErrInvalid, s)
	}
	return LocationID(s), nil
}

// RewardStrategy is how a reward is redeemed around payment (see the POS guide).
type RewardStrategy string

// VoucherStrategy is how a voucher is redeemed around payment.
type VoucherStrategy string

// The redeem strategies a tenant can default to.
const (
	RewardRedeemReverse    RewardStrategy  = "redeem_reverse"
	RewardPreRedeemCollect RewardStrategy  = "pre_redeem_collect"
	VoucherLockRedeem      VoucherStrategy = "lock_redeem"
	VoucherRedeemReverse   VoucherStrategy = "redeem_reverse"
)

// Location is a till or store, mapped to the Leat shop its transactions belong to.
type Location struct {
	ID       LocationID
	Name     string
	ShopUUID string
}

// Tenant is one merchant with one Leat account.
type Tenant struct {
	ID   TenantID
	Name string
	// LeatCredentials references where the Leat token lives (a secret name),
	// never the token itself.
	LeatCredentials string
	Currency        money.Currency
	// AttributePrefix is the prefix of the custom attributes that carry
	// discount instructions on rewards and promotions (e.g. "pos_").
	AttributePrefix string
	RewardStrategy  RewardStrategy
	VoucherStrategy VoucherStrategy
	Locations       []Location
	// DefaultLocation, when set, serves keys bound to several locations that
	// name none (a back office acting for the head office's shop).
	DefaultLocation LocationID
	// PaymentTimeout is how long a checkout waits for the POS's payment
	// before it gives everything back; zero means DefaultPaymentTimeout.
	PaymentTimeout time.Duration
	// PortalURL is the base of the tenant's Leat contacts portal, where
	// receipt QR codes (loyalty token URLs) lead; empty when not set up.
	PortalURL string
	// LeatTendersPaySales lets giftcard and prepaid tenders pay for giftcard
	// sales and prepaid top-ups. Off by default: paying Leat money with Leat
	// money moves balances between cards without a cent changing hands.
	LeatTendersPaySales bool
}

// Payment deadlines. Leat releases a voucher lock an hour after it was
// taken, so a checkout holding one never waits longer than LockedPaymentTimeout.
const (
	DefaultPaymentTimeout = 15 * time.Minute
	MinPaymentTimeout     = 5 * time.Second
	MaxPaymentTimeout     = 24 * time.Hour
	LockedPaymentTimeout  = 50 * time.Minute
)

// PaymentWindow is how long a checkout waits for payment; holdsVoucherLock
// caps it below Leat's automatic release of the lock.
func (t Tenant) PaymentWindow(holdsVoucherLock bool) time.Duration {
	window := cmp.Or(t.PaymentTimeout, DefaultPaymentTimeout)
	if holdsVoucherLock {
		window = min(window, LockedPaymentTimeout)
	}
	return window
}

// Validate checks a tenant before it is stored.
func (t Tenant) Validate() error {
	var problems []string
	if _, err := ParseTenantID(string(t.ID)); err != nil {
		problems = append(problems, err.Error())
	}
	if strings.TrimSpace(t.LeatCredentials) == "" {
		problems = append(problems, "a Leat credentials reference is required")
	}
	if _, err := money.ParseCurrency(string(t.Currency)); err != nil {
		problems = append(problems, err.Error())
	}
	switch t.RewardStrategy {
	case RewardRedeemReverse, RewardPreRedeemCollect:
	default:
		problems = append(problems, fmt.Sprintf("unknown reward strategy %q", t.RewardStrategy))
	}
	switch t.VoucherStrategy {
	case VoucherLockRedeem, VoucherRedeemReverse:
	default:
		problems = append(problems, fmt.Sprintf("unknown voucher strategy %q", t.VoucherStrategy))
	}
	if len(t.Locations) == 0 {
		problems = append(problems, "at least one location is required")
	}
	seen := map[LocationID]bool{}
	for _, l := range t.Locations {
		if _, err := ParseLocationID(string(l.ID)); err != nil {
			problems = append(problems, err.Error())
		}
		if seen[l.ID] {
			problems = append(problems, fmt.Sprintf("location %q listed twice", l.ID))
		}
		seen[l.ID] = true
		if strings.TrimSpace(l.ShopUUID) == "" {
			problems = append(problems, fmt.Sprintf("location %q needs a Leat shop uuid", l.ID))
		}
	}
	if t.PaymentTimeout != 0 && (t.PaymentTimeout < MinPaymentTimeout || t.PaymentTimeout > MaxPaymentTimeout) {
		problems = append(problems, fmt.Sprintf("payment timeout %s must be between %s and %s", t.PaymentTimeout, MinPaymentTimeout, MaxPaymentTimeout))
	}
	if u, err := url.Parse(t.PortalURL); t.PortalURL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		problems = append(problems, fmt.Sprintf("portal URL %q must be an http(s) URL", t.PortalURL))
	}
	if _, ok := t.Location(t.DefaultLocation); t.DefaultLocation != "" && !ok {
		problems = append(problems, fmt.Sprintf("default location %q is not one of the tenant's", t.DefaultLocation))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// Locate loads the caller's tenant and the location a request acts for.
func Locate(ctx context.Context, dir Directory, p Principal, requested LocationID) (Tenant, Location, error) {
	t, err := dir.Tenant(ctx, p.Tenant)
	if err != nil {
		return Tenant{}, Location{}, err
	}
	location, err := t.LocationFor(p, requested)
	return t, location, err
}

// LocationFor resolves the location a request acts for: the one it names, the
// key's only one, or the tenant's default when the key serves several.
func (t Tenant) LocationFor(p Principal, requested LocationID) (Location, error) {
	id, err := p.Location(requested)
	if errors.Is(err, ErrLocationRequired) && t.DefaultLocation != "" && slices.Contains(p.Locations, t.DefaultLocation) {
		id, err = t.DefaultLocation, nil
	}
	if err != nil {
		return Location{}, err
	}
	location, ok := t.Location(id)
	if !ok {
		return Location{}, fmt.Errorf("%w: %q", ErrLocationMissing, id)
	}
	return location, nil
}

// Location finds one of the tenant's locations.
func (t Tenant) Location(id LocationID) (Location, bool) {
	i := slices.IndexFunc(t.Locations, func(l Location) bool { return l.ID == id })
	if i < 0 {
		return Location{}, false
	}
	return t.Locations[i], true
}
