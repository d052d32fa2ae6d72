package leat_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

// faultDelay is the latency faults add: long enough to measure, short enough for a quick run.
const faultDelay = 50 * time.Millisecond

// sandboxRetryAfter is the Retry-After of the sandbox's 429s: the header counts whole seconds,
// so one second is the shortest there is.
const sandboxRetryAfter = time.Second

// faultCall is the request a fault case sends: a read, or a write that moves giftcard money.
type faultCall int

const (
	readCall faultCall = iota
	writeCall
)

// faultSpend is what the write of a fault case takes off the card.
const faultSpend = 100

// TestContractFaults checks that each way a call to Leat can fail reaches the caller as the
// right typed error, that the client retries exactly what Leat cannot have applied, and, for
// writes, how often Leat did apply the call.
func TestContractFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault leatsandbox.Fault // Method and Path are set from call
		call  faultCall
		// configure changes the client; ctxTimeout, when set, bounds the call's context.
		configure  func(*leat.Config)
		ctxTimeout time.Duration
		// want lists the sentinels the error must match; empty means success. The error must
		// match ErrOutcomeUnknown exactly when want lists it.
		want       []error
		attempts   int           // of a failed call
		retryAfter time.Duration // of a failed call
		minElapsed time.Duration
		applied    int // writes: how often the sandbox applied the call
	}{
		{name: "latency", call: readCall,
			fault:      leatsandbox.Fault{Kind: leatsandbox.FaultLatency, Delay: faultDelay},
			minElapsed: faultDelay},
		{name: "latency beyond the attempt timeout", call: readCall,
			fault:     leatsandbox.Fault{Kind: leatsandbox.FaultLatency, Delay: faultDelay},
			configure: func(cfg *leat.Config) { cfg.AttemptTimeout = faultDelay / 5 },
			want:      []error{leat.ErrTransient, leat.ErrTimeout}, attempts: 3},
		{name: "rate limited read, retried after Retry-After", call: readCall,
			fault:      leatsandbox.Fault{Kind: leatsandbox.FaultRateLimit, Times: 1},
			configure:  waitUpTo(2 * sandboxRetryAfter),
			minElapsed: sandboxRetryAfter},
		{name: "rate limited write, retried because Leat refused it", call: writeCall,
			fault:      leatsandbox.Fault{Kind: leatsandbox.FaultRateLimit, Times: 1},
			configure:  waitUpTo(2 * sandboxRetryAfter),
			minElapsed: sandboxRetryAfter, applied: 1},
		{name: "rate limited beyond the attempts", call: readCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultRateLimit, Times: 3},
			configure: func(cfg *leat.Config) {
				waitUpTo(2 * sandboxRetryAfter)(cfg)
				cfg.Retry.MaxAttempts = 2
			},
			want: []error{leat.ErrTransient, leat.ErrRateLimited}, attempts: 2, retryAfter: sandboxRetryAfter, minElapsed: sandboxRetryAfter},
		{name: "rate limited longer than the client waits", call: writeCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultRateLimit},
			want:  []error{leat.ErrTransient, leat.ErrRateLimited}, attempts: 1, retryAfter: sandboxRetryAfter},
		{name: "maintenance", call: readCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultMaintenance},
			want:  []error{leat.ErrTransient, leat.ErrMaintenance}, attempts: 3},
		{name: "maintenance once on a write, retried", call: writeCall,
			fault:   leatsandbox.Fault{Kind: leatsandbox.FaultMaintenance, Times: 1},
			applied: 1},
		{name: "server error once on a read, retried", call: readCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultServerError, Times: 1}},
		{name: "server error on a read", call: readCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultServerError},
			want:  []error{leat.ErrTransient, leat.ErrServerError}, attempts: 3},
		{name: "server error on a write, not retried", call: writeCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultServerError, Times: 1},
			want:  []error{leat.ErrTransient, leat.ErrServerError, leat.ErrOutcomeUnknown}, attempts: 1},
		{name: "dropped read", call: readCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultDrop},
			want:  []error{leat.ErrTransient, leat.ErrNetwork}, attempts: 3},
		{name: "dropped write, not applied", call: writeCall,
			fault: leatsandbox.Fault{Kind: leatsandbox.FaultDrop},
			want:  []error{leat.ErrTransient, leat.ErrNetwork, leat.ErrOutcomeUnknown}, attempts: 1},
		// The fault holds on every hit, so a retry would be applied, and seen, a second time.
		{name: "write applied, answer lost, attempt timeout", call: writeCall,
			fault:     leatsandbox.Fault{Kind: leatsandbox.FaultResponseLost, Delay: 5 * time.Second},
			configure: func(cfg *leat.Config) { cfg.AttemptTimeout = 4 * faultDelay },
			want:      []error{leat.ErrTransient, leat.ErrTimeout, leat.ErrOutcomeUnknown}, attempts: 1, applied: 1},
		{name: "write applied, answer lost, context deadline", call: writeCall,
			fault:      leatsandbox.Fault{Kind: leatsandbox.FaultResponseLost, Delay: 5 * time.Second},
			ctxTimeout: 4 * faultDelay,
			want:       []error{leat.ErrTransient, leat.ErrTimeout, leat.ErrOutcomeUnknown}, attempts: 1, applied: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sb := startSandbox(t)
			card := sb.loadedCard(t)
			shop := sb.shop(t)
			c := sb.newClient(t, tc.configure)

			fault := tc.fault
			send := func(ctx context.Context) error { return errOf(c.GetGiftcard(ctx, card.UUID)) }
			fault.Method, fault.Path = http.MethodGet, "/giftcards/{uuid}"
			if tc.call == writeCall {
				send = func(ctx context.Context) error {
					return errOf(c.CreateGiftcardTransaction(ctx, leat.CreateGiftcardTransactionRequest{GiftcardUUID: card.UUID,
						ShopUUID: shop.UUID, AmountInCents: -faultSpend, CustomAttributes: map[string]string{"pos_step": tc.name}}))
				}
				fault.Method, fault.Path = http.MethodPost, "/giftcard-transactions"
			}
			need(t, sb.Sandbox.InjectFault(fault), "InjectFault")

			ctx := t.Context()
			if tc.ctxTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctxTimeout)
				defer cancel()
			}
			started := time.Now()
			err := send(ctx)
			if elapsed := time.Since(started); elapsed < tc.minElapsed {
				t.Errorf("answered after %s, want at least %s", elapsed, tc.minElapsed)
			}
			wantFault(t, err, tc.want, tc.attempts, tc.retryAfter)

			if tc.call == writeCall {
				sb.Sandbox.ClearFaults()
				wantApplied(t, c, card, tc.name, tc.applied)
			}
		})
	}
}

