package leatsandbox_test

import (
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

// order builds a create-and-process body whose header totals deliberately disagree with its lines: Leat
// earns points on the lines.
func (l *leat) order(externalID, contactUUID string, lines ...map[string]any) map[string]any {
	return map[string]any{
		"external_identifier": externalID,
		"status":              "COMPLETED",
		"payment_status":      "PAID",
		"total_order_amount":  1,
		"contact":             map[string]any{"uuid": contactUUID},
		"business_profile":    map[string]any{"uuid": l.shop().UUID},
		"line_items":          lines,
	}
}

func line(externalID string, quantity, price int64) map[string]any {
	return map[string]any{"external_identifier": externalID, "name": externalID, "quantity": quantity,
		"price": price, "total_amount": quantity * price}
}

func TestOrderEarnsPointsOnItsLines(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	rate := l.seed.Account.PointsPerCurrencyUnit

	// 2 × €12.50 + 1 × €3.75 = €28.75: 28 whole euros.
	a := l.call("POST", "/orders/create-and-process", l.order("ORDER-1", contact.UUID, line("COFFEE", 2, 1250), line("CAKE", 1, 375))).ok()
	if a.str("data.result.type") != "POINTS_TRANSACTION" || a.int("data.result.data.points") != 28*rate ||
		a.int("data.result.data.new_balance") != contact.Points+28*rate {
		t.Fatalf("order: %s", a.raw)
	}
	if l.points(contact.UUID) != contact.Points+28*rate {
		t.Fatal("balance did not grow")
	}
	found := l.call("GET", "/orders/find?external_identifier=ORDER-1", nil).ok()
	if found.str("data.uuid") != a.str("data.order.uuid") || len(found.list("data.line_items")) != 2 {
		t.Fatalf("find: %s", found.raw)
	}
	l.call("GET", "/orders/find?external_identifier=NOPE", nil).fails(60013)

	reused := l.call("POST", "/orders/create-and-process", l.order("ORDER-1", contact.UUID, line("TEA", 1, 300))).invalid("external_identifier")
	if reused.get("errors.external_identifier").([]any)[0] != "The external identifier has already been taken." {
		t.Fatalf("reused: %s", reused.raw)
	}
	if l.points(contact.UUID) != contact.Points+28*rate {
		t.Fatal("a refused order changed the balance")
	}
}

func TestOrderValidation(t *testing.T) {
	l := start(t)
	contact := l.richContact().UUID
	tests := []struct {
		name  string
		edit  func(body map[string]any)
		field string
		code  int
	}{
		{"no status", func(b map[string]any) { delete(b, "status") }, "status", 1003},
		{"bad payment status", func(b map[string]any) { b["payment_status"] = "MAYBE" }, "payment_status", 1003},
		{"no lines", func(b map[string]any) { delete(b, "line_items") }, "line_items", 1003},
		{"line without name", func(b map[string]any) { delete(b["line_items"].([]map[string]any)[0], "name") }, "line_items.0.name", 1003},
		{"no business profile", func(b map[string]any) { delete(b, "business_profile") }, "business_profile", 1003},
		{"unknown contact", func(b map[string]any) { b["contact"] = map[string]any{"uuid": unknownUUID} }, "", 55031},
		{"unknown shop", func(b map[string]any) { b["business_profile"] = map[string]any{"uuid": unknownUUID} }, "", 1008},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			body := l.order("VALIDATION", contact, line("TEA", 1, 300))
			tt.edit(body)
			a := l.call("POST", "/orders/create-and-process", body)
			if tt.field != "" {
				a.invalid(tt.field)
			} else {
				a.fails(tt.code)
			}
		})
	}
}

func TestOrderReturnsTakePointsBack(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	rate := l.seed.Account.PointsPerCurrencyUnit
	// 4 × €10.00 + 1 × €20.00 = €60.00 earns 60 points per unit of rate.
	l.call("POST", "/orders/create-and-process", l.order("ORDER-R", contact.UUID, line("SHIRT", 4, 1000), line("HAT", 1, 2000))).ok()
	earned := contact.Points + 60*rate

	partial := l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-R"}, "external_identifier": "RETURN-1", "status": "COMPLETED",
		"line_items": []map[string]any{{"external_identifier": "SHIRT", "quantity": 1}},
	}).ok()
	// €10 of €60 comes back: a sixth of the points.
	if partial.int("data.result.data.points") != -10*rate || partial.int("data.result.data.new_balance") != earned-10*rate {
		t.Fatalf("partial return: %s", partial.raw)
	}
	if partial.int("data.return.line_item_returns.0.quantity") != 1 {
		t.Fatalf("return lines: %s", partial.raw)
	}

	l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-R"}, "external_identifier": "RETURN-2", "status": "COMPLETED",
		"line_items": []map[string]any{{"external_identifier": "SHIRT", "quantity": 4}},
	}).invalid("line_items.0.quantity")
	l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-R"}, "external_identifier": "RETURN-1", "status": "COMPLETED",
	}).invalid("external_identifier")
	l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-R"}, "external_identifier": "RETURN-3", "status": "COMPLETED",
		"line_items": []map[string]any{{"external_identifier": "SOCKS", "quantity": 1}},
	}).invalid("line_items.0.external_identifier")
	l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"uuid": unknownUUID}, "external_identifier": "RETURN-4", "status": "COMPLETED",
	}).fails(60013)

	// Without lines the rest of the order comes back, and with it exactly the rest of the points.
	rest := l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-R"}, "external_identifier": "RETURN-5", "status": "COMPLETED",
	}).ok()
	if rest.int("data.result.data.points") != -50*rate || l.points(contact.UUID) != contact.Points {
		t.Fatalf("full return: %s", rest.raw)
	}
	l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-R"}, "external_identifier": "RETURN-6", "status": "COMPLETED",
	}).invalid("line_items")
}

func TestOrderReturnNeverTakesTheBalanceBelowZero(t *testing.T) {
	l := start(t)
	contact := pick(t, "a contact without points", l.seed.Contacts, func(c leatsandbox.SeedContact) bool { return c.Points == 0 })
	r := l.plainReward()
	// Earn a bit more than the reward costs, spend the reward, then return the whole order.
	earned := l.call("POST", "/orders/create-and-process", l.order("ORDER-Z", contact.UUID, line("BIKE", 1, (r.RequiredCredits+50)*100))).ok().int("data.result.data.points")
	l.claim(contact.UUID, r.UUID).ok()
	left := earned - r.RequiredCredits
	back := l.call("POST", "/order-returns/create-and-process", map[string]any{
		"order": map[string]any{"external_identifier": "ORDER-Z"}, "external_identifier": "RETURN-Z", "status": "COMPLETED",
	}).ok()
	if back.int("data.result.data.points") != -left || back.int("data.result.data.new_balance") != 0 {
		t.Fatalf("return beyond the balance: %s", back.raw)
	}
}
