package localstack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Returns, end to end: the back office's API, the real handlers, the real
// return.asl.json on the local engine, DynamoDB Local and the sandbox. Every
// scenario runs under every sandbox variant, and checks the sandbox itself.

// returnView is what the scenarios read of a return answer.
type returnView struct {
	ReturnID string `json:"return_id"`
	OrderID  string `json:"order_id"`
	Status   string `json:"status"`
	Lines    []struct {
		LineID   string `json:"line_id"`
		Quantity int64  `json:"quantity"`
		Amount   int64  `json:"amount"`
	} `json:"lines"`
	Refunds []struct {
		Tender string `json:"tender"`
		Amount int64  `json:"amount"`
		Method string `json:"method"`
		State  string `json:"state"`
	} `json:"refunds"`
	OffersReversed  []string `json:"offers_reversed"`
	TakenBack       []string `json:"taken_back"`
	PointsCorrected *int64   `json:"points_corrected"`
	Steps           []struct {
		ID, State string
	} `json:"steps"`
	Problems []string `json:"problems"`
	Retries  []struct {
		By string `json:"by"`
	} `json:"retries"`
}

// returnOrder posts a return for the back office and reads the answer.
func returnOrder(t testing.TB, orderID string, body map[string]any) (answer, returnView) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	a := call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + orderID + "/returns", Key: stack.BackofficeKey,
		Headers: map[string]string{"Location-Id": "shop-1"}, Body: string(raw)})
	var v returnView
	if a.Status < 300 {
		if err := json.Unmarshal(a.Body, &v); err != nil {
			t.Fatalf("return answer %d: %v: %s", a.Status, err, a.Body)
		}
	}
	return a, v
}

// returned posts a return that must be recorded in full, reading it until
// its saga has recorded it when the answer came first.
func returned(t testing.TB, orderID string, body map[string]any) returnView {
	t.Helper()
	a, v := returnOrder(t, orderID, body)
	deadline := time.Now().Add(30 * time.Second)
	for a.Status < 300 && v.Status == "processing" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		a = call(t, request{Method: http.MethodGet, Path: "/v1/orders/" + orderID + "/returns/" + v.ReturnID, Key: stack.BackofficeKey,
			Headers: map[string]string{"Location-Id": "shop-1"}})
		if err := json.Unmarshal(a.Body, &v); err != nil {
			t.Fatalf("return answer %d: %v: %s", a.Status, err, a.Body)
		}
	}
	if v.Status != "completed" {
		t.Fatalf("return: %d %s", a.Status, a.Body)
	}
	return v
}

// paidOrder runs a basket through a paid checkout and answers its order id.
func paidOrder(t testing.TB, b *basket) (string, checkoutView) {
	t.Helper()
	v := startCheckout(t, b)
	done := report(t, v.CheckoutID, "paid")
	if done.Status != "completed" {
		t.Fatalf("checkout %s", done.Status)
	}
	return b.OrderID, done
}

type orderView struct {
	Lines []struct {
		ID               string `json:"id"`
		ReturnedQuantity int64  `json:"returned_quantity"`
	} `json:"lines"`
	Tenders []struct {
		Source         string `json:"source"`
		Paid, Refunded int64
	} `json:"tenders"`
	Returns []returnView `json:"returns"`
}

func readOrder(t testing.TB, orderID string) orderView {
	t.Helper()
	a := call(t, request{Method: http.MethodGet, Path: "/v1/orders/" + orderID, Key: stack.BackofficeKey, Headers: map[string]string{"Location-Id": "shop-1"}})
	var o orderView
	if a.Status != http.StatusOK || json.Unmarshal(a.Body, &o) != nil {
		t.Fatalf("order: %d %s", a.Status, a.Body)
	}
	return o
}

// TestReturns runs every return scenario under every variant.
func TestReturns(t *testing.T) { runUnderVariants(t, returnScenarios()) }

