package pos_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/ledger"
)

// post sends one request to the gateway with a key, as a POS would.
func post(t *testing.T, key, path string, body any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, stack.GatewayURL+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", fmt.Sprintf("pos-test-%d", time.Now().UnixNano()))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %v %v", path, res.StatusCode, out, err)
	}
	return out
}

// sale checks a basket out for the customer and reports the card payment's
// outcome; it returns the order id and the checkout id.
func sale(t *testing.T, c customer, outcome string, extra map[string]any) (string, string) {
	t.Helper()
	orderID := fmt.Sprintf("BO-%d", time.Now().UnixNano())
	body := map[string]any{
		"order_id": orderID, "currency": "EUR", "contact_uuid": c.uuid,
		"lines": []map[string]any{
			{"id": "1", "sku": "COFFEE-REG", "name": "Coffee", "quantity": 2, "unit_price": 300},
			{"id": "2", "sku": "MUG-01", "name": "Branded mug", "quantity": 1, "unit_price": 1200},
		},
	}
	for k, v := range extra {
		body[k] = v
	}
	started := post(t, stack.POSKey, "/v1/checkouts", body)
	checkoutID := started["checkout_id"].(string)
	post(t, stack.POSKey, "/v1/checkouts/"+checkoutID+"/payment", map[string]any{"outcome": outcome})
	return orderID, checkoutID
}

// TestBackofficeReturnsPartOfAnOrder: the back office finds an order, shows
// its lines and Leat transactions, and returns the mug; the result shows the
// points taken back, which Leat no longer holds.
func TestBackofficeReturnsPartOfAnOrder(t *testing.T) {
	t.Parallel()
	shopper := newCustomer(t, 0, 0)
	orderID, _ := sale(t, shopper, "paid", nil)
	before := points(t, shopper.uuid)

	p := open(t, "/backoffice", "backoffice")
	p.scan("#order-id", orderID)
	p.do(chromedp.WaitVisible(chromedp.CSS(`#order [data-line-id="2"]`)))
	p.do(chromedp.SetValue(chromedp.CSS(`[name="qty-2"]`), "1"))
	p.shot("backoffice-order")
	p.click("#submit-return")
	p.do(chromedp.WaitVisible(chromedp.CSS(`#return-result .badge[data-status="completed"]`)))
	p.noError()
	p.shot("backoffice-return")
	after := points(t, shopper.uuid)
	if after != before-12 {
		t.Errorf("returning the €12.00 mug took Leat's balance from %d to %d, want -12", before, after)
	}
	text := p.text("#return-result")
	if want := "-12"; !bytes.Contains([]byte(text), []byte(want)) {
		t.Errorf("the return's result does not show the %s points corrected: %q", want, text)
	}
}

// TestOpsRetriesAStuckCheckout: a cancelled sale whose reward Leat would
// not give back shows first on the operations page with why; once Leat is
// fixed the operator's retry settles it, and Leat holds the points again.
// It runs alone: the fault it injects is the whole sandbox's.
func TestOpsRetriesAStuckCheckout(t *testing.T) {
	shopper := newCustomer(t, 500, 0)
	before := points(t, shopper.uuid)
	faults, err := leatsandbox.ParseFaults("server_error POST /reward-receptions/{uuid}/reverse")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range faults {
		if err := stack.Sandbox.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(stack.Sandbox.ClearFaults)
	_, checkoutID := sale(t, shopper, "failed", map[string]any{"rewards": []map[string]any{{"reward_uuid": rewardUUID(t, "Free Coffee")}}})
	c, _, err := stack.Ledger.Checkout(context.Background(), stack.Tenant.ID, ledger.CheckoutID(checkoutID))
	if err != nil || c.Status != "needs_attention" {
		t.Fatalf("the checkout is %s (%v), want needs_attention", c.Status, err)
	}

	p := open(t, "/ops", "ops")
	card := fmt.Sprintf(`#ops-checkouts [data-checkout-id=%q]`, checkoutID)
	p.do(chromedp.WaitVisible(chromedp.CSS(card)))
	p.shot("ops-needs-attention")
	stack.Sandbox.ClearFaults()
	p.click(card + ` [data-action="retry-checkout"]`)
	p.do(chromedp.WaitNotPresent(chromedp.CSS(card)))
	p.noError()
	if after := points(t, shopper.uuid); after != before {
		t.Errorf("after the retry Leat holds %d points, before the sale %d", after, before)
	}
	settled, _, err := stack.Ledger.Checkout(context.Background(), stack.Tenant.ID, ledger.CheckoutID(checkoutID))
	if err != nil || settled.Status != "cancelled" {
		t.Errorf("after the retry the checkout is %s (%v), want cancelled", settled.Status, err)
	}
}
