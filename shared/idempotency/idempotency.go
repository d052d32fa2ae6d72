// Package idempotency makes a POST safe to repeat: the first request with an
// Idempotency-Key runs, a repeat gets the stored answer, the same key with a
// different request is refused, and a repeat while the first still runs is
// told to come back later.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/leatpos/gateway/shared/tenancy"
)

// Errors a caller maps to HTTP answers.
var (
	// ErrInvalidKey: the key is empty, too long or not printable ASCII.
	ErrInvalidKey = errors.New("idempotency: invalid key")
	// ErrKeyReused: the key was used before with a different request (HTTP 422).
	ErrKeyReused = errors.New("idempotency: key reused with a different request")
	// ErrLostClaim: the record changed under an in-progress request, which then
	// must not store its answer.
	ErrLostClaim = errors.New("idempotency: claim lost")
)

// InProgressError: a request with this key is still running (HTTP 409).
type InProgressError struct{ RetryAfter time.Duration }

func (e *InProgressError) Error() string {
	return fmt.Sprintf("idempotency: request still in progress, retry after %s", e.RetryAfter)
}

// Key is a client-chosen Idempotency-Key.
type Key string

// ParseKey validates an Idempotency-Key header value.
func ParseKey(s string) (Key, error) {
	if len(s) == 0 || len(s) > 255 {
		return "", fmt.Errorf("%w: must be 1 to 255 characters", ErrInvalidKey)
	}
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return "", fmt.Errorf("%w: only printable ASCII without spaces", ErrInvalidKey)
		}
	}
	return Key(s), nil
}

// Fingerprint identifies a request: a key may only ever replay the same one.
type Fingerprint string

// FingerprintOf hashes what makes two requests the same: method, path, body.
func FingerprintOf(method, path string, body []byte) Fingerprint {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", method, path)
	h.Write(body)
	return Fingerprint(hex.EncodeToString(h.Sum(nil)))
}

// Response is the answer stored for replays.
type Response struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// State of a record.
type State string

// A record is in progress until its answer is stored.
const (
	StateInProgress State = "in_progress"
	StateCompleted  State = "completed"
)

// Record is one key's entry.
type Record struct {
	Tenant      tenancy.TenantID
	Key         Key
	Fingerprint Fingerprint
	State       State
	Response    Response
	// LockedUntil: after it, an in-progress record is taken to belong to a
	// crashed invocation and may be claimed again.
	LockedUntil time.Time
	ExpiresAt   time.Time
}

// Store persists records with conditional writes.
type Store interface {
	// Claim creates r unless a live record exists for its tenant and key; it
	// then returns that record and claimed=false. A record still in progress
	// past its LockedUntil is replaced.
	Claim(ctx context.Context, r Record, now time.Time) (existing Record, claimed bool, err error)
	// Complete stores the answer of a claimed record; ErrLostClaim when the
	// record is no longer the in-progress one with this fingerprint.
	Complete(ctx context.Context, r Record) error
	// Release deletes a claimed, in-progress record so the client can retry.
	Release(ctx context.Context, r Record) error
}

// Guard runs requests at most once per key.
type Guard struct {
	Store Store
	Now   func() time.Time
	// TTL is how long answers are kept for replay.
	TTL time.Duration
	// Lease bounds how long a request may hold its key; it should exceed the
	// function timeout.
	Lease time.Duration
}

// NewGuard keeps answers for a day and leases keys for a minute.
func NewGuard(s Store) *Guard {
	return &Guard{Store: s, Now: time.Now, TTL: 24 * time.Hour, Lease: time.Minute}
}

// Run calls handle once per tenant and key. A final answer (handle returned no
// error) is stored and replayed; an error releases the key so the client may
// retry, and is returned as is. replayed tells whether the answer is a replay.
func (g *Guard) Run(ctx context.Context, tenant tenancy.TenantID, key Key, fp Fingerprint,
	handle func(context.Context) (Response, error)) (resp Response, replayed bool, err error) {
	now := g.Now()
	claim := Record{
		Tenant: tenant, Key: key, Fingerprint: fp, State: StateInProgress,
		LockedUntil: now.Add(g.Lease), ExpiresAt: now.Add(g.TTL),
	}
	existing, claimed, err := g.Store.Claim(ctx, claim, now)
	if err != nil {
		return Response{}, false, err
	}
	if !claimed {
		switch {
		case existing.Fingerprint != fp:
			return Response{}, false, ErrKeyReused
		case existing.State == StateCompleted:
			return existing.Response, true, nil
		default:
			return Response{}, false, &InProgressError{RetryAfter: max(existing.LockedUntil.Sub(now), time.Second)}
		}
	}
	resp, err = handle(ctx)
	if err != nil {
		// A fresh context: the request's may be the reason handle failed.
		if rerr := g.Store.Release(context.WithoutCancel(ctx), claim); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return Response{}, false, err
	}
	claim.State, claim.Response = StateCompleted, resp
	if err := g.Store.Complete(context.WithoutCancel(ctx), claim); err != nil {
		return Response{}, false, err
	}
	return resp, false, nil
}