func returnScenarios() []scenario {
	return []scenario{
		{"a full return of all six flows leaves Leat as if the order never happened", func(t *testing.T) {
			// The rack's empty physical card, for this run and the tests after.
			stack.Sandbox.Reset()
			t.Cleanup(stack.Sandbox.Reset)
			six := newSixFlows(t, "GC-0000-0001")
			orderID, done := paidOrder(t, six.basket)
			six.assertEnded(t, done)
			r := returned(t, orderID, map[string]any{"return_id": "R1", "full": true})
			assertLedgerMatchesSandbox(t, orderID)
			if balance(t, six.contact) != 1000 || giftcardBalance(t, six.card) != 200 || prepaidBalance(t, six.contact) != 500 ||
				voucherStatus(t, six.voucher) != leat.VoucherActive || giftcardBalance(t, "GC-0000-0001") != 0 {
				t.Errorf("after the return: points %d, card %d, prepaid %d, voucher %s, sold card %d", balance(t, six.contact),
					giftcardBalance(t, six.card), prepaidBalance(t, six.contact), voucherStatus(t, six.voucher), giftcardBalance(t, "GC-0000-0001"))
			}
			if len(r.OffersReversed) != 2 || len(r.TakenBack) != 2 || len(r.Refunds) != 2 || r.PointsCorrected == nil || *r.PointsCorrected >= 0 {
				t.Errorf("return %+v", r)
			}
			for _, f := range r.Refunds {
				if f.State != "done" || f.Method != "reverse" {
					t.Errorf("refund %+v", f)
				}
			}
			again, _ := returnOrder(t, orderID, map[string]any{"return_id": "R2", "full": true})
			if again.Status != http.StatusConflict || again.problemCode(t) != "nothing_left_to_return" {
				t.Errorf("a second full return: %d %s", again.Status, again.Body)
			}
		}},
		{"two partial returns correct points and refunds in proportion; a third finds nothing left", func(t *testing.T) {
			contact := newCustomer(t, 0)
			card := newGiftcard(t, 5000)
			b := newBasket(contact).tender("giftcard", card, 2040, false) // half of the EUR 40.80 basket
			orderID, done := paidOrder(t, b)
			earned := *done.Result.PointsEarned
			// Line 4: two sandwiches, EUR 29.00; one comes back, then the other.
			first := returned(t, orderID, map[string]any{"return_id": "R1", "lines": []map[string]any{{"line_id": "4", "quantity": 1}}})
			if len(first.Refunds) != 1 || first.Refunds[0].Amount != 725 || first.Refunds[0].Method != "credit" || giftcardBalance(t, card) != 5000-2040+725 {
				t.Errorf("first return: refunds %+v, card %d", first.Refunds, giftcardBalance(t, card))
			}
			second := returned(t, orderID, map[string]any{"return_id": "R2", "lines": []map[string]any{{"line_id": "4", "quantity": 1}}})
			if len(second.Refunds) != 1 || second.Refunds[0].Amount != 725 || giftcardBalance(t, card) != 5000-2040+1450 {
				t.Errorf("second return: refunds %+v, card %d", second.Refunds, giftcardBalance(t, card))
			}
			if got := balance(t, contact); got >= earned || got < 0 {
				t.Errorf("points %d after returning most of an order that earned %d", got, earned)
			}
			third, _ := returnOrder(t, orderID, map[string]any{"return_id": "R3", "lines": []map[string]any{{"line_id": "1", "quantity": 1}, {"line_id": "4", "quantity": 1}}})
			if third.Status != http.StatusConflict || third.problemCode(t) != "nothing_left_to_return" || !strings.Contains(string(third.Body), `"field":"lines[1]"`) {
				t.Errorf("a third return: %d %s", third.Status, third.Body)
			}
			// The rest comes back whole: the tender gets exactly what it paid, in total.
			rest := returned(t, orderID, map[string]any{"return_id": "R4", "full": true})
			if giftcardBalance(t, card) != 5000 || balance(t, contact) != 0 {
				t.Errorf("after everything came back: card %d, points %d, refunds %+v", giftcardBalance(t, card), balance(t, contact), rest.Refunds)
			}
			assertLedgerMatchesSandbox(t, orderID)
			o := readOrder(t, orderID)
			if len(o.Returns) != 3 || o.Tenders[0].Refunded != 2040 || slices.ContainsFunc(o.Lines, func(l struct {
				ID               string `json:"id"`
				ReturnedQuantity int64  `json:"returned_quantity"`
			}) bool {
				return l.ReturnedQuantity == 0
			}) {
				t.Errorf("order %+v", o)
			}
		}},
		{"a card used by a later order is refunded by a credit", func(t *testing.T) {
			contact := newCustomer(t, 0)
			card := newGiftcard(t, 3000)
			orderID, _ := paidOrder(t, newBasket(contact).tender("giftcard", card, 1000, false))
			spendElsewhere(t, card, 500)
			r := returned(t, orderID, map[string]any{"return_id": "R1", "full": true})
			assertLedgerMatchesSandbox(t, orderID)
			if len(r.Refunds) != 1 || r.Refunds[0].Method != "credit" || giftcardBalance(t, card) != 2500 {
				t.Errorf("refunds %+v, card %d", r.Refunds, giftcardBalance(t, card))
			}
		}},
		{"the same return twice changes Leat once; a new id for what came back is refused", func(t *testing.T) {
			contact := newCustomer(t, 0)
			card := newGiftcard(t, 3000)
			orderID, _ := paidOrder(t, newBasket(contact).tender("giftcard", card, 1000, false))
			body := `{"return_id":"R1","full":true}`
			key := fmt.Sprintf("return-%s", orderID)
			send := func() answer {
				return call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + orderID + "/returns", Key: stack.BackofficeKey,
					Headers: map[string]string{"Location-Id": "shop-1", "Idempotency-Key": key}, Body: body})
			}
			first, second := send(), send()
			if first.Status != http.StatusCreated || second.Status != http.StatusCreated || giftcardBalance(t, card) != 3000 {
				t.Errorf("twice: %d, %d, card %d", first.Status, second.Status, giftcardBalance(t, card))
			}
			other, _ := returnOrder(t, orderID, map[string]any{"return_id": "R2", "full": true})
			if other.Status != http.StatusConflict || other.problemCode(t) != "nothing_left_to_return" {
				t.Errorf("another return: %d %s", other.Status, other.Body)
			}
			sameID, _ := returnOrder(t, orderID, map[string]any{"return_id": "R1", "full": true})
			if sameID.Status != http.StatusConflict || sameID.problemCode(t) != "return_exists" {
				t.Errorf("the same id with another key: %d %s", sameID.Status, sameID.Body)
			}
		}},
		{"a collected reward given back is collectable again", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			collectable := preRedeem(t, contact)
			orderID, _ := paidOrder(t, newBasket(contact).collect(collectable))
			if slices.Contains(collectables(t, contact), rewardCroissant) {
				t.Fatal("the croissant was not collected")
			}
			r := returned(t, orderID, map[string]any{"return_id": "R1", "full": true})
			if !slices.Equal(r.OffersReversed, []string{"collect[0]"}) || !slices.Contains(collectables(t, contact), rewardCroissant) {
				t.Errorf("offers %v, collectables %v", r.OffersReversed, collectables(t, contact))
			}
		}},
		{"a giftcard sold and spent since cannot be returned", func(t *testing.T) {
			// The rack's empty physical card, for this run and the tests after.
			stack.Sandbox.Reset()
			t.Cleanup(stack.Sandbox.Reset)
			contact := newCustomer(t, 0)
			orderID, _ := paidOrder(t, newBasket(contact).sell("GC-0000-0001", ""))
			spendElsewhere(t, "GC-0000-0001", 100)
			a, _ := returnOrder(t, orderID, map[string]any{"return_id": "R1", "lines": []map[string]any{{"line_id": "4", "quantity": 2}}})
			if a.Status != http.StatusConflict || a.problemCode(t) != "giftcard_already_spent" || !strings.Contains(string(a.Body), `"field":"lines[0]"`) {
				t.Errorf("%d %s", a.Status, a.Body)
			}
		}},
		{"Leat's answers to return writes lost, one kind at a time", func(t *testing.T) {
			for _, fault := range []string{
				"response_lost POST /order-returns/create-and-process x1",
				"response_lost POST /reward-receptions/{uuid}/reverse x1",
				"response_lost POST /vouchers/{uuid}/reverse x1",
				"response_lost POST /giftcard-transactions/{uuid}/reverse x1",
				"response_lost POST /prepaid-transactions/{uuid}/reverse x1",
			} {
				t.Run(fault, func(t *testing.T) { returnsEverything(t, fault) })
			}
		}},
		{"Leat's answers lost while taking back what the order sold", func(t *testing.T) {
			stack.Sandbox.Reset()
			t.Cleanup(stack.Sandbox.Reset)
			six := newSixFlows(t, "GC-0000-0001")
			orderID, _ := paidOrder(t, six.basket)
			withFaults(t, "response_lost POST /giftcard-transactions/{uuid}/reverse x2; response_lost POST /prepaid-transactions/{uuid}/reverse x2")
			returned(t, orderID, map[string]any{"return_id": "R1", "full": true})
			assertLedgerMatchesSandbox(t, orderID)
			if giftcardBalance(t, six.card) != 200 || prepaidBalance(t, six.contact) != 500 || giftcardBalance(t, "GC-0000-0001") != 0 {
				t.Errorf("card %d, prepaid %d, sold card %d", giftcardBalance(t, six.card), prepaidBalance(t, six.contact), giftcardBalance(t, "GC-0000-0001"))
			}
		}},
		{"Leat's answer lost while giving a collected reward back", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			orderID, _ := paidOrder(t, newBasket(contact).collect(preRedeem(t, contact)))
			withFaults(t, "response_lost POST /collectable-rewards/{uuid}/reverse x1")
			returned(t, orderID, map[string]any{"return_id": "R1", "full": true})
			if !slices.Contains(collectables(t, contact), rewardCroissant) {
				t.Errorf("collectables %v", collectables(t, contact))
			}
		}},
		{"Leat's answers to partial refunds lost, or refused for a while", func(t *testing.T) {
			for _, fault := range []string{"response_lost POST /giftcard-transactions x1", "response_lost POST /prepaid-transactions x1",
				"maintenance POST /giftcard-transactions x1; rate_limit POST /giftcard-transactions x1; maintenance POST /prepaid-transactions x1; rate_limit POST /prepaid-transactions x1"} {
				contact := newCustomer(t, 0)
				topUpPrepaid(t, contact, 1000)
				card := newGiftcard(t, 1000)
				orderID, _ := paidOrder(t, newBasket(contact).tender("giftcard", card, 1000, false).tender("prepaid", "", 1000, false))
				withFaults(t, fault)
				r := returned(t, orderID, map[string]any{"return_id": "R1", "refunds": []map[string]any{{"tender": "tenders[0]", "amount": 300}, {"tender": "tenders[1]", "amount": 200}},
					"lines": []map[string]any{{"line_id": "1", "quantity": 1}}})
				assertLedgerMatchesSandbox(t, orderID)
				if giftcardBalance(t, card) != 300 || prepaidBalance(t, contact) != 200 {
					t.Errorf("%s: card %d, prepaid %d, refunds %+v", fault, giftcardBalance(t, card), prepaidBalance(t, contact), r.Refunds)
				}
			}
		}},
		{"Leat in maintenance and rate limiting on every return write", func(t *testing.T) {
			returnsEverything(t, "maintenance POST /order-returns/create-and-process x1; rate_limit POST /order-returns/create-and-process x1; "+
				"maintenance POST /reward-receptions/{uuid}/reverse x1; rate_limit POST /reward-receptions/{uuid}/reverse x1; "+
				"maintenance POST /vouchers/{uuid}/reverse x1; rate_limit POST /vouchers/{uuid}/reverse x1; "+
				"maintenance POST /giftcard-transactions/{uuid}/reverse x1; rate_limit POST /giftcard-transactions/{uuid}/reverse x1; "+
				"maintenance POST /prepaid-transactions/{uuid}/reverse x1; rate_limit POST /prepaid-transactions/{uuid}/reverse x1")
		}},
		{"a refund Leat refuses needs attention, and alerts", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 1000)
			b := newBasket(contact).tender("prepaid", "", 600, false)
			orderID, _ := paidOrder(t, b)
			withFaults(t, "refuse=1003 POST /prepaid-transactions/{uuid}/reverse x1")
			a, v := returnOrder(t, orderID, map[string]any{"return_id": "R1", "full": true})
			if a.Status != http.StatusCreated || v.Status != "needs_attention" || len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "prepaid_debit:tenders[0]") {
				t.Fatalf("%d %s", a.Status, a.Body)
			}
			// Not refunded, and not refunded twice by a later return either.
			if prepaidBalance(t, contact) != 400 {
				t.Errorf("prepaid %d", prepaidBalance(t, contact))
			}
			id, _ := ledger.NewCheckoutID("shop-1", orderID)
			if status, failure := describeExecution(t, "ReturnStateMachine", checkout.ReturnExecutionName(stack.Tenant.ID, id, "R1")); status != "FAILED" || failure != "ReturnNeedsAttention" {
				t.Errorf("execution %s %s", status, failure)
			}
			// What the return took stays taken: an operator settles the refund, no second return repeats it.
			again, _ := returnOrder(t, orderID, map[string]any{"return_id": "R2", "full": true})
			if again.Status != http.StatusConflict || again.problemCode(t) != "nothing_left_to_return" {
				t.Errorf("returning again: %d %s", again.Status, again.Body)
			}
		}},
		{"an order that never completed cannot be returned", func(t *testing.T) {
			contact := newCustomer(t, 0)
			b := newBasket(contact)
			v := startCheckout(t, b)
			report(t, v.CheckoutID, "failed")
			a, _ := returnOrder(t, b.OrderID, map[string]any{"return_id": "R1", "full": true})
			if a.Status != http.StatusConflict || a.problemCode(t) != "order_not_completed" {
				t.Errorf("%d %s", a.Status, a.Body)
			}
		}},
	}
}

