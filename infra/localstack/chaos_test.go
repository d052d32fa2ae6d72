package localstack_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/tenancy"
)

// The chaos run: randomised checkouts over the guide's flows, paid, failed,
// cancelled or left to time out, submitted and reported twice at once, some
// returned in full afterwards, while the sandbox fails a share of Leat
// requests in every way it can, under each sandbox variant. Then it compares
// each order with the sandbox and prints the figures. `make chaos` runs a
// thousand; make test a reduced run.
var (
	chaosRuns    = flag.Int("chaos.runs", 40, "checkouts of the chaos run, under each sandbox variant")
	chaosSeed    = flag.Uint64("chaos.seed", 0, "seed of the chaos run; 0 picks one, printed to replay it")
	chaosFaults  = flag.Int("chaos.faults", 20, "percent of Leat requests the sandbox fails during the chaos run")
	chaosWorkers = flag.Int("chaos.workers", 8, "checkouts the chaos run sends at once")
)

// chaosOrder is one randomised checkout and what became of it.
type chaosOrder struct {
	six      sixFlows
	reward   bool
	voucher  bool
	card     bool
	prepaid  bool
	sale     bool
	outcome  string // paid, failed, cancel or timeout (never reported)
	returned bool

	started  bool
	status   string
	lockStep string
	problems []string
}

// chaosSeedValue is the run's seed: the flag's, or one picked once.
var chaosSeedValue = sync.OnceValue(func() uint64 {
	if *chaosSeed != 0 {
		return *chaosSeed
	}
	return uint64(time.Now().UnixNano())
})

// restartsEnv marks the child run whose chaos also restarts DynamoDB Local
// and the sandbox, and kills step invocations between intent and result.
const restartsEnv = "LOCALSTACK_TEST_RESTARTS"

func restarting() bool { return os.Getenv(restartsEnv) != "" }

// restartsOptions gives the restarts run a stack of its own: a DynamoDB
// Local on disk it can restart, and crashes. Its retries wait a second
// instead of AWS's growing backoff, so a restart of a few seconds stays
// within them, and the step and Idempotency-Key leases shrink in proportion,
// so what a dead invocation held is taken up within them too.
func restartsOptions(opts localstack.Options) localstack.Options {
	opts.DynamoDBEndpoint, opts.DynamoDBOnDisk = "", true
	opts.RetryInterval, opts.StepLease, opts.IdempotencyLease = 2*time.Second, 3*time.Second, 5*time.Second
	opts.Crashes = localstack.NewCrashes(10, chaosSeedValue())
	return opts
}

