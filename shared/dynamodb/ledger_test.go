package dynamodb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/money"
)

func TestLedgerCheckoutAndSteps(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	store := dynamodb.NewLedgerStore(table)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	id, _ := ledger.NewCheckoutID("amsterdam", "B-2110")
	total := money.Money{Amount: 3450, Currency: "EUR"}
	c := ledger.Checkout{Tenant: "acme", ID: id, Location: "amsterdam", POSOrderID: "B-2110",
		Status: ledger.CheckoutReserving, Total: total, CreatedAt: now, UpdatedAt: now}

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
	if err != nil || loaded.Version != 1 || loaded.Total != total {
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

	step, _ := ledger.NewStep(id, ledger.StepGiftcardDebit, 0, "giftcard-uuid", money.Money{Amount: 1500, Currency: "EUR"}, now)
	if _, created, err := store.RecordIntent(ctx, "acme", step); err != nil || !created {
		t.Fatalf("intent: %v %v", created, err)
	}
	// A retried step finds its earlier intent instead of writing a new one.
	again, created, err := store.RecordIntent(ctx, "acme", step)
	if err != nil || created || again.State != ledger.StepPending || again.Amount.Amount != 1500 {
		t.Fatalf("repeated intent: %+v %v %v", again, created, err)
	}
	done, _ := step.Succeed("tx-1", now)
	if err := store.SaveStep(ctx, "acme", ledger.StepPending, done); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveStep(ctx, "acme", ledger.StepPending, done); !errors.Is(err, ledger.ErrConflict) {
		t.Fatalf("second result: %v", err)
	}

	header, steps, err := store.Checkout(ctx, "acme", id)
	if err != nil || header.TaskToken != "token-1" || len(steps) != 1 || steps[0].LeatUUID != "tx-1" || steps[0].ID != "giftcard_debit.0" {
		t.Fatalf("read back %+v %+v %v", header, steps, err)
	}
	// Another tenant with the same POS order id sees nothing of this one.
	if _, _, err := store.Checkout(ctx, "globex", id); !errors.Is(err, ledger.ErrCheckoutNotFound) {
		t.Fatalf("cross-tenant read: %v", err)
	}
}
