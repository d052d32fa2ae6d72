package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

func TestAdminCreatesTenantsAndKeys(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	dir := dynamodb.NewDirectory(table)
	ctx := context.Background()
	var out bytes.Buffer
	a := admin{dir: dir, out: &out}

	err := a.run(ctx, []string{"create-tenant", "-id", "acme", "-name", "Acme", "-credentials", "secretsmanager:leat/acme",
		"-location", "amsterdam=shop-ams", "-location", "utrecht=shop-utr", "-default-location", "amsterdam",
		"-payment-timeout", "5m", "-portal-url", "https://acme.example", "-leat-tenders-pay-sales"})
	if err != nil {
		t.Fatal(err)
	}
	if tenant, err := dir.Tenant(ctx, "acme"); err != nil || tenant.DefaultLocation != "amsterdam" || len(tenant.Locations) != 2 ||
		tenant.PaymentTimeout != 5*time.Minute || tenant.PortalURL != "https://acme.example" || !tenant.LeatTendersPaySales {
		t.Fatalf("created tenant %+v, %v", tenant, err)
	}
	out.Reset()
	if err := a.run(ctx, []string{"create-key", "-tenant", "acme", "-name", "till 1", "-scope", "pos", "-location", "utrecht"}); err != nil {
		t.Fatal(err)
	}
	raw := strings.TrimSpace(out.String())
	p, err := tenancy.Authenticate(ctx, dir, "Bearer "+raw)
	if err != nil || p.Tenant != "acme" || len(p.Locations) != 1 || p.Locations[0] != "utrecht" || p.Require(tenancy.ScopePOS) != nil {
		t.Fatalf("the new key authenticates as %+v, %v", p, err)
	}
	if err := a.run(ctx, []string{"disable-key", "-key", raw}); err != nil {
		t.Fatal(err)
	}
	if _, err := tenancy.Authenticate(ctx, dir, "Bearer "+raw); !errors.Is(err, tenancy.ErrKeyDisabled) {
		t.Fatalf("disabled key: %v", err)
	}

	// A second key, listed without the key itself and disabled by its id.
	out.Reset()
	if err := a.run(ctx, []string{"create-key", "-tenant", "acme", "-name", "back office", "-scope", "backend"}); err != nil {
		t.Fatal(err)
	}
	second := strings.TrimSpace(out.String())
	out.Reset()
	if err := a.run(ctx, []string{"list-keys", "-tenant", "acme"}); err != nil {
		t.Fatal(err)
	}
	listing := out.String()
	id := string(tenancy.HashKey(second))[:12]
	if strings.Contains(listing, raw) || strings.Contains(listing, second) || !strings.Contains(listing, id) ||
		!strings.Contains(listing, "…"+second[len(second)-4:]) || !strings.Contains(listing, "disabled") || !strings.Contains(listing, "(all)") {
		t.Fatalf("listing:\n%s", listing)
	}
	if err := a.run(ctx, []string{"disable-key", "-id", id, "-tenant", "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tenancy.Authenticate(ctx, dir, "Bearer "+second); !errors.Is(err, tenancy.ErrKeyDisabled) {
		t.Fatalf("key disabled by id: %v", err)
	}

	refused := [][]string{
		{},
		{"delete-everything"},
		{"create-tenant", "-id", "acme", "-credentials", "x:y", "-location", "a=b"},     // exists
		{"create-tenant", "-id", "Bad Id", "-credentials", "x:y", "-location", "a=b"},   // invalid id
		{"create-tenant", "-id", "globex", "-credentials", "x:y", "-location", "nosep"}, // malformed location
		{"create-key", "-tenant", "nobody", "-name", "x", "-scope", "pos"},
		{"create-key", "-tenant", "acme", "-name", "x", "-scope", "root"},
		{"create-key", "-tenant", "acme", "-name", "x", "-scope", "pos", "-location", "paris"},
		{"disable-key", "-key", "lpg_unknown"},
		{"disable-key", "-id", "000000000000", "-tenant", "acme"},
		{"disable-key", "-id", "000000000000"},
		{"list-keys", "-tenant", "nobody"},
	}
	for _, args := range refused {
		if err := a.run(ctx, args); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}

// startedExecutions is a saga that records what it is asked to start.
type startedExecutions struct{ started []string }

func (e *startedExecutions) Start(_ context.Context, name string, in checkout.SagaInput) (string, error) {
	e.started = append(e.started, name+" "+string(in.Resume))
	return "arn:aws:states:us-east-1:000000000000:execution:CheckoutStateMachine:" + name, nil
}
func (e *startedExecutions) Resume(context.Context, string, checkout.PaymentEvent) error { return nil }
func (e *startedExecutions) StartReturn(_ context.Context, name string, in checkout.ReturnInput) (string, error) {
	e.started = append(e.started, name+" "+string(in.ReturnID))
	return "arn:aws:states:us-east-1:000000000000:execution:ReturnStateMachine:" + name, nil
}

// operatorAdmin is the admin of a tenant acme with one location,
// amsterdam, whose sagas only record what they are asked to start.
func operatorAdmin(t *testing.T) (admin, *dynamodb.LedgerStore, *startedExecutions, *bytes.Buffer) {
	t.Helper()
	table, _, _ := ddblocaltest.NewTable(t)
	dir, store := dynamodb.NewDirectory(table), dynamodb.NewLedgerStore(table)
	executions := &startedExecutions{}
	svc := checkout.NewService(dir, nil, store, executions, nil, time.Now)
	svc.AnswerWithin = 10 * time.Millisecond
	out := &bytes.Buffer{}
	a := admin{dir: dir, checkouts: svc, out: out}
	if err := a.run(context.Background(), []string{"create-tenant", "-id", "acme", "-name", "Acme", "-credentials", "secretsmanager:leat/acme",
		"-location", "amsterdam=shop-ams"}); err != nil {
		t.Fatal(err)
	}
	return a, store, executions, out
}

// TestAdminRetriesAStuckCheckout lists a checkout needing attention with the
// reason of its step, and retries it: the step is reopened where the saga
// gave up, the checkout goes back to giving back, an execution resumes the
// compensation, and the retry is recorded as the admin's.
func TestAdminRetriesAStuckCheckout(t *testing.T) {
	a, store, executions, out := operatorAdmin(t)
	ctx := context.Background()

	now := time.Now().UTC()
	id, _ := ledger.NewCheckoutID("amsterdam", "T-7")
	c := ledger.Checkout{Tenant: "acme", ID: id, Location: "amsterdam", POSOrderID: "T-7", Currency: "EUR",
		Status: ledger.CheckoutReserving, Basket: ledger.Basket{Lines: []ledger.Line{{ID: "1", SKU: "C", Name: "Coffee", Quantity: 1, UnitPrice: 300}}},
		Payment: &ledger.Payment{Outcome: ledger.PaymentFailed, At: now}, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateCheckout(ctx, c); err != nil {
		t.Fatal(err)
	}
	stepID, _ := ledger.NewStepID(ledger.StepVoucherLock, "vouchers[0]")
	step, _, err := store.RecordIntent(ctx, "acme", ledger.NewStep(id, stepID, ledger.StepDetails{VoucherCode: "WELCOME"}, now, now))
	if err != nil {
		t.Fatal(err)
	}
	stuck, _ := step.NeedAttention("unresolved", "Leat kept failing the release", now)
	if _, err := store.SaveStep(ctx, "acme", stuck); err != nil {
		t.Fatal(err)
	}
	for _, to := range []ledger.CheckoutStatus{ledger.CheckoutCompensating, ledger.CheckoutNeedsAttention} {
		loaded, _, err := store.Checkout(ctx, "acme", id)
		if err != nil {
			t.Fatal(err)
		}
		moved, err := loaded.MoveTo(to, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.SaveCheckout(ctx, moved); err != nil {
			t.Fatal(err)
		}
	}

	out.Reset()
	if err := a.run(ctx, []string{"stuck-checkouts", "-tenant", "acme", "-location", "amsterdam"}); err != nil {
		t.Fatal(err)
	}
	if listed := out.String(); !strings.Contains(listed, string(id)) || !strings.Contains(listed, "Leat kept failing the release") {
		t.Fatalf("stuck-checkouts printed:\n%s", listed)
	}

	out.Reset()
	if err := a.run(ctx, []string{"retry-checkout", "-tenant", "acme", "-checkout", string(id)}); err != nil {
		t.Fatal(err)
	}
	if len(executions.started) != 1 || !strings.HasSuffix(executions.started[0], "-retry-1 compensation") {
		t.Fatalf("started %v", executions.started)
	}
	retried, steps, err := store.Checkout(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if retried.Status != ledger.CheckoutCompensating || len(retried.Retries) != 1 || retried.Retries[0].By != "gateway-admin" ||
		len(steps) != 1 || steps[0].State != ledger.StepPending || steps[0].FailureCode != "" {
		t.Fatalf("after the retry: %s, retries %+v, steps %+v", retried.Status, retried.Retries, steps)
	}
	if err := a.run(ctx, []string{"retry-checkout", "-tenant", "acme", "-checkout", string(id)}); err == nil {
		t.Error("a checkout already settling was retried again")
	}
}

// TestAdminRetriesAStuckReturn lists a return needing attention with its
// problem, and retries it: the step it gave up on is reopened, the return
// is processing again under a new execution, and the retry is the admin's.
func TestAdminRetriesAStuckReturn(t *testing.T) {
	a, store, executions, out := operatorAdmin(t)
	ctx := context.Background()

	now := time.Now().UTC()
	id, _ := ledger.NewCheckoutID("amsterdam", "T-8")
	c := ledger.Checkout{Tenant: "acme", ID: id, Location: "amsterdam", POSOrderID: "T-8", Currency: "EUR",
		Status: ledger.CheckoutCompleted, Basket: ledger.Basket{Lines: []ledger.Line{{ID: "1", SKU: "C", Name: "Coffee", Quantity: 1, UnitPrice: 300}}},
		CreatedAt: now, UpdatedAt: now}
	if err := store.CreateCheckout(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.Version = 1
	stepID, _ := ledger.NewStepID(ledger.StepOrderReturn, "returns[0]")
	r := ledger.Return{Checkout: id, ID: "R1", Full: true, Status: ledger.ReturnProcessing,
		Lines: []ledger.ReturnLine{{LineID: "1", Quantity: 1, Amount: 300}}, Plan: ledger.ReturnPlan{OrderReturn: stepID},
		CreatedAt: now, UpdatedAt: now}
	c.Returned = c.Returned.Add(r)
	if _, _, err := store.CreateReturn(ctx, c, r); err != nil {
		t.Fatal(err)
	}
	step, _, err := store.RecordIntent(ctx, "acme", ledger.NewStep(id, stepID, ledger.StepDetails{}, now, now))
	if err != nil {
		t.Fatal(err)
	}
	stuckStep, _ := step.NeedAttention("unresolved", "Leat kept failing the order return", now)
	if _, err := store.SaveStep(ctx, "acme", stuckStep); err != nil {
		t.Fatal(err)
	}
	returns, err := store.Returns(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	stuck, err := returns[0].Finish([]string{"order_return:returns[0]: Leat kept failing the order return"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveReturn(ctx, "acme", stuck); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := a.run(ctx, []string{"stuck-returns", "-tenant", "acme", "-location", "amsterdam"}); err != nil {
		t.Fatal(err)
	}
	if listed := out.String(); !strings.Contains(listed, "T-8") || !strings.Contains(listed, "Leat kept failing the order return") {
		t.Fatalf("stuck-returns printed:\n%s", listed)
	}

	out.Reset()
	if err := a.run(ctx, []string{"retry-return", "-tenant", "acme", "-location", "amsterdam", "-order", "T-8", "-return", "R1"}); err != nil {
		t.Fatal(err)
	}
	if len(executions.started) != 1 || !strings.HasSuffix(executions.started[0], "-retry-1 R1") {
		t.Fatalf("started %v", executions.started)
	}
	retried, err := store.Returns(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	_, steps, err := store.Checkout(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if got := retried[0]; got.Status != ledger.ReturnProcessing || len(got.Retries) != 1 || got.Retries[0].By != "gateway-admin" ||
		got.Retries[0].ExecutionARN == "" || len(steps) != 1 || steps[0].State != ledger.StepPending {
		t.Fatalf("after the retry: %s, retries %+v, steps %+v", got.Status, got.Retries, steps)
	}
	out.Reset()
	if err := a.run(ctx, []string{"stuck-returns", "-tenant", "acme", "-location", "amsterdam"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "T-8") {
		t.Errorf("a return processing again still lists as stuck:\n%s", out.String())
	}
	if err := a.run(ctx, []string{"retry-return", "-tenant", "acme", "-location", "amsterdam", "-order", "T-8", "-return", "R1"}); err == nil {
		t.Error("a return already running again was retried again")
	}
}
