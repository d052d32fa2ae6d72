package leat

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds the client's own retries of transient failures. Reads are retried on
// any transient failure; writes only when Leat certainly did not apply them (429, 503, or no
// connection). Zero fields take the defaults.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt too; 1 disables retries. Default 3.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; it doubles per attempt, with
	// jitter. Default 200ms.
	BaseDelay time.Duration
	// MaxDelay caps every wait. When Leat's Retry-After asks for longer, the client stops and
	// returns the error with RetryAfter set, so the caller can schedule the retry. Default 5s.
	MaxDelay time.Duration
}

const (
	defaultMaxAttempts = 3
	defaultBaseDelay   = 200 * time.Millisecond
	defaultMaxDelay    = 5 * time.Second
)

func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 {
		return p, fmt.Errorf("%w: Config.Retry has a negative field", ErrInvalidArgument)
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = defaultMaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = defaultBaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = defaultMaxDelay
	}
	if p.BaseDelay > p.MaxDelay {
		return p, fmt.Errorf("%w: Config.Retry.BaseDelay exceeds MaxDelay", ErrInvalidArgument)
	}
	return p, nil
}

// delay decides whether the failed attempt number attempt may be retried, and after how long.
func (p RetryPolicy) delay(ctx context.Context, err error, attempt int) (time.Duration, bool) {
	var transient *TransientError
	if attempt >= p.MaxAttempts || !errors.As(err, &transient) || transient.OutcomeUnknown || transient.Reason == ErrCanceled {
		return 0, false
	}
	wait := p.backoff(attempt)
	if transient.RetryAfter > 0 {
		if transient.RetryAfter > p.MaxDelay {
			return 0, false
		}
		wait = transient.RetryAfter
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
		return 0, false
	}
	return wait, true
}

// backoff returns the jittered wait after attempt: between half and all of
// BaseDelay·2^(attempt-1), capped at MaxDelay. Keeping half spreads concurrent callers out
// without letting any of them retry at once.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	ceiling := p.MaxDelay
	if shift := attempt - 1; shift < 32 {
		if exp := p.BaseDelay << shift; exp > 0 && exp < ceiling {
			ceiling = exp
		}
	}
	half := ceiling / 2
	return half + rand.N(ceiling-half+1)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
