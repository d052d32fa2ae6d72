package localstack_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

// writesOf keeps the requests that change something in Leat.
func writesOf(requests []leatsandbox.RequestRecord) []leatsandbox.RequestRecord {
	return slices.DeleteFunc(requests, func(r leatsandbox.RequestRecord) bool {
		return r.Method == http.MethodGet || strings.HasSuffix(r.Route, "/validate")
	})
}

// paidUnderLatency checks the basket out and pays it while every Leat request
// takes latency more, so that requests sent together overlap in the
// sandbox's log however fast it is; it answers the requests of each.
func paidUnderLatency(t testing.TB, basket *basket, latency string) (start, pay []leatsandbox.RequestRecord) {
	t.Helper()
	faults, err := leatsandbox.ParseFaults("latency=" + latency)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range faults {
		if err := stack.Sandbox.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	defer stack.Sandbox.ClearFaults()
	stack.Sandbox.ClearRequests()
	started := startCheckout(t, basket)
	start = stack.Sandbox.Requests()
	stack.Sandbox.ClearRequests()
	report(t, started.CheckoutID, "paid")
	return start, stack.Sandbox.Requests()
}

// BenchmarkMixedBasketRoundTrips counts, at the sandbox, the Leat round trips
// a cashier waits for with a reward, a collectable reward and a locked
// voucher: the basket check before anything moves, the reserve writes, and
// the confirmation after payment.
func BenchmarkMixedBasketRoundTrips(b *testing.B) {
	t := testing.TB(b)
	var checks, reserve, confirm float64
	n := 0
	for b.Loop() {
		contact := newCustomer(t, 1000)
		collectable := preRedeem(t, contact)
		code := newVoucher(t, promotionWelcome, contact)
		basket := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse").collect(collectable).voucher(code, "lock_redeem")

		before, after := paidUnderLatency(t, basket, "30ms")
		writes := writesOf(slices.Clone(before))
		firstWrite := slices.MinFunc(writes, func(a, b leatsandbox.RequestRecord) int { return a.Started.Compare(b.Started) }).Started
		checks += float64(leatsandbox.CriticalPath(slices.DeleteFunc(slices.Clone(before), func(r leatsandbox.RequestRecord) bool { return !r.Ended.Before(firstWrite) })))
		reserve += float64(leatsandbox.CriticalPath(writes))
		confirm += float64(leatsandbox.CriticalPath(writesOf(slices.Clone(after))))
		n++
	}
	b.ReportMetric(checks/float64(n), "check-roundtrips")
	b.ReportMetric(reserve/float64(n), "reserve-roundtrips")
	b.ReportMetric(confirm/float64(n), "confirm-roundtrips")
}

// BenchmarkSagaOverhead measures the gateway's own time around Leat: every
// Leat request takes latency more at the sandbox, and what the POS waits
// beyond the round trips on the critical path is the saga's own overhead
// (the API, the Step Functions engine, the ledger).
func BenchmarkSagaOverhead(b *testing.B) {
	const latency = 50 * time.Millisecond
	t := testing.TB(b)
	faults, err := leatsandbox.ParseFaults("latency=50ms")
	if err != nil {
		b.Fatal(err)
	}
	var startOverhead, payOverhead time.Duration
	n := 0
	for b.Loop() {
		contact := newCustomer(t, 1000)
		code := newVoucher(t, promotionWelcome, contact)
		basket := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse").voucher(code, "lock_redeem")
		for _, f := range faults {
			if err := stack.Sandbox.InjectFault(f); err != nil {
				b.Fatal(err)
			}
		}
		stack.Sandbox.ClearRequests()
		began := time.Now()
		started := startCheckout(t, basket)
		startTook := time.Since(began)
		startTrips := leatsandbox.CriticalPath(stack.Sandbox.Requests())
		stack.Sandbox.ClearRequests()
		began = time.Now()
		report(t, started.CheckoutID, "paid")
		payTook := time.Since(began)
		payTrips := leatsandbox.CriticalPath(stack.Sandbox.Requests())
		stack.Sandbox.ClearFaults()
		startOverhead += startTook - time.Duration(startTrips)*latency
		payOverhead += payTook - time.Duration(payTrips)*latency
		n++
	}
	b.ReportMetric(float64(startOverhead.Milliseconds())/float64(n), "start-overhead-ms")
	b.ReportMetric(float64(payOverhead.Milliseconds())/float64(n), "pay-overhead-ms")
}

// BenchmarkSixFlowBasket runs the guide's six flows in one paid checkout (a
// reward, a voucher, a giftcard sold, a giftcard tender, a prepaid top-up and
// a prepaid tender) and counts at the sandbox the round trips a cashier
// waits for, and the Leat writes against the one write each item needs: a
// write made twice would show as more.
func BenchmarkSixFlowBasket(b *testing.B) {
	t := testing.TB(b)
	var reserve, confirm, writes, needed float64
	n := 0
	for b.Loop() {
		stack.Sandbox.Reset() // the rack's empty physical card
		before, after := paidUnderLatency(t, newSixFlows(t, "GC-0000-0001").basket, "30ms")
		reserveWrites, confirmWrites := writesOf(slices.Clone(before)), writesOf(slices.Clone(after))
		// Reserve: a reception, a lock, two debits. Confirm: a redemption, a load, a top-up, the order.
		needed += 8
		writes += float64(len(reserveWrites) + len(confirmWrites))
		reserve += float64(leatsandbox.CriticalPath(reserveWrites))
		confirm += float64(leatsandbox.CriticalPath(confirmWrites))
		n++
	}
	b.ReportMetric(reserve/float64(n), "reserve-roundtrips")
	b.ReportMetric(confirm/float64(n), "confirm-roundtrips")
	b.ReportMetric(writes/needed, "writes/needed")
}
