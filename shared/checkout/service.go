package checkout

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Service runs checkouts: the API's commands and the saga's steps.
type Service struct {
	directory  tenancy.Directory
	platforms  Platforms
	ledger     ledger.Store
	executions Executions
	events     Events
	// vouchers, when set, remembers which voucher each code named, so a
	// voucher scanned before is checked in one round trip.
	vouchers loyalty.Memory
	now      func() time.Time
	// AnswerWithin bounds how long a command waits for the saga before the
	// POS is answered 202 with the checkout's location.
	AnswerWithin time.Duration
	// PollEvery is how often the ledger is read while waiting. The POS is
	// answered at most this long after the saga got there, at the price of
	// one consistent read of the checkout each time; a wait that outlasts
	// the usual few hundred milliseconds is rare, so the interval stays
	// short throughout rather than growing.
	PollEvery time.Duration
	// Lease is how long a step's intent keeps others from reconciling it:
	// longer than one Leat call with its retries.
	Lease time.Duration
}

// NewService builds the service. executions may be nil in functions that
// never start or resume a saga, events in those that never close one.
func NewService(directory tenancy.Directory, platforms Platforms, store ledger.Store, executions Executions, events Events, now func() time.Time) *Service {
	return &Service{
		directory: directory, platforms: platforms, ledger: store, executions: executions, events: events, now: now,
		AnswerWithin: 5 * time.Second, PollEvery: 15 * time.Millisecond, Lease: 30 * time.Second,
	}
}

// WithVoucherMemory lets a checkout check a voucher scanned before in one
// round trip.
func (s *Service) WithVoucherMemory(m loyalty.Memory) *Service {
	s.vouchers = m
	return s
}

// account is what one request acts on: the tenant, the location, and the
// tenant's Leat account.
type account struct {
	tenant   tenancy.Tenant
	location tenancy.Location
	platform Platform
}

func (s *Service) account(ctx context.Context, p tenancy.Principal, requested tenancy.LocationID) (account, error) {
	t, location, err := tenancy.Locate(ctx, s.directory, p, requested)
	if err != nil {
		return account{}, err
	}
	platform, err := s.platforms.For(ctx, t)
	if err != nil {
		return account{}, err
	}
	return account{tenant: t, location: location, platform: platform}, nil
}

// order resolves the account and the checkout id of a POS order at the
// caller's location.
func (s *Service) order(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, orderID string) (account, ledger.CheckoutID, error) {
	acc, err := s.account(ctx, p, location)
	if err != nil {
		return account{}, "", err
	}
	id, err := ledger.NewCheckoutID(acc.location.ID, orderID)
	if err != nil {
		return account{}, "", &InvalidError{Field: "order_id", Code: "format", Message: err.Error()}
	}
	return acc, id, nil
}

// tenantAccount is the account a saga step acts on: the checkout's own
// tenant and location, whoever asks.
func (s *Service) tenantAccount(ctx context.Context, c ledger.Checkout) (account, error) {
	t, err := s.directory.Tenant(ctx, c.Tenant)
	if err != nil {
		return account{}, err
	}
	location, ok := t.Location(c.Location)
	if !ok {
		return account{}, tenancy.ErrLocationMissing
	}
	platform, err := s.platforms.For(ctx, t)
	if err != nil {
		return account{}, err
	}
	return account{tenant: t, location: location, platform: platform}, nil
}

// load reads a checkout with its steps, as a saga step sees it: a store
// failure is worth a retry.
func (s *Service) load(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID) (ledger.Checkout, []ledger.Step, error) {
	c, steps, err := s.ledger.Checkout(ctx, tenant, id)
	if err != nil && !errors.Is(err, ledger.ErrCheckoutNotFound) {
		return c, nil, &StoreUnavailableError{Err: err}
	}
	return c, steps, err
}

// View is a checkout with its steps, as the API shows it.
type View struct {
	Checkout ledger.Checkout
	Steps    []ledger.Step
	// Settled: the saga has reached the point the command waited for.
	Settled bool
	// ClaimURL lets an anonymous customer claim a completed order's points
	// later (a receipt QR); empty when the tenant has no portal.
	ClaimURL string
}

// Get reads a checkout of the caller's location.
func (s *Service) Get(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, id ledger.CheckoutID) (View, error) {
	c, steps, err := s.owned(ctx, p, location, id)
	if err != nil {
		return View{}, err
	}
	return View{Checkout: c, Steps: steps, Settled: !stillMoving(c.Status)}, nil
}

// owned loads a checkout the principal may see: its tenant's, at a location
// the key serves.
func (s *Service) owned(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, id ledger.CheckoutID) (ledger.Checkout, []ledger.Step, error) {
	if location == "" {
		location = id.Location()
	}
	if id.Location() != location {
		return ledger.Checkout{}, nil, ledger.ErrCheckoutNotFound
	}
	if _, err := p.Location(location); err != nil {
		return ledger.Checkout{}, nil, err
	}
	return s.ledger.Checkout(ctx, p.Tenant, id)
}

// stillMoving reports the statuses the saga leaves by itself.
func stillMoving(st ledger.CheckoutStatus) bool {
	return st == ledger.CheckoutReserving || st == ledger.CheckoutConfirming || st == ledger.CheckoutCompensating
}

// waitUntil polls the ledger until done says the checkout got where the
// command waits for, or AnswerWithin passes; Settled tells which.
func (s *Service) waitUntil(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID, done func(ledger.CheckoutStatus) bool) (View, error) {
	deadline := s.now().Add(s.AnswerWithin)
	for {
		c, steps, err := s.ledger.Checkout(ctx, tenant, id)
		if err != nil {
			return View{}, err
		}
		if done(c.Status) {
			return View{Checkout: c, Steps: steps, Settled: true}, nil
		}
		if !s.now().Add(s.PollEvery).Before(deadline) {
			return View{Checkout: c, Steps: steps}, nil
		}
		if err := sleep(ctx, s.PollEvery); err != nil {
			return View{}, err
		}
	}
}

// ExecutionName names the checkout's saga so it reads well in the Step
// Functions console and a second start finds the first: tenant, location
// and POS order id, within the 80 characters AWS allows.
func ExecutionName(tenant tenancy.TenantID, id ledger.CheckoutID) string {
	name := string(tenant) + "-" + string(id.Location()) + "-" + strings.TrimPrefix(string(id), string(id.Location())+".")
	return boundedName(safeExecutionName(name), string(tenant)+"/"+string(id))
}

// safeExecutionName replaces each run of characters Step Functions does not
// allow in an execution's name (anything but letters, digits, '_' and '-')
// by one '_'.
func safeExecutionName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	unsafe := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' {
			b.WriteByte(c)
			unsafe = false
		} else if !unsafe {
			b.WriteByte('_')
			unsafe = true
		}
	}
	return b.String()
}

// boundedName cuts a name to the 80 characters AWS allows, ending a cut one
// with a hash of key so that names stay unique.
func boundedName(name, key string) string {
	if len(name) <= 80 {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return fmt.Sprintf("%s-%08x", name[:71], h.Sum32())
}

func logger(ctx context.Context, c ledger.Checkout) context.Context {
	return logging.With(ctx, logging.Tenant, string(c.Tenant), logging.OrderID, c.POSOrderID, "checkout_id", string(c.ID))
}