func TestChaos(t *testing.T) {
	seed := chaosSeedValue()
	t.Logf("chaos seed %d (replay with -chaos.seed=%d)", seed, seed)
	for _, v := range variants() {
		withVariant(t, v)
	}
	// Checkouts left waiting give everything back at the tenant's deadline.
	withTenant(t, func(t *tenancy.Tenant) { t.PaymentTimeout = tenancy.MinPaymentTimeout })
	rng := rand.New(rand.NewPCG(seed, seed))
	orders := make([]*chaosOrder, *chaosRuns)
	for i := range orders {
		o := &chaosOrder{
			reward: rng.IntN(2) == 0, voucher: rng.IntN(2) == 0, card: rng.IntN(2) == 0, prepaid: rng.IntN(2) == 0,
			sale: rng.IntN(3) == 0, outcome: []string{"paid", "paid", "failed", "cancel", "timeout"}[rng.IntN(5)],
		}
		o.returned = o.outcome == "paid" && rng.IntN(3) == 0
		o.six = o.basket(t)
		orders[i] = o
	}
	faults := fmt.Sprintf("maintenance %d%%; rate_limit %d%%; server_error %d%%; response_lost %d%%; drop %d%%; latency=150ms %d%%",
		*chaosFaults*2/10, *chaosFaults/10, *chaosFaults*2/10, *chaosFaults*2/10, *chaosFaults*2/10, *chaosFaults/10)
	withFaults(t, faults)
	stack.Sandbox.ClearRequests()

	var disruptions *disruptions
	if restarting() {
		disruptions = disrupt(t)
	}
	work := make(chan *chaosOrder)
	var wg sync.WaitGroup
	for range *chaosWorkers {
		wg.Go(func() {
			for o := range work {
				o.run()
			}
		})
	}
	for _, o := range orders {
		work <- o
	}
	close(work)
	wg.Wait()
	if disruptions != nil {
		disruptions.stop()
	}
	hits := faulted(stack.Sandbox.Requests())
	stack.Sandbox.ClearFaults()

	var terminal, completed, cancelled, differences, doubles, leaked, unnamed int
	var attention []string
	for _, o := range orders {
		o.settle(t)
		switch o.status {
		case "completed":
			completed++
		case "cancelled", "not started":
			cancelled++
		case "needs_attention":
			attention = append(attention, fmt.Sprintf("%s: %s", o.six.basket.OrderID, strings.Join(o.problems, "; ")))
		}
		if o.status != "processing" && o.status != "reserving" && o.status != "confirming" && o.status != "compensating" {
			terminal++
		}
		d, double := o.differences(t)
		differences += len(d)
		doubles += double
		for _, diff := range d {
			t.Errorf("%s (%s): %s", o.six.basket.OrderID, o.describe(), diff)
		}
		if o.voucher && voucherStatus(t, o.six.voucher) == leat.VoucherLocked {
			// A lock whose answer was lost has a key nobody saw: the step
			// says so, and Leat frees it within the hour. Any other is leaked.
			switch o.lockStep {
			case "failed":
				unnamed++
			case "needs_attention":
				// Counted and explained among the checkouts needing attention.
			default:
				leaked++
				t.Errorf("%s: voucher %s left locked (lock step %s)", o.six.basket.OrderID, o.six.voucher, o.lockStep)
			}
		}
	}
	fmt.Printf("chaos: seed %d, %d checkouts (%d returned in full), %d%% of Leat requests failed (%d faults)\n",
		seed, len(orders), countReturned(orders), *chaosFaults, hits)
	fmt.Printf("chaos: %d terminal (%d completed, %d cancelled or refused, %d needs attention); %d differences from the sandbox, %d double-applied writes, %d leaked locks (%d locks with a lost key, which Leat frees within the hour)\n",
		terminal, completed, cancelled, len(attention), differences, doubles, leaked, unnamed)
	fmt.Printf("chaos: the API answered %s\n", answersByStatus())
	if n := chaosAnswers.byStatus[http.StatusInternalServerError]; n > 0 {
		t.Errorf("the API answered 500 %d times", n)
	}
	for _, u := range chaosAnswers.undocumented {
		t.Errorf("an answer the OpenAPI document does not describe: %s", u)
	}
	if disruptions != nil {
		fmt.Printf("chaos: DynamoDB Local restarted %d times (down %.1f s at most), the sandbox %d times; %d step invocations killed between a Leat write and its record\n",
			disruptions.databaseRestarts, disruptions.longestOutage.Seconds(), disruptions.sandboxRestarts, stack.Crashes().Killed())
	}
	for _, a := range attention {
		fmt.Printf("chaos: needs attention: %s\n", a)
		if !strings.Contains(a, ": ") || strings.HasSuffix(a, ": ") {
			t.Errorf("needs attention without a reason: %s", a)
		}
	}
	if terminal != len(orders) {
		t.Errorf("%d of %d checkouts did not end", len(orders)-terminal, len(orders))
		for _, o := range orders {
			if !slices.Contains([]string{"completed", "cancelled", "not started", "needs_attention"}, o.status) {
				t.Errorf("%s (%s) is %s", o.six.basket.OrderID, o.describe(), o.status)
			}
		}
	}
}

// chaosAnswers counts the chaos run's answers by status.
var chaosAnswers = struct {
	sync.Mutex
	byStatus     map[int]int
	undocumented []string
}{byStatus: map[int]int{}}

// chaosExchange is exchange, counted: whatever breaks, the POS must never
// see a 500, which tells it nothing, nor an answer the OpenAPI document
// does not describe.
func chaosExchange(r request) (answer, error) {
	a, err := exchange(r)
	if err == nil {
		chaosAnswers.Lock()
		chaosAnswers.byStatus[a.Status]++
		if len(a.Mismatches) > 0 {
			chaosAnswers.undocumented = append(chaosAnswers.undocumented, fmt.Sprintf("%s %s answered %d %s: %v", r.Method, r.Path, a.Status, a.Body, a.Mismatches))
		}
		chaosAnswers.Unlock()
	}
	return a, err
}

func answersByStatus() string {
	chaosAnswers.Lock()
	defer chaosAnswers.Unlock()
	statuses := slices.Sorted(maps.Keys(chaosAnswers.byStatus))
	parts := make([]string, 0, len(statuses))
	for _, status := range statuses {
		parts = append(parts, fmt.Sprintf("%d×%d", chaosAnswers.byStatus[status], status))
	}
	return strings.Join(parts, ", ")
}

// disruptions restart DynamoDB Local and the sandbox, in turn, while the
// chaos run's checkouts are under way.
type disruptions struct {
	done                              chan struct{}
	finished                          sync.WaitGroup
	databaseRestarts, sandboxRestarts int
	// longestOutage is the longest a restart of DynamoDB Local took.
	longestOutage time.Duration
}

