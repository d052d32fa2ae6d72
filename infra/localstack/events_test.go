package localstack_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/shared/eventbridge"
)

// outcomeEvents waits for the events published about an order until want
// of them have come, and answers them with their details.
func outcomeEvents(t testing.TB, orderID string, want int) ([]localstack.PublishedEvent, []eventbridge.Detail) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var events []localstack.PublishedEvent
		var details []eventbridge.Detail
		for _, e := range stack.EventSink.Events() {
			var d eventbridge.Detail
			if err := json.Unmarshal(e.Detail, &d); err != nil {
				t.Fatalf("an event's detail is not the documented JSON: %s", e.Detail)
			}
			if d.OrderID == orderID {
				events, details = append(events, e), append(details, d)
			}
		}
		if len(events) >= want || time.Now().After(deadline) {
			return events, details
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOutcomeEvents: every saga's end is published once per outcome on the
// bus, in the documented shape, with ids and figures but no email address.
func TestOutcomeEvents(t *testing.T) {
	contact := newCustomer(t, 100)
	paid := newBasket(contact)
	v := startCheckout(t, paid)
	report(t, v.CheckoutID, "paid")
	a := call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + paid.OrderID + "/returns", Key: stack.BackofficeKey,
		Headers: map[string]string{"Location-Id": "shop-1"}, Body: `{"return_id":"R1","full":true}`})
	if a.Status != http.StatusCreated && a.Status != http.StatusAccepted {
		t.Fatalf("return: %d %s", a.Status, a.Body)
	}
	failed := newBasket(contact)
	w := startCheckout(t, failed)
	report(t, w.CheckoutID, "failed")

	tests := []struct {
		name, orderID string
		types         []string
		statuses      []string
	}{
		{"paid, then returned", paid.OrderID, []string{"checkout.completed", "return.processed"}, []string{"completed", "completed"}},
		{"payment failed", failed.OrderID, []string{"checkout.compensated"}, []string{"cancelled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, details := outcomeEvents(t, tt.orderID, len(tt.types))
			if len(events) != len(tt.types) {
				t.Fatalf("%d events, want %d: %+v", len(events), len(tt.types), details)
			}
			for i, e := range events {
				d := details[i]
				if e.DetailType != tt.types[i] || d.Status != tt.statuses[i] || e.Source != eventbridge.Source || e.Bus == "" {
					t.Errorf("event %d: %s %s from %s on %q, want %s %s", i, e.DetailType, d.Status, e.Source, e.Bus, tt.types[i], tt.statuses[i])
				}
				if d.Tenant != "demo" || d.LocationID != "shop-1" || d.CheckoutID != "shop-1."+tt.orderID || d.Currency != "EUR" ||
					d.ContactUUID != contact || d.EventID == "" || d.ExecutionARN == "" || d.OccurredAt.IsZero() {
					t.Errorf("event %d detail %+v", i, d)
				}
				if len(e.Resources) != 1 || e.Resources[0] != d.ExecutionARN {
					t.Errorf("event %d resources %v, want the execution", i, e.Resources)
				}
				if strings.Contains(string(e.Detail), "@") {
					t.Errorf("event %d carries an email address: %s", i, e.Detail)
				}
			}
			if tt.types[0] == "checkout.completed" && (details[0].PointsEarned == nil || *details[0].PointsEarned <= 0) {
				t.Errorf("a paid checkout's event says no points earned: %+v", details[0])
			}
			if details[len(details)-1].ReturnID == "" && tt.types[len(tt.types)-1] == "return.processed" {
				t.Error("the return's event names no return")
			}
		})
	}
}
