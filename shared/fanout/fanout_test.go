package fanout_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/fanout"
)

func TestAllRunsEveryCallAtOnce(t *testing.T) {
	var running, peak atomic.Int32
	call := func(context.Context) error {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
		return nil
	}
	if err := fanout.All(context.Background(), call, call, call); err != nil {
		t.Fatal(err)
	}
	if peak.Load() != 3 {
		t.Fatalf("at most %d calls ran at once, want 3", peak.Load())
	}
}

func TestAllReturnsTheFirstErrorAndCancelsTheRest(t *testing.T) {
	boom := errors.New("boom")
	var cancelled atomic.Bool
	err := fanout.All(context.Background(),
		func(context.Context) error { return boom },
		func(ctx context.Context) error {
			select {
			case <-ctx.Done():
				cancelled.Store(true)
			case <-time.After(5 * time.Second):
			}
			return nil
		},
	)
	if !errors.Is(err, boom) || !cancelled.Load() {
		t.Fatalf("err = %v, other call cancelled: %v", err, cancelled.Load())
	}
}
