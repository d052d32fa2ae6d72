package localstack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/ledger"
)

// TestOperatorRetriesAStuckCheckout drives a checkout into needs_attention
// (Leat failing every reversal of its reward), sees the alert event and the
// operators' list, fixes Leat, retries through the ops API, and ends with
// the points given back, the checkout cancelled, the retry recorded and the
// outcome published.
func TestOperatorRetriesAStuckCheckout(t *testing.T) {
	contact := newCustomer(t, 1000)
	b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "")
	v := startCheckout(t, b)
	if balance(t, contact) >= 1000 {
		t.Fatal("the reward's points were not taken while reserving")
	}
	withFaults(t, "server_error POST /reward-receptions/{uuid}/reverse")
	stuck := report(t, v.CheckoutID, "failed")
	if stuck.Status != "needs_attention" {
		t.Fatalf("with every reversal failing the checkout is %s", stuck.Status)
	}
	explained := false
	for _, s := range stuck.Steps {
		explained = explained || s.State == "needs_attention" && s.Detail != ""
	}
	if !explained {
		t.Fatalf("no step says why the checkout needs attention: %+v", stuck.Steps)
	}

	events, details := outcomeEvents(t, b.OrderID, 1)
	if len(events) != 1 || events[0].DetailType != "saga.needs_attention" || len(details[0].Problems) == 0 {
		t.Fatalf("events %+v", details)
	}
	if !alertRuleMatches(t, events[0].Source, events[0].DetailType) {
		t.Errorf("the template's alert rule does not match %s %s", events[0].Source, events[0].DetailType)
	}

	ops := func(method, path string) answer {
		return call(t, request{Method: method, Path: path, Key: stack.OpsKey, Headers: map[string]string{"Location-Id": "shop-1"}})
	}
	var list struct {
		Checkouts []checkoutView `json:"checkouts"`
	}
	if err := json.Unmarshal(ops(http.MethodGet, "/v1/ops/checkouts").Body, &list); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list.Checkouts, func(c checkoutView) bool { return c.CheckoutID == v.CheckoutID && c.Status == "needs_attention" }) {
		t.Fatalf("the operators' list does not show the checkout")
	}
	if a := call(t, request{Method: http.MethodPost, Path: "/v1/ops/checkouts/" + v.CheckoutID + "/retry-compensation"}); a.Status != http.StatusForbidden {
		t.Fatalf("a till's key retried a settlement: %d %s", a.Status, a.Body)
	}

	stack.Sandbox.ClearFaults()
	a := ops(http.MethodPost, "/v1/ops/checkouts/"+v.CheckoutID+"/retry-compensation")
	if a.Status != http.StatusOK && a.Status != http.StatusAccepted {
		t.Fatalf("retry: %d %s", a.Status, a.Body)
	}
	done := settle(t, v.CheckoutID)
	if done.Status != "cancelled" || balance(t, contact) != 1000 {
		t.Fatalf("after the retry the checkout is %s and the balance %d, want cancelled and 1000", done.Status, balance(t, contact))
	}
	if len(done.Retries) != 1 || done.Retries[0].By != "demo operator" {
		t.Errorf("the checkout answers its retries as %+v", done.Retries)
	}
	if again := ops(http.MethodPost, "/v1/ops/checkouts/"+v.CheckoutID+"/retry-compensation"); again.Status != http.StatusConflict || again.problemCode(t) != "checkout_state_conflict" {
		t.Fatalf("a second retry of a settled checkout: %d %s", again.Status, again.Body)
	}

	c, _, err := stack.Ledger.Checkout(context.Background(), "demo", ledger.CheckoutID(v.CheckoutID))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Retries) != 1 || c.Retries[0].By != "demo operator" || c.Retries[0].ExecutionARN == "" || c.ExecutionARN != c.Retries[0].ExecutionARN {
		t.Fatalf("retries recorded %+v, execution %s", c.Retries, c.ExecutionARN)
	}
	if status, _ := execution(t, v.CheckoutID); status != "FAILED" {
		t.Errorf("the first execution is %s, want FAILED as it ended in needs attention", status)
	}
	events, _ = outcomeEvents(t, b.OrderID, 2)
	if len(events) != 2 || events[1].DetailType != "checkout.compensated" {
		t.Fatalf("after the retry the events are %v", events)
	}
	assertLedgerMatchesSandbox(t, b.OrderID)
}