// waitUpTo lets the client wait for Retry-After answers of up to d.
func waitUpTo(d time.Duration) func(*leat.Config) {
	return func(cfg *leat.Config) { cfg.Retry.MaxDelay = d }
}

// wantFault checks a fault case's error: nil when want is empty, else a *TransientError
// matching every sentinel of want, ErrOutcomeUnknown only when want lists it.
func wantFault(t *testing.T, err error, want []error, attempts int, retryAfter time.Duration) {
	t.Helper()
	if len(want) == 0 {
		need(t, err, "call under fault")
		return
	}
	var transient *leat.TransientError
	if !errors.As(err, &transient) {
		t.Fatalf("err = %v, want a *leat.TransientError", err)
	}
	outcomeUnknown := false
	for _, sentinel := range want {
		if !errors.Is(err, sentinel) {
			t.Errorf("err = %v, want it to match %v", err, sentinel)
		}
		outcomeUnknown = outcomeUnknown || sentinel == leat.ErrOutcomeUnknown
	}
	if errors.Is(err, leat.ErrOutcomeUnknown) != outcomeUnknown {
		t.Errorf("err = %v, matches ErrOutcomeUnknown: %v, want %v", err, !outcomeUnknown, outcomeUnknown)
	}
	if transient.Attempts != attempts {
		t.Errorf("%d attempts, want %d", transient.Attempts, attempts)
	}
	if transient.RetryAfter != retryAfter {
		t.Errorf("RetryAfter %s, want %s", transient.RetryAfter, retryAfter)
	}
}

// wantApplied checks that the sandbox applied the write tagged tag exactly applied times, on
// the card's balance and in its transactions (how a caller reconciles an unknown outcome).
func wantApplied(t *testing.T, c *leat.Client, card leatsandbox.SeedGiftcard, tag string, applied int) {
	t.Helper()
	if got, want := giftcardBalance(t, c, card.UUID), card.AmountInCents-int64(applied)*faultSpend; got != want {
		t.Errorf("balance %d, want %d: the write was applied %d times", got, want, applied)
	}
	page, err := c.ListGiftcardTransactions(t.Context(), leat.ListGiftcardTransactionsRequest{GiftcardHash: card.Hash, NewestFirst: true})
	need(t, err, "ListGiftcardTransactions")
	tagged := 0
	for _, tx := range page.Items {
		if tx.CustomAttributes["pos_step"] == tag {
			tagged++
		}
	}
	if tagged != applied {
		t.Errorf("%d transactions tagged %q, want %d", tagged, tag, applied)
	}
}
