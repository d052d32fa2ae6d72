package dynamodb_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// TestLedgerReturns: a return is stored with its checkout or not at all; a
// taken id or a changed checkout refuses it, and returns read back in order
// beside the checkout's steps without mixing with them.
func TestLedgerReturns(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	store := dynamodb.NewLedgerStore(table)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	id, _ := ledger.NewCheckoutID("amsterdam", "B-7")
	c := ledger.Checkout{Tenant: "acme", ID: id, Location: "amsterdam", POSOrderID: "B-7", Currency: "EUR", Status: ledger.CheckoutCompleted,
		Basket: ledger.Basket{Lines: []ledger.Line{{ID: "1", Quantity: 3, UnitPrice: 200}}}, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateCheckout(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.Version = 1
	step := ledger.NewStep(id, "order:order", ledger.StepDetails{}, now, now)
	if _, _, err := store.RecordIntent(ctx, "acme", step); err != nil {
		t.Fatal(err)
	}
	first := ledger.Return{Checkout: id, ID: "R1", Index: 0, Status: ledger.ReturnProcessing, RequestKey: "k1",
		Lines:     []ledger.ReturnLine{{LineID: "1", Quantity: 1, Amount: 200}},
		Refunds:   []ledger.Refund{{Tender: 0, Debit: "giftcard_debit:tenders[0]", Amount: 100, By: "giftcard_refund:returns[0].tenders[0]"}},
		Plan:      ledger.ReturnPlan{OrderReturn: "order_return:returns[0]", Refunds: []ledger.StepID{"giftcard_refund:returns[0].tenders[0]"}},
		CreatedAt: now, UpdatedAt: now}
	withFirst := c
	withFirst.Returned = c.Returned.Add(first)
	saved, stored, err := store.CreateReturn(ctx, withFirst, first)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version != 2 || stored.Version != 1 {
		t.Fatalf("versions: checkout %d, return %d", saved.Version, stored.Version)
	}
	if _, _, err := store.CreateReturn(ctx, withFirst, first); !errors.Is(err, ledger.ErrReturnExists) {
		t.Errorf("the same id again: %v", err)
	}
	second := first
	second.ID, second.Index = "R2", 1
	stale := c // read before the first return
	stale.Returned = c.Returned.Add(second)
	if _, _, err := store.CreateReturn(ctx, stale, second); !errors.Is(err, ledger.ErrConflict) {
		t.Errorf("a return on a checkout changed since: %v", err)
	}
	loaded, steps, err := store.Checkout(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 1 || loaded.Returned.Quantities["1"] != 1 || loaded.Returned.Refunded[0] != 100 || loaded.Returned.Count != 1 {
		t.Errorf("checkout %+v, steps %+v", loaded.Returned, steps)
	}
	next := loaded
	next.Returned = loaded.Returned.Add(second)
	if _, _, err := store.CreateReturn(ctx, next, second); err != nil {
		t.Fatal(err)
	}
	finished, err := stored.Finish(nil, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveReturn(ctx, "acme", finished); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveReturn(ctx, "acme", finished); !errors.Is(err, ledger.ErrConflict) {
		t.Errorf("a second save of the same version: %v", err)
	}
	returns, err := store.Returns(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if len(returns) != 2 || returns[0].ID != "R1" || returns[1].ID != "R2" || returns[0].Status != ledger.ReturnCompleted {
		t.Fatalf("returns %+v", returns)
	}
	want := finished
	want.Version = 2
	if !reflect.DeepEqual(returns[0], want) {
		t.Errorf("read back %+v, want %+v", returns[0], want)
	}
}

// TestLedgerOrders lists a location's orders newest first, a page at a time,
// filtered by status and time; another location's, or tenant's, stay out,
// and a cursor of another list is refused.
func TestLedgerOrders(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	store := dynamodb.NewLedgerStore(table)
	ctx := context.Background()
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	create := func(tenant tenancy.TenantID, location tenancy.LocationID, order string, status ledger.CheckoutStatus, at time.Time) {
		id, _ := ledger.NewCheckoutID(location, order)
		c := ledger.Checkout{Tenant: tenant, ID: id, Location: location, POSOrderID: order, Currency: "EUR", Status: status, CreatedAt: at, UpdatedAt: at}
		if err := store.CreateCheckout(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		status := ledger.CheckoutCompleted
		if i == 2 {
			status = ledger.CheckoutCancelled
		}
		create("acme", "amsterdam", fmt.Sprintf("B-%d", i), status, start.Add(time.Duration(i)*time.Minute))
	}
	create("acme", "utrecht", "U-1", ledger.CheckoutCompleted, start)
	create("globex", "amsterdam", "G-1", ledger.CheckoutCompleted, start)

	ids := func(p ledger.OrderPage) []string {
		var out []string
		for _, c := range p.Orders {
			out = append(out, c.POSOrderID)
		}
		return out
	}
	first, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	second, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Limit: 2, Cursor: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if got := append(ids(first), ids(second)...); !slices.Equal(got, []string{"B-4", "B-3", "B-2", "B-1"}) || first.Next == "" {
		t.Errorf("two pages: %v", got)
	}
	completed, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Limit: 10, Status: ledger.CheckoutCompleted,
		From: start.Add(time.Minute), To: start.Add(3 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(completed); !slices.Equal(got, []string{"B-3", "B-1"}) || completed.Next != "" {
		t.Errorf("completed between minutes 1 and 3: %v, next %q", got, completed.Next)
	}
	if _, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "utrecht", Cursor: first.Next}); !errors.Is(err, ledger.ErrBadCursor) {
		t.Errorf("another location's cursor: %v", err)
	}
	if _, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Cursor: "not-a-cursor"}); !errors.Is(err, ledger.ErrBadCursor) {
		t.Errorf("a made-up cursor: %v", err)
	}
	other, err := store.Orders(ctx, "globex", ledger.OrderQuery{Location: "amsterdam", Limit: 10})
	if err != nil || !slices.Equal(ids(other), []string{"G-1"}) {
		t.Errorf("the other tenant's list: %v, %v", ids(other), err)
	}
}

// TestLedgerLocationReturns lists the returns of a location's orders newest
// first, a page at a time and by status, each naming its order; the orders
// list and the returns list stay apart, as do other locations' returns, and
// neither takes the other's cursor.
func TestLedgerLocationReturns(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	store := dynamodb.NewLedgerStore(table)
	ctx := context.Background()
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	checkouts := map[string]ledger.Checkout{}
	for _, order := range []struct {
		location tenancy.LocationID
		id       string
	}{{"amsterdam", "B-0"}, {"amsterdam", "B-1"}, {"utrecht", "U-0"}} {
		id, _ := ledger.NewCheckoutID(order.location, order.id)
		c := ledger.Checkout{Tenant: "acme", ID: id, Location: order.location, POSOrderID: order.id, Currency: "EUR",
			Status: ledger.CheckoutCompleted, CreatedAt: start, UpdatedAt: start}
		if err := store.CreateCheckout(ctx, c); err != nil {
			t.Fatal(err)
		}
		c.Version = 1
		checkouts[order.id] = c
	}
	var stored []ledger.Return
	for i, r := range []struct {
		order  string
		id     ledger.ReturnID
		status ledger.ReturnStatus
	}{
		{"B-0", "R1", ledger.ReturnNeedsAttention}, {"B-1", "R1", ledger.ReturnCompleted},
		{"U-0", "R1", ledger.ReturnNeedsAttention}, {"B-1", "R2", ledger.ReturnNeedsAttention},
	} {
		c := checkouts[r.order]
		at := start.Add(time.Duration(i+1) * time.Minute)
		ret := ledger.Return{Checkout: c.ID, ID: r.id, Index: c.Returned.Count, Status: r.status,
			Lines: []ledger.ReturnLine{{LineID: "1", Quantity: 1, Amount: 100}}, CreatedAt: at, UpdatedAt: at}
		c.Returned = c.Returned.Add(ret)
		saved, ret, err := store.CreateReturn(ctx, c, ret)
		if err != nil {
			t.Fatal(err)
		}
		checkouts[r.order] = saved
		stored = append(stored, ret)
	}

	names := func(p ledger.ReturnPage) []string {
		var out []string
		for _, r := range p.Returns {
			out = append(out, string(r.Checkout)+"/"+string(r.ID))
		}
		return out
	}
	stuck, err := store.LocationReturns(ctx, "acme", ledger.ReturnQuery{Location: "amsterdam", Status: ledger.ReturnNeedsAttention, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(stuck); !slices.Equal(got, []string{"amsterdam.B-1/R2", "amsterdam.B-0/R1"}) || stuck.Next != "" {
		t.Fatalf("amsterdam's returns needing attention: %v, next %q", got, stuck.Next)
	}
	if !reflect.DeepEqual(stuck.Returns[0], stored[3]) {
		t.Errorf("listed %+v, stored %+v", stuck.Returns[0], stored[3])
	}
	first, err := store.LocationReturns(ctx, "acme", ledger.ReturnQuery{Location: "amsterdam", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	second, err := store.LocationReturns(ctx, "acme", ledger.ReturnQuery{Location: "amsterdam", Limit: 2, Cursor: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if got := append(names(first), names(second)...); !slices.Equal(got, []string{"amsterdam.B-1/R2", "amsterdam.B-1/R1", "amsterdam.B-0/R1"}) {
		t.Errorf("two pages of amsterdam's returns: %v", got)
	}
	orders, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Limit: 10})
	if err != nil || len(orders.Orders) != 2 {
		t.Errorf("amsterdam's orders, returns in their index too: %d orders, %v", len(orders.Orders), err)
	}
	ordersPage, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LocationReturns(ctx, "acme", ledger.ReturnQuery{Location: "amsterdam", Cursor: ordersPage.Next}); !errors.Is(err, ledger.ErrBadCursor) {
		t.Errorf("the orders list's cursor continued the returns list: %v", err)
	}
	if _, err := store.Orders(ctx, "acme", ledger.OrderQuery{Location: "amsterdam", Cursor: first.Next}); !errors.Is(err, ledger.ErrBadCursor) {
		t.Errorf("the returns list's cursor continued the orders list: %v", err)
	}
	utrecht, err := store.LocationReturns(ctx, "acme", ledger.ReturnQuery{Location: "utrecht", Limit: 10})
	if err != nil || !slices.Equal(names(utrecht), []string{"utrecht.U-0/R1"}) {
		t.Errorf("utrecht's returns: %v, %v", names(utrecht), err)
	}
}