// alertRuleMatches reads the template's rule that sends sagas needing
// attention to the alerts topic and tells whether an event matches it.
func alertRuleMatches(t *testing.T, source, detailType string) bool {
	t.Helper()
	file, err := repo.Path("template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources struct {
			Rule struct {
				Properties struct {
					EventPattern struct {
						Source     []string `yaml:"source"`
						DetailType []string `yaml:"detail-type"`
					} `yaml:"EventPattern"`
				} `yaml:"Properties"`
			} `yaml:"NeedsAttentionAlertRule"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	pattern := tmpl.Resources.Rule.Properties.EventPattern
	return slices.Contains(pattern.Source, source) && slices.Contains(pattern.DetailType, detailType)
}

// TestOperatorRetriesAStuckReturn returns an order whose reward Leat will
// not give back, sees the return need attention, fixes Leat, retries it
// through the ops API, and ends with the points back and the retry recorded.
func TestOperatorRetriesAStuckReturn(t *testing.T) {
	contact := newCustomer(t, 1000)
	orderID, _ := paidOrder(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), ""))
	afterSale := balance(t, contact)
	withFaults(t, "server_error POST /reward-receptions/{uuid}/reverse")
	a, v := returnOrder(t, orderID, map[string]any{"return_id": "R1", "full": true})
	if a.Status != http.StatusCreated && a.Status != http.StatusAccepted {
		t.Fatalf("return: %d %s", a.Status, a.Body)
	}
	read := func() returnView {
		var r returnView
		b := call(t, request{Method: http.MethodGet, Path: "/v1/orders/" + orderID + "/returns/R1", Key: stack.BackofficeKey,
			Headers: map[string]string{"Location-Id": "shop-1"}})
		if err := json.Unmarshal(b.Body, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for deadline := time.Now().Add(30 * time.Second); v.Status == "processing" && time.Now().Before(deadline); v = read() {
		time.Sleep(100 * time.Millisecond)
	}
	if v.Status != "needs_attention" || len(v.Problems) == 0 {
		t.Fatalf("with every reversal failing the return is %s %v", v.Status, v.Problems)
	}
	_, details := outcomeEvents(t, orderID, 2)
	if last := details[len(details)-1]; last.ReturnID != "R1" || last.Status != "needs_attention" {
		t.Fatalf("the return's event: %+v", last)
	}
	listed := func(status string) (returnView, bool) {
		var list struct {
			Returns []returnView `json:"returns"`
		}
		a := call(t, request{Method: http.MethodGet, Path: "/v1/ops/returns?status=" + status, Key: stack.OpsKey,
			Headers: map[string]string{"Location-Id": "shop-1"}})
		if err := json.Unmarshal(a.Body, &list); a.Status != http.StatusOK || err != nil {
			t.Fatalf("the operators' list of returns: %d %s", a.Status, a.Body)
		}
		i := slices.IndexFunc(list.Returns, func(r returnView) bool { return r.OrderID == orderID && r.ReturnID == "R1" })
		if i < 0 {
			return returnView{}, false
		}
		return list.Returns[i], true
	}
	if r, found := listed("needs_attention"); !found || len(r.Problems) == 0 {
		t.Fatalf("the operators' list of returns needing attention shows %v: %+v", found, r)
	}

	stack.Sandbox.ClearFaults()
	retry := call(t, request{Method: http.MethodPost, Path: "/v1/ops/orders/" + orderID + "/returns/R1/retry", Key: stack.OpsKey,
		Headers: map[string]string{"Location-Id": "shop-1"}})
	if retry.Status != http.StatusOK && retry.Status != http.StatusAccepted {
		t.Fatalf("retry: %d %s", retry.Status, retry.Body)
	}
	for deadline := time.Now().Add(30 * time.Second); v.Status != "completed" && time.Now().Before(deadline); v = read() {
		time.Sleep(100 * time.Millisecond)
	}
	if v.Status != "completed" || balance(t, contact) <= afterSale {
		t.Fatalf("after the retry the return is %s and the balance %d (after the sale %d)", v.Status, balance(t, contact), afterSale)
	}
	id, _ := ledger.NewCheckoutID("shop-1", orderID)
	returns, err := stack.Ledger.Returns(context.Background(), "demo", id)
	if err != nil {
		t.Fatal(err)
	}
	if len(returns) != 1 || len(returns[0].Retries) != 1 || returns[0].Retries[0].By != "demo operator" {
		t.Fatalf("returns %+v", returns)
	}
	if _, found := listed("needs_attention"); found {
		t.Error("the return still lists as needing attention after its retry completed it")
	}
	if r, found := listed("completed"); !found || len(r.Retries) != 1 || r.Retries[0].By != "demo operator" {
		t.Errorf("the completed return lists as %v with retries %+v", found, r.Retries)
	}
	if _, details := outcomeEvents(t, orderID, 3); details[len(details)-1].Status != "completed" || details[len(details)-1].ReturnID != "R1" {
		t.Fatalf("after the retry the last event is %+v", details[len(details)-1])
	}
	assertLedgerMatchesSandbox(t, orderID)
}

// TestOperatorRetriesAPaidCheckout: a paid checkout whose voucher Leat
// would not redeem needs attention; once Leat is fixed, the operator's
// retry confirms it instead of giving anything back.
func TestOperatorRetriesAPaidCheckout(t *testing.T) {
	contact := newCustomer(t, 100)
	voucher := newVoucher(t, promotionPastry, contact)
	b := newBasket(contact).voucher(voucher, "lock_redeem")
	v := startCheckout(t, b)
	withFaults(t, "server_error POST /vouchers/redeem")
	stuck := report(t, v.CheckoutID, "paid")
	if stuck.Status != "needs_attention" || stuck.stepStates()["voucher_redemption:vouchers[0]"] != "needs_attention" {
		t.Fatalf("with every redemption failing the checkout is %s, steps %v", stuck.Status, stuck.stepStates())
	}

	stack.Sandbox.ClearFaults()
	a := call(t, request{Method: http.MethodPost, Path: "/v1/ops/checkouts/" + v.CheckoutID + "/retry-compensation", Key: stack.OpsKey,
		Headers: map[string]string{"Location-Id": "shop-1"}})
	if a.Status != http.StatusOK && a.Status != http.StatusAccepted {
		t.Fatalf("retry: %d %s", a.Status, a.Body)
	}
	done := settle(t, v.CheckoutID)
	if done.Status != "completed" || voucherStatus(t, voucher) != leat.VoucherRedeemed {
		t.Fatalf("after the retry the checkout is %s and the voucher %s, want completed and redeemed", done.Status, voucherStatus(t, voucher))
	}
	events, _ := outcomeEvents(t, b.OrderID, 2)
	if len(events) != 2 || events[1].DetailType != "checkout.completed" {
		t.Fatalf("after the retry the events are %v", events)
	}
	assertLedgerMatchesSandbox(t, b.OrderID)
}