func disrupt(t *testing.T) *disruptions {
	d := &disruptions{done: make(chan struct{})}
	d.finished.Go(func() {
		for {
			select {
			case <-d.done:
				return
			case <-time.After(5 * time.Second):
			}
			began := time.Now()
			if err := stack.RestartDynamoDB(context.Background()); err != nil {
				t.Errorf("restart DynamoDB Local: %v", err)
				return
			}
			d.databaseRestarts++
			d.longestOutage = max(d.longestOutage, time.Since(began))
			select {
			case <-d.done:
				return
			case <-time.After(2 * time.Second):
			}
			if err := stack.RestartSandbox(time.Second); err != nil {
				t.Errorf("restart the sandbox: %v", err)
				return
			}
			d.sandboxRestarts++
		}
	})
	return d
}

func (d *disruptions) stop() {
	close(d.done)
	d.finished.Wait()
}

func countReturned(orders []*chaosOrder) int {
	n := 0
	for _, o := range orders {
		if o.returned && o.status == "completed" {
			n++
		}
	}
	return n
}

func (o *chaosOrder) describe() string {
	var parts []string
	for name, on := range map[string]bool{"reward": o.reward, "voucher": o.voucher, "card": o.card, "prepaid": o.prepaid, "sale": o.sale, "returned": o.returned} {
		if on {
			parts = append(parts, name)
		}
	}
	return o.outcome + " " + strings.Join(parts, "+")
}

// basket builds the order's customer, cards and basket before any fault.
func (o *chaosOrder) basket(t *testing.T) sixFlows {
	contact := newCustomer(t, 1000)
	topUpPrepaid(t, contact, 500)
	six := sixFlows{basket: newBasket(contact), contact: contact, card: newGiftcard(t, 200)}
	if o.reward {
		six.basket.reward(rewardUUID(t, rewardFreeCoffee), "")
	}
	if o.voucher {
		six.voucher = newVoucher(t, promotionPastry, contact)
		six.basket.voucher(six.voucher, "lock_redeem")
		six.basket.Vouchers[0]["line_ids"] = []string{"2"}
	}
	if o.sale {
		six.basket.sell("", "").topUp()
	}
	if o.card {
		six.basket.tender("giftcard", six.card, 200, false)
	}
	if o.prepaid {
		six.basket.tender("prepaid", "", 100, false)
	}
	return six
}

// run sends the checkout twice at once, reports its outcome twice at once,
// and returns it when the run says so; any answer is fine here, the
// sandbox is checked afterwards.
func (o *chaosOrder) run() {
	body, err := json.Marshal(o.six.basket)
	if err != nil {
		return
	}
	key := "chaos-" + o.six.basket.OrderID
	twice := func(r request) []answer {
		var answers [2]answer
		var wg sync.WaitGroup
		for i := range answers {
			wg.Go(func() { answers[i], _ = chaosExchange(r) })
		}
		wg.Wait()
		return answers[:]
	}
	id := "shop-1." + o.six.basket.OrderID
	// A POS retries a failed call after a pause, which outlasts a restart.
	pause := func(attempt int) { time.Sleep(time.Duration(attempt) * 400 * time.Millisecond) }
	untilAnswered(func() []answer {
		answers := twice(request{Method: http.MethodPost, Path: "/v1/checkouts", Body: string(body), Headers: map[string]string{"Idempotency-Key": key}})
		for _, a := range answers {
			o.started = o.started || a.Status == http.StatusCreated || a.Status == http.StatusAccepted
		}
		if o.started {
			return nil // the duplicate's "in progress" needs no retry
		}
		return answers
	})
	if !o.started || o.outcome == "timeout" {
		return
	}
	path, payload := "/v1/checkouts/"+id+"/payment", `{"outcome":"`+o.outcome+`"}`
	if o.outcome == "cancel" {
		path, payload = "/v1/checkouts/"+id+"/cancel", ""
	}
	for attempt := range 5 {
		pause(attempt)
		done := false
		for _, a := range twice(request{Method: http.MethodPost, Path: path, Body: payload, Headers: map[string]string{"Idempotency-Key": fmt.Sprintf("%s-report-%d", key, attempt)}}) {
			done = done || a.Status < 300 || a.Status == http.StatusConflict
		}
		if done {
			break
		}
	}
	if !o.returned {
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		a, _ := chaosExchange(request{Method: http.MethodGet, Path: "/v1/checkouts/" + id})
		if strings.Contains(string(a.Body), `"status":"completed"`) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	untilAnswered(func() []answer {
		a, _ := chaosExchange(request{Method: http.MethodPost, Path: "/v1/orders/" + o.six.basket.OrderID + "/returns", Key: stack.BackofficeKey,
			Headers: map[string]string{"Location-Id": "shop-1", "Idempotency-Key": key + "-return"}, Body: `{"return_id":"R1","full":true}`})
		return []answer{a}
	})
}

// untilAnswered sends a request again, with its Idempotency-Key, as the API
// asks a client to: after a 5xx, a 429 or a request still in progress, it
// waits as Retry-After says, for up to 90 s; any other answer ends it.
func untilAnswered(send func() []answer) {
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
		wait, again := 400*time.Millisecond, false
		for _, a := range send() {
			inProgress := a.Status == http.StatusConflict && strings.Contains(string(a.Body), `"request_in_progress"`)
			if a.Status >= 500 || a.Status == http.StatusTooManyRequests || inProgress || a.Status == 0 {
				again = true
				if seconds, err := strconv.Atoi(a.Header.Get("Retry-After")); err == nil {
					wait = max(wait, min(time.Duration(seconds)*time.Second, 5*time.Second))
				}
			}
		}
		if !again {
			return
		}
		time.Sleep(wait)
	}
}

