package dynamodb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/ledger"
)

func TestLedgerCheckoutAndSteps(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	store := dynamodb.NewLedgerStore(table)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	id, _ := ledger.NewCheckoutID("amsterdam", "B-2110")
	amount := int64(150)
	basket := ledger.Basket{
		Lines:   []ledger.Line{{ID: "1", SKU: "COFFEE-REG", Name: "Coffee", Quantity: 2, UnitPrice: 300}},
		Rewards: []ledger.RewardItem{{RewardUUID: "r-1", Strategy: "redeem_reverse", RequiredPoints: 100, LineIDs: []string{"1"}}},
	}
	c := ledger.Checkout{Tenant: "acme", ID: id, Location: "amsterdam", POSOrderID: "B-2110", Currency: "EUR",
		Status: ledger.CheckoutReserving, Basket: basket, Totals: ledger.Totals{Lines: 600, Discounts: 150, Due: 450},
		Discounts: []ledger.Discount{{Source: "rewards[0]", UUID: "r-1", LineIDs: []string{"1"}, Amount: &amount}},
		CreatedAt: now, UpdatedAt: now}

	if _, _, err := store.Checkout(ctx, "acme", id); !errors.Is(err, ledger.ErrCheckoutNotFound) {
		t.Fatalf("missing checkout: %v", err)
	}
	if err := store.CreateCheckout(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateCheckout(ctx, c); !errors.Is(err, ledger.ErrCheckoutExists) {
		t.Fatalf("second create: %v", err)
	}

	loaded, _, err := store.Checkout(ctx, "acme", id)
	if err != nil || loaded.Version != 1 || loaded.Totals.Due != 450 || loaded.Basket.Lines[0].UnitPrice != 300 ||
		*loaded.Discounts[0].Amount != 150 || loaded.Currency != "EUR" {
		t.Fatalf("loaded %+v, %v", loaded, err)
	}
	waiting, _ := loaded.MoveTo(ledger.CheckoutAwaitingPayment, now)
	waiting.TaskToken = "token-1"
	saved, err := store.SaveCheckout(ctx, waiting)
	if err != nil || saved.Version != 2 {
		t.Fatalf("save: %+v, %v", saved, err)
	}
	// A writer still holding version 1 lost the race.
	stale, _ := loaded.MoveTo(ledger.CheckoutCompensating, now)
	if _, err := store.SaveCheckout(ctx, stale); !errors.Is(err, ledger.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}

	stepID, _ := ledger.NewStepID(ledger.StepVoucherLock, "vouchers[0]")
	step := ledger.NewStep(id, stepID, ledger.StepDetails{VoucherCode: "WELCOME"}, now, now.Add(time.Minute))
	step, created, err := store.RecordIntent(ctx, "acme", step)
	if err != nil || !created || step.Version != 1 {
		t.Fatalf("intent: %+v %v %v", step, created, err)
	}
	// A retried step finds its earlier intent instead of writing a new one.
	again, created, err := store.RecordIntent(ctx, "acme", step)
	if err != nil || created || again.State != ledger.StepPending || again.Details.VoucherCode != "WELCOME" {
		t.Fatalf("repeated intent: %+v %v %v", again, created, err)
	}
	done, _ := step.Succeed("tx-1", now)
	done.Details.ReleaseKey = "key-1"
	savedStep, err := store.SaveStep(ctx, "acme", done)
	if err != nil || savedStep.Version != 2 {
		t.Fatalf("save step: %+v, %v", savedStep, err)
	}
	// A second writer that read the pending step lost the race.
	if _, err := store.SaveStep(ctx, "acme", done); !errors.Is(err, ledger.ErrConflict) {
		t.Fatalf("second result: %v", err)
	}

	header, steps, err := store.Checkout(ctx, "acme", id)
	if err != nil || header.TaskToken != "token-1" || len(steps) != 1 || steps[0].LeatUUID != "tx-1" ||
		steps[0].ID != stepID || steps[0].Details.ReleaseKey != "key-1" || steps[0].Version != 2 {
		t.Fatalf("read back %+v %+v %v", header, steps, err)
	}
	// Another tenant with the same POS order id sees nothing of this one.
	if _, _, err := store.Checkout(ctx, "globex", id); !errors.Is(err, ledger.ErrCheckoutNotFound) {
		t.Fatalf("cross-tenant read: %v", err)
	}
}