// returnsEverything returns in full, under the faults, an order that redeemed
// a reward and a voucher and paid with a giftcard and prepaid, then checks
// the sandbox is as before the order.
func returnsEverything(t *testing.T, faults string) {
	t.Helper()
	contact := newCustomer(t, 1000)
	topUpPrepaid(t, contact, 500)
	card, code := newGiftcard(t, 800), newVoucher(t, promotionWelcome, contact)
	orderID, _ := paidOrder(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse").voucher(code, "redeem_reverse").
		tender("giftcard", card, 800, false).tender("prepaid", "", 300, false))
	withFaults(t, faults)
	r := returned(t, orderID, map[string]any{"return_id": "R1", "full": true})
	assertLedgerMatchesSandbox(t, orderID)
	if balance(t, contact) != 1000 || giftcardBalance(t, card) != 800 || prepaidBalance(t, contact) != 500 || voucherStatus(t, code) != leat.VoucherActive {
		t.Errorf("points %d, card %d, prepaid %d, voucher %s; return %+v", balance(t, contact), giftcardBalance(t, card), prepaidBalance(t, contact), voucherStatus(t, code), r)
	}
}

// TestReturnRoutesAuthorization: the order and return routes are the back
// office's; a till or an operator may not call them, and another tenant's
// key finds nothing, even at a location of the same id.
func TestReturnRoutesAuthorization(t *testing.T) {
	contact := newCustomer(t, 0)
	orderID, _ := paidOrder(t, newBasket(contact))
	returned(t, orderID, map[string]any{"return_id": "R1", "lines": []map[string]any{{"line_id": "1", "quantity": 1}}})
	routes := []request{
		{Method: http.MethodGet, Path: "/v1/orders/" + orderID},
		{Method: http.MethodGet, Path: "/v1/orders/" + orderID + "/returns/R1"},
		{Method: http.MethodPost, Path: "/v1/orders/" + orderID + "/returns", Body: `{"return_id":"R2","lines":[{"line_id":"2","quantity":1}]}`},
	}
	otherBackOffice := otherTenantKey(t, tenancy.ScopeBackend, "shop-1")
	keys := []struct {
		name   string
		key    string
		status int
		code   string
	}{
		{"a till", stack.POSKey, http.StatusForbidden, "forbidden"},
		{"an operator", stack.OpsKey, http.StatusForbidden, "forbidden"},
		{"another tenant's back office", otherBackOffice, http.StatusNotFound, "checkout_not_found"},
	}
	for _, route := range routes {
		for _, k := range keys {
			t.Run(route.Method+" "+route.Path+" as "+k.name, func(t *testing.T) {
				r := route
				r.Key, r.Headers = k.key, map[string]string{"Location-Id": "shop-1"}
				if a := call(t, r); a.Status != k.status || a.problemCode(t) != k.code {
					t.Errorf("%d %s, want %d %s", a.Status, a.Body, k.status, k.code)
				}
			})
		}
	}
	if o := readOrder(t, orderID); len(o.Returns) != 1 {
		t.Errorf("returns %+v: a refused caller changed the order", o.Returns)
	}
}