// settle waits for the checkout, and its return, to end, and reads how.
func (o *chaosOrder) settle(t *testing.T) {
	// A start answered with an error may still have created the checkout
	// (a refusal found while reserving): the ledger tells.
	if a := call(t, request{Method: http.MethodGet, Path: "/v1/checkouts/shop-1." + o.six.basket.OrderID}); a.Status == http.StatusNotFound {
		o.status, o.started = "not started", false
		return
	}
	o.started = true
	v := settle(t, "shop-1."+o.six.basket.OrderID)
	o.status = v.Status
	for _, s := range v.Steps {
		if s.State == "needs_attention" {
			o.problems = append(o.problems, s.ID+": "+s.Detail)
		}
		if s.ID == "voucher_lock:vouchers[0]" {
			o.lockStep = s.State
		}
	}
	if o.status != "completed" || !o.returned {
		return
	}
	a := call(t, request{Method: http.MethodGet, Path: "/v1/orders/" + o.six.basket.OrderID, Key: stack.BackofficeKey, Headers: map[string]string{"Location-Id": "shop-1"}})
	var order orderView
	if json.Unmarshal(a.Body, &order) != nil || len(order.Returns) == 0 {
		o.returned = false // the return itself was refused under the faults: the order stands
		return
	}
	deadline := time.Now().Add(60 * time.Second)
	r := order.Returns[0]
	for r.Status == "processing" && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		b := call(t, request{Method: http.MethodGet, Path: "/v1/orders/" + o.six.basket.OrderID + "/returns/R1", Key: stack.BackofficeKey, Headers: map[string]string{"Location-Id": "shop-1"}})
		_ = json.Unmarshal(b.Body, &r)
	}
	if r.Status == "needs_attention" {
		o.status = "needs_attention"
		o.problems = append(o.problems, "return: "+strings.Join(r.Problems, "; "))
	}
	if r.Status == "processing" {
		o.status = "processing"
	}
}

// differences compares the sandbox with what the order's end means: every
// balance as before it (refused, cancelled, or returned in full), or every
// balance moved exactly once (completed). It counts the differences that
// moved a balance further than the order allows: a write applied twice.
func (o *chaosOrder) differences(t *testing.T) (diffs []string, doubles int) {
	if o.status == "needs_attention" || o.status == "processing" {
		return nil, 0
	}
	paid := o.status == "completed" && !o.returned
	want := map[string][2]int64{ // what: {before, expected}
		"card":    {200, 200},
		"prepaid": {500, 500},
	}
	if paid && o.card {
		want["card"] = [2]int64{200, 0}
	}
	if paid {
		p := want["prepaid"]
		if o.prepaid {
			p[1] -= 100
		}
		if o.sale {
			p[1] += 310
		}
		want["prepaid"] = p
	}
	got := map[string]int64{"card": giftcardBalance(t, o.six.card), "prepaid": prepaidBalance(t, o.six.contact)}
	for what, w := range want {
		if got[what] == w[1] {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%s holds %d, want %d", what, got[what], w[1]))
		if abs(got[what]-w[0]) > abs(w[1]-w[0]) {
			doubles++
		}
	}
	if o.voucher {
		status := voucherStatus(t, o.six.voucher)
		if wantRedeemed := paid; (status == leat.VoucherRedeemed) != wantRedeemed {
			diffs = append(diffs, fmt.Sprintf("voucher %s", status))
		}
	}
	points := balance(t, o.six.contact)
	switch {
	case !paid && points != 1000:
		diffs = append(diffs, fmt.Sprintf("points %d, want 1000", points))
	case paid && o.reward && points >= 1000:
		diffs = append(diffs, fmt.Sprintf("points %d after redeeming a reward", points))
	}
	if o.started {
		diffs = append(diffs, ledgerDifferences(t, o.six.basket.OrderID)...)
	}
	return diffs, doubles
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
