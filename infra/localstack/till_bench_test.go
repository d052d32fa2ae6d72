package localstack_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

// tillLatency is what every Leat request takes at the sandbox while the
// till flows are measured: the L that their times are multiples of.
const tillLatency = 50 * time.Millisecond

// tillLatencyFault is the sandbox fault that makes every Leat request take L.
var tillLatencyFault = fmt.Sprintf("latency=%dms", tillLatency.Milliseconds())

// leatTime is how long the caller waited on Leat: the union of the
// requests' intervals.
func leatTime(requests []leatsandbox.RequestRecord) time.Duration {
	slices.SortFunc(requests, func(a, b leatsandbox.RequestRecord) int { return a.Started.Compare(b.Started) })
	var total time.Duration
	var end time.Time
	for _, r := range requests {
		start := r.Started
		if start.Before(end) {
			start = end
		}
		if r.Ended.After(start) {
			total += r.Ended.Sub(start)
			end = r.Ended
		}
	}
	return total
}

func TestLeatTime(t *testing.T) {
	at := func(start, end int) leatsandbox.RequestRecord {
		base := time.Unix(0, 0)
		return leatsandbox.RequestRecord{Started: base.Add(time.Duration(start)), Ended: base.Add(time.Duration(end))}
	}
	for _, tt := range []struct {
		name     string
		requests []leatsandbox.RequestRecord
		want     time.Duration
	}{
		{"none", nil, 0},
		{"together", []leatsandbox.RequestRecord{at(0, 10), at(1, 9), at(2, 12)}, 12},
		{"one after another, with a gap", []leatsandbox.RequestRecord{at(20, 30), at(0, 10)}, 20},
	} {
		if got := leatTime(tt.requests); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// percentile is the p-th percentile of samples by nearest rank: the
// smallest sample at least a share p of them do not exceed (sorted in
// place). Of 100 samples, the 99th percentile is the 99th, not the largest.
func percentile(samples []time.Duration, p float64) time.Duration {
	slices.Sort(samples)
	rank := int(math.Ceil(p * float64(len(samples))))
	return samples[max(rank, 1)-1]
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100 - i) // 100 down to 1
	}
	for _, tt := range []struct {
		name    string
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{"the median of 1 to 100", hundred, 0.5, 50},
		{"the 99th percentile of 1 to 100", hundred, 0.99, 99},
		{"the 99th percentile of ten", []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.99, 10},
		{"one sample", []time.Duration{7}, 0.5, 7},
	} {
		if got := percentile(slices.Clone(tt.samples), tt.p); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// tillFlow is one request the cashier waits for, measured at L: prepare
// runs before the clock starts, finish, when set, after it stops.
type tillFlow struct {
	name string
	// minTrips and minCalls are the fewest Leat round trips and calls the
	// answer needs: what depends on an answer of Leat's waits for it.
	minTrips, minCalls int
	prepare            func(t testing.TB) request
	// status is the answer's status; 200 unless set.
	status int
	finish func(t testing.TB, a answer)
}

// BenchmarkTillLatency measures what a cashier waits for on the till's
// flows while every Leat request takes L = 50 ms: the answer's p50 and
// p99 as multiples of L, the Leat round trips on its critical path, the
// Leat calls made against the fewest possible, the gateway's own time (the
// answer's time less the time spent waiting on Leat), the DynamoDB calls
// and the new connections to Leat per request.
func BenchmarkTillLatency(b *testing.B) {
	contact := newCustomer(b, 1000)
	returning := fmt.Sprintf("BENCH-%d", time.Now().UnixNano())
	if _, err := leatClient(b).CreateContactIdentifier(context.Background(), leat.CreateContactIdentifierRequest{Value: returning, ContactUUID: contact}); err != nil {
		b.Fatal(err)
	}
	scan := func(card, query string) request {
		return request{Method: http.MethodPost, Path: "/v1/customers/identify" + query, Body: `{"identifier":"` + card + `"}`}
	}
	newCard := func(t testing.TB) string {
		card := fmt.Sprintf("BENCH-%d", time.Now().UnixNano())
		if _, err := leatClient(t).CreateContactIdentifier(context.Background(), leat.CreateContactIdentifierRequest{Value: card, ContactUUID: contact}); err != nil {
			t.Fatal(err)
		}
		return card
	}
	call(b, scan(returning, "")) // the gateway has seen the card
	// A checkout of a reward and a voucher the cashier scanned first. Its
	// start reads the customer, the rewards they may claim, the reward and
	// the voucher (found by its code) at once, Leat validating the voucher
	// the scan remembered meanwhile, then reserves both at once. Its payment
	// redeems the locked voucher, then records the order, which names the
	// redemption.
	shopper := newCustomer(b, 1_000_000)
	basket := func(t testing.TB) *basket {
		code := newVoucher(t, promotionWelcome, shopper)
		if scan := call(t, request{Method: http.MethodGet, Path: "/v1/vouchers/" + code + "?contact_uuid=" + shopper}); scan.Status != http.StatusOK {
			t.Fatalf("scan: %d %s", scan.Status, scan.Body)
		}
		return newBasket(shopper).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse").voucher(code, "lock_redeem")
	}
	paid := func(t testing.TB, a answer) { report(t, viewOf(t, a).CheckoutID, "paid") }
	flows := []tillFlow{
		{name: "overview", minTrips: 1, minCalls: 4, prepare: func(testing.TB) request { return request{Method: http.MethodGet, Path: "/v1/customers/" + contact} }},
		// The card memory names the customer before Leat verifies the card.
		{name: "identify-returning-card", minTrips: 1, minCalls: 2, prepare: func(testing.TB) request { return scan(returning, "") }},
		{name: "identify-new-card", minTrips: 2, minCalls: 2, prepare: func(t testing.TB) request { return scan(newCard(t), "") }},
		{name: "identify-returning-card-with-overview", minTrips: 1, minCalls: 5, prepare: func(testing.TB) request { return scan(returning, "?include=overview") }},
		{name: "checkout-reserve", minTrips: 2, minCalls: 7, status: http.StatusCreated, finish: paid, prepare: func(t testing.TB) request {
			return request{Method: http.MethodPost, Path: "/v1/checkouts", Body: basket(t).body(t)}
		}},
		{name: "checkout-confirm", minTrips: 2, minCalls: 2, prepare: func(t testing.TB) request {
			started := startCheckout(t, basket(t))
			return request{Method: http.MethodPost, Path: "/v1/checkouts/" + started.CheckoutID + "/payment", Body: `{"outcome":"paid"}`}
		}},
	}
	for _, flow := range flows {
		b.Run(flow.name, func(b *testing.B) {
			withFaults(b, tillLatencyFault)
			status := cmp.Or(flow.status, http.StatusOK)
			warm := call(b, flow.prepare(b)) // warm: connections, caches
			if flow.finish != nil {
				flow.finish(b, warm)
			}
			var took, overhead []time.Duration
			var trips, calls, opened int
			var database float64
			for b.Loop() {
				b.StopTimer()
				r := flow.prepare(b)
				stack.Sandbox.ClearRequests()
				connections, usage := stack.LeatConnections(), stack.Usage.Snapshot()
				b.StartTimer()
				a := call(b, r)
				b.StopTimer()
				u := usedBetween(usage, stack.Usage.Snapshot())
				database += u.reads + u.writes
				if a.Status != status {
					b.Fatalf("%s: %d %s", flow.name, a.Status, a.Body)
				}
				requests := stack.Sandbox.Requests()
				took = append(took, a.Took)
				overhead = append(overhead, a.Took-leatTime(requests))
				trips += leatsandbox.CriticalPath(requests)
				calls += len(requests)
				opened += int(stack.LeatConnections() - connections)
				if flow.finish != nil {
					flow.finish(b, a)
				}
				b.StartTimer()
			}
			n := float64(len(took))
			b.ReportMetric(float64(percentile(took, 0.5))/float64(tillLatency), "p50/L")
			b.ReportMetric(float64(percentile(took, 0.99))/float64(tillLatency), "p99/L")
			b.ReportMetric(float64(trips)/n, "leat-roundtrips")
			b.ReportMetric(float64(flow.minTrips), "leat-roundtrips-min")
			b.ReportMetric(float64(calls)/n, "leat-calls")
			b.ReportMetric(float64(flow.minCalls), "leat-calls-min")
			b.ReportMetric(float64(percentile(overhead, 0.5).Microseconds())/1000, "overhead-p50-ms")
			b.ReportMetric(float64(percentile(overhead, 0.99).Microseconds())/1000, "overhead-p99-ms")
			b.ReportMetric(float64(opened)/n, "new-leat-conns")
			b.ReportMetric(database/n, "dynamodb-calls")
		})
	}
}

// BenchmarkTillThroughput has 32 tills ask for overviews at once for the
// benchmark's iterations, with Leat at L, and reports the requests answered
// per second and the CPU time per request of this process, which runs the
// gateway's functions, the local API Gateway and the sandbox (DynamoDB
// Local runs apart).
func BenchmarkTillThroughput(b *testing.B) {
	const clients = 32
	contact := newCustomer(b, 1000)
	overview := request{Method: http.MethodGet, Path: "/v1/customers/" + contact}
	withFaults(b, tillLatencyFault)
	call(b, overview)
	var answered atomic.Int64
	cpuBefore, began := processCPU(b), time.Now()
	for b.Loop() {
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				if a, err := exchange(overview); err == nil && a.Status == http.StatusOK {
					answered.Add(1)
				}
			})
		}
		wg.Wait()
	}
	elapsed, cpu := time.Since(began), processCPU(b)-cpuBefore
	if answered.Load() != int64(b.N*clients) {
		b.Fatalf("%d of %d overviews answered", answered.Load(), b.N*clients)
	}
	b.ReportMetric(float64(answered.Load())/elapsed.Seconds(), "requests/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(answered.Load()), "cpu-ms/request")
}

// processCPU is the CPU time this process used so far, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