// TestConcurrentReturns sends the same return twice at once, and two returns
// of the same lines under other ids at once: Leat gives the money back once,
// and the order records one return.
func TestConcurrentReturns(t *testing.T) {
	contact := newCustomer(t, 0)
	card := newGiftcard(t, 3000)
	orderID, _ := paidOrder(t, newBasket(contact).tender("giftcard", card, 1000, false))
	send := func(key, returnID string) request {
		return request{Method: http.MethodPost, Path: "/v1/orders/" + orderID + "/returns", Key: stack.BackofficeKey,
			Headers: map[string]string{"Location-Id": "shop-1", "Idempotency-Key": key}, Body: `{"return_id":"` + returnID + `","full":true}`}
	}
	same := "return-" + orderID
	requests := []request{send(same, "R1"), send(same, "R1"), send(same+"-2", "R2"), send(same+"-3", "R3")}
	answers := make([]answer, len(requests))
	errs := make([]error, len(requests))
	var wg sync.WaitGroup
	for i, r := range requests {
		wg.Go(func() { answers[i], errs[i] = exchange(r) })
	}
	wg.Wait()
	recorded := 0
	for i, a := range answers {
		switch {
		case errs[i] != nil:
			t.Fatal(errs[i])
		case a.Status == http.StatusCreated || a.Status == http.StatusAccepted:
			recorded++
		case a.Status != http.StatusConflict:
			t.Errorf("request %d: %d %s", i, a.Status, a.Body)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for giftcardBalance(t, card) != 3000 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	o := readOrder(t, orderID)
	if len(o.Returns) != 1 || giftcardBalance(t, card) != 3000 || o.Tenders[0].Refunded != 1000 || recorded == 0 {
		t.Errorf("returns %d, card %d, refunded %d, %d answers recorded one", len(o.Returns), giftcardBalance(t, card), o.Tenders[0].Refunded, recorded)
	}
}

// TestListOrders pages through the location's orders, newest first, and
// keeps a status.
func TestListOrders(t *testing.T) {
	contact := newCustomer(t, 0)
	first, _ := paidOrder(t, newBasket(contact))
	second, _ := paidOrder(t, newBasket(contact))
	failed := newBasket(contact)
	report(t, startCheckout(t, failed).CheckoutID, "failed")
	type page struct {
		Orders []struct {
			OrderID string `json:"order_id"`
			Status  string `json:"status"`
		} `json:"orders"`
		NextCursor *string `json:"next_cursor"`
	}
	list := func(query string) page {
		t.Helper()
		a := call(t, request{Method: http.MethodGet, Path: "/v1/orders?" + query, Key: stack.BackofficeKey, Headers: map[string]string{"Location-Id": "shop-1"}})
		var p page
		if a.Status != http.StatusOK || json.Unmarshal(a.Body, &p) != nil {
			t.Fatalf("list %s: %d %s", query, a.Status, a.Body)
		}
		return p
	}
	since := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	p1 := list("limit=2&from=" + since)
	if len(p1.Orders) != 2 || p1.Orders[0].OrderID != failed.OrderID || p1.Orders[1].OrderID != second || p1.NextCursor == nil {
		t.Fatalf("first page %+v", p1)
	}
	p2 := list("limit=2&from=" + since + "&cursor=" + *p1.NextCursor)
	if len(p2.Orders) == 0 || p2.Orders[0].OrderID != first {
		t.Errorf("second page %+v", p2)
	}
	completed := list("status=completed&from=" + since)
	if len(completed.Orders) < 2 || slices.ContainsFunc(completed.Orders, func(o struct {
		OrderID string `json:"order_id"`
		Status  string `json:"status"`
	}) bool {
		return o.Status != "completed"
	}) {
		t.Errorf("completed %+v", completed)
	}
	for _, bad := range []string{"status=lost", "from=yesterday", "limit=0", "cursor=nope"} {
		a := call(t, request{Method: http.MethodGet, Path: "/v1/orders?" + bad, Key: stack.BackofficeKey, Headers: map[string]string{"Location-Id": "shop-1"}})
		if a.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", bad, a.Status, a.Body)
		}
	}
	if a := call(t, request{Method: http.MethodGet, Path: "/v1/orders", Key: stack.POSKey}); a.Status != http.StatusForbidden {
		t.Errorf("a till listing orders: %d", a.Status)
	}
}

// TestBadReturnsWriteNothing refuses every bad return before any Leat write,
// naming the field at fault.
func TestBadReturnsWriteNothing(t *testing.T) {
	contact := newCustomer(t, 1000)
	topUpPrepaid(t, contact, 1000)
	orderID, _ := paidOrder(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").topUp().tender("prepaid", "", 500, false))
	spendPrepaid := func() { topUpPrepaid(t, contact, -prepaidBalance(t, contact)) } // the credit sold, spent
	tests := []struct {
		name   string
		body   map[string]any
		before func()
		status int
		code   string
		field  string
	}{
		{"no return id", map[string]any{"full": true}, nil, 400, "validation_failed", "return_id"},
		{"neither full nor lines", map[string]any{"return_id": "X"}, nil, 400, "validation_failed", "full"},
		{"full and lines", map[string]any{"return_id": "X", "full": true, "lines": []map[string]any{{"line_id": "1", "quantity": 1}}}, nil, 400, "validation_failed", "lines"},
		{"a zero quantity", map[string]any{"return_id": "X", "lines": []map[string]any{{"line_id": "1", "quantity": 0}}}, nil, 400, "validation_failed", "lines[0].quantity"},
		{"an unknown line", map[string]any{"return_id": "X", "lines": []map[string]any{{"line_id": "9", "quantity": 1}}}, nil, 400, "validation_failed", "lines[0].line_id"},
		{"more than was bought", map[string]any{"return_id": "X", "lines": []map[string]any{{"line_id": "2", "quantity": 3}}}, nil, 409, "nothing_left_to_return", "lines[0]"},
		{"a refund over what the tender paid", map[string]any{"return_id": "X", "full": true, "refunds": []map[string]any{{"tender": "tenders[0]", "amount": 501}}}, nil, 422, "refund_exceeds_tender", "refunds[0]"},
		{"a refund to no tender", map[string]any{"return_id": "X", "full": true, "refunds": []map[string]any{{"tender": "tenders[3]", "amount": 1}}}, nil, 400, "validation_failed", "refunds[0].tender"},
		{"an offer the order did not redeem", map[string]any{"return_id": "X", "full": true, "reverse_offers": []string{"vouchers[0]"}}, nil, 409, "offer_not_reversible", "reverse_offers[0]"},
		{"a bad return id", map[string]any{"return_id": "no spaces", "full": true}, nil, 400, "validation_failed", "return_id"},
		{"prepaid credit sold and spent", map[string]any{"return_id": "X", "lines": []map[string]any{{"line_id": "3", "quantity": 1}}}, spendPrepaid, 409, "prepaid_already_spent", "lines[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			stack.Sandbox.ClearRequests()
			a, _ := returnOrder(t, orderID, tt.body)
			if a.Status != tt.status || a.problemCode(t) != tt.code {
				t.Fatalf("%d %s, want %d %s", a.Status, a.Body, tt.status, tt.code)
			}
			if !strings.Contains(string(a.Body), `"field":"`+tt.field+`"`) {
				t.Errorf("the answer does not name %s: %s", tt.field, a.Body)
			}
			for _, r := range stack.Sandbox.Requests() {
				if r.Method != http.MethodGet {
					t.Errorf("a Leat write happened: %s %s", r.Method, r.Path)
				}
			}
		})
	}
	if o := readOrder(t, orderID); len(o.Returns) != 0 {
		t.Errorf("returns %+v", o.Returns)
	}
}

// assertLedgerMatchesSandbox checks every money transaction the ledger
// records for the order, and every reversal of one, against Leat's own
// books in the sandbox: each is there, with the amount and sign recorded.
func assertLedgerMatchesSandbox(t testing.TB, orderID string) {
	t.Helper()
	for _, d := range ledgerDifferences(t, orderID) {
		t.Error(d)
	}
}

// ledgerDifferences lists where the order's money transactions in the ledger
// and Leat's books in the sandbox disagree.
func ledgerDifferences(t testing.TB, orderID string) []string {
	t.Helper()
	var diffs []string
	a := call(t, request{Method: http.MethodGet, Path: "/v1/orders/" + orderID, Key: stack.BackofficeKey, Headers: map[string]string{"Location-Id": "shop-1"}})
	var o struct {
		ContactUUID  *string `json:"contact_uuid"`
		Transactions []struct {
			ID, Kind, State string
			LeatUUID        *string `json:"leat_uuid"`
			ReversalUUID    *string `json:"reversal_uuid"`
			Amount          int64   `json:"amount"`
			ReversedBy      string  `json:"reversed_by"`
		} `json:"transactions"`
	}
	if err := json.Unmarshal(a.Body, &o); err != nil {
		t.Fatal(err)
	}
	ctx, client := context.Background(), leatClient(t)
	prepaid := map[string]int64{}
	if o.ContactUUID != nil {
		for page := 1; ; page++ {
			p, err := client.ListPrepaidTransactions(ctx, leat.ListPrepaidTransactionsRequest{ContactUUID: *o.ContactUUID, Page: page, Limit: 30})
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range p.Items {
				prepaid[tx.UUID] = tx.AmountInCents
			}
			if len(p.Items) < 30 {
				break
			}
		}
	}
	amountOf := func(kind, uuid string) (int64, bool) {
		if strings.HasPrefix(kind, "prepaid_") {
			amount, found := prepaid[uuid]
			return amount, found
		}
		tx, err := client.GetGiftcardTransaction(ctx, uuid)
		if err != nil {
			return 0, false
		}
		return tx.AmountInCents, true
	}
	for _, tx := range o.Transactions {
		sign := int64(1)
		switch tx.Kind {
		case "giftcard_debit", "prepaid_debit":
			sign = -1
		case "giftcard_load", "prepaid_top_up", "giftcard_refund", "prepaid_refund":
		default:
			continue
		}
		if tx.State == "failed" {
			continue // refused by Leat: nothing was applied
		}
		if tx.State != "done" && tx.State != "reversed" {
			diffs = append(diffs, fmt.Sprintf("%s is %s", tx.ID, tx.State))
			continue
		}
		if tx.LeatUUID == nil {
			continue // found again by its tag or amount, never named
		}
		if amount, found := amountOf(tx.Kind, *tx.LeatUUID); !found || amount != sign*tx.Amount {
			diffs = append(diffs, fmt.Sprintf("%s: Leat has %d (found %v), the ledger %d", tx.ID, amount, found, sign*tx.Amount))
		}
		if tx.State == "reversed" && tx.ReversalUUID != nil {
			if amount, found := amountOf(tx.Kind, *tx.ReversalUUID); !found || amount != -sign*tx.Amount {
				diffs = append(diffs, fmt.Sprintf("%s's reversal (%s): Leat has %d (found %v), the ledger %d", tx.ID, tx.ReversedBy, amount, found, -sign*tx.Amount))
			}
		}
	}
	return diffs
}
