package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// slowAccount answers like a distant Leat: every call takes the same time.
type slowAccount struct {
	*account
	latency time.Duration
}

func (s slowAccount) wait() { time.Sleep(s.latency) }

func (s slowAccount) Customer(ctx context.Context, uuid string) (loyalty.Customer, error) {
	s.wait()
	return s.account.Customer(ctx, uuid)
}
func (s slowAccount) Rewards(ctx context.Context, c, shop string) ([]loyalty.Reward, error) {
	s.wait()
	return s.account.Rewards(ctx, c, shop)
}
func (s slowAccount) ActiveVouchers(ctx context.Context, c string) ([]loyalty.Voucher, bool, error) {
	s.wait()
	return s.account.ActiveVouchers(ctx, c)
}
func (s slowAccount) CollectableRewards(ctx context.Context, c string) ([]loyalty.CollectableReward, error) {
	s.wait()
	return s.account.CollectableRewards(ctx, c)
}
func (s slowAccount) For(context.Context, tenancy.Tenant) (loyalty.Platform, error) { return s, nil }

// BenchmarkOverviewFansOut measures, in one run, how much faster the overview
// is than asking Leat the same four questions one after another; the cashier
// waits for one round trip instead of four.
func BenchmarkOverviewFansOut(b *testing.B) {
	acc := slowAccount{
		account: &account{customers: map[string]loyalty.Customer{"c-1": {UUID: "c-1", Points: 100}},
			rewards: []loyalty.Reward{{UUID: "r", RequiredPoints: 50}}},
		latency: 2 * time.Millisecond,
	}
	svc := newService(acc)
	ctx := context.Background()
	var concurrent, sequential time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := svc.Overview(ctx, till, "", "c-1"); err != nil {
			b.Fatal(err)
		}
		concurrent += time.Since(start)

		start = time.Now()
		_, _ = acc.Customer(ctx, "c-1")
		_, _ = acc.Rewards(ctx, "c-1", "shop-1")
		_, _, _ = acc.ActiveVouchers(ctx, "c-1")
		_, _ = acc.CollectableRewards(ctx, "c-1")
		sequential += time.Since(start)
	}
	b.ReportMetric(float64(sequential)/float64(concurrent), "sequential/concurrent")
}
