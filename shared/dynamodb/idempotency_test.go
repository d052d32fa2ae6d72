package dynamodb_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/idempotency"
)

func newGuard(t *testing.T) (*idempotency.Guard, *time.Time) {
	table, _, _ := ddblocaltest.NewTable(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	g := idempotency.NewGuard(dynamodb.NewIdempotencyStore(table))
	g.Now = func() time.Time { return now }
	return g, &now
}

func answer(status int, body string) func(context.Context) (idempotency.Response, error) {
	return func(context.Context) (idempotency.Response, error) {
		return idempotency.Response{Status: status, ContentType: "application/json", Body: []byte(body)}, nil
	}
}

func TestGuardReplaysTheStoredAnswer(t *testing.T) {
	g, _ := newGuard(t)
	ctx := context.Background()
	fp := idempotency.FingerprintOf("POST", "/v1/customers/identify", []byte(`{"identifier":"A"}`))
	first, replayed, err := g.Run(ctx, "acme", "key-1", fp, answer(200, `{"n":1}`))
	if err != nil || replayed || string(first.Body) != `{"n":1}` {
		t.Fatalf("first run: %+v %v %v", first, replayed, err)
	}
	again, replayed, err := g.Run(ctx, "acme", "key-1", fp, answer(200, `{"n":2}`))
	if err != nil || !replayed || string(again.Body) != `{"n":1}` || again.Status != 200 {
		t.Fatalf("replay: %+v %v %v", again, replayed, err)
	}
	// Keys belong to a tenant: another tenant's identical key runs afresh.
	other, replayed, err := g.Run(ctx, "globex", "key-1", fp, answer(201, `{"n":3}`))
	if err != nil || replayed || other.Status != 201 {
		t.Fatalf("other tenant: %+v %v %v", other, replayed, err)
	}
}

func TestGuardRefusesAReusedKey(t *testing.T) {
	g, _ := newGuard(t)
	ctx := context.Background()
	a := idempotency.FingerprintOf("POST", "/v1/x", []byte(`{"a":1}`))
	b := idempotency.FingerprintOf("POST", "/v1/x", []byte(`{"a":2}`))
	if _, _, err := g.Run(ctx, "acme", "k", a, answer(200, `{}`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Run(ctx, "acme", "k", b, answer(200, `{}`)); !errors.Is(err, idempotency.ErrKeyReused) {
		t.Fatalf("err = %v, want ErrKeyReused", err)
	}
}

func TestGuardReleasesTheKeyWhenTheRequestFails(t *testing.T) {
	g, _ := newGuard(t)
	ctx := context.Background()
	fp := idempotency.FingerprintOf("POST", "/v1/x", nil)
	boom := errors.New("leat unavailable")
	_, _, err := g.Run(ctx, "acme", "k", fp, func(context.Context) (idempotency.Response, error) {
		return idempotency.Response{}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	resp, replayed, err := g.Run(ctx, "acme", "k", fp, answer(200, `{"ok":true}`))
	if err != nil || replayed || resp.Status != 200 {
		t.Fatalf("retry after failure: %+v %v %v", resp, replayed, err)
	}
}

func TestGuardAnswersInProgressWhileTheFirstRuns(t *testing.T) {
	g, _ := newGuard(t)
	ctx := context.Background()
	fp := idempotency.FingerprintOf("POST", "/v1/x", nil)
	started, finish := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _, _ = g.Run(ctx, "acme", "k", fp, func(context.Context) (idempotency.Response, error) {
			close(started)
			<-finish
			return idempotency.Response{Status: 200}, nil
		})
	}()
	<-started
	var inProgress *idempotency.InProgressError
	if _, _, err := g.Run(ctx, "acme", "k", fp, answer(200, `{}`)); !errors.As(err, &inProgress) || inProgress.RetryAfter <= 0 {
		t.Fatalf("concurrent run: err = %v", err)
	}
	close(finish)
	wg.Wait()

}

func TestGuardTakesOverAClaimWhoseLeaseRanOut(t *testing.T) {
	g, now := newGuard(t)
	ctx := context.Background()
	fp := idempotency.FingerprintOf("POST", "/v1/x", nil)
	// An invocation that claimed the key and died: its record stays in progress.
	crashed := idempotency.Record{
		Tenant: "acme", Key: "k", Fingerprint: fp, State: idempotency.StateInProgress,
		LockedUntil: now.Add(g.Lease), ExpiresAt: now.Add(g.TTL),
	}
	if _, claimed, err := g.Store.Claim(ctx, crashed, *now); err != nil || !claimed {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	var inProgress *idempotency.InProgressError
	if _, _, err := g.Run(ctx, "acme", "k", fp, answer(200, `{}`)); !errors.As(err, &inProgress) {
		t.Fatalf("within the lease: err = %v", err)
	}
	*now = now.Add(g.Lease + time.Second)
	var ran atomic.Bool
	if _, _, err := g.Run(ctx, "acme", "k", fp, func(context.Context) (idempotency.Response, error) {
		ran.Store(true)
		return idempotency.Response{Status: 200}, nil
	}); err != nil || !ran.Load() {
		t.Fatalf("after the lease: ran=%v err=%v", ran.Load(), err)
	}
}

func TestGuardIgnoresExpiredRecords(t *testing.T) {
	g, now := newGuard(t)
	ctx := context.Background()
	fp := idempotency.FingerprintOf("POST", "/v1/x", nil)
	if _, _, err := g.Run(ctx, "acme", "k", fp, answer(200, `{"old":true}`)); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(g.TTL + time.Minute)
	resp, replayed, err := g.Run(ctx, "acme", "k", fp, answer(200, `{"new":true}`))
	if err != nil || replayed || string(resp.Body) != `{"new":true}` {
		t.Fatalf("after TTL: %+v %v %v", resp, replayed, err)
	}
}
