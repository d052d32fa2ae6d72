package ledger_test

import (
	"errors"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

var at = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestNewCheckoutID(t *testing.T) {
	tests := []struct {
		location, order string
		want            ledger.CheckoutID
		wantErr         bool
	}{
		{"amsterdam", "B-2110", "amsterdam.B-2110", false},
		{"amsterdam", "2026:11:26.0001_a", "amsterdam.2026:11:26.0001_a", false},
		{"", "B-2110", "", true},
		{"amsterdam", "", "", true},
		{"amsterdam", "has space", "", true},
		{"amsterdam", "#hash", "", true},
		{"amsterdam", string(make([]byte, 81)), "", true},
	}
	for _, tt := range tests {
		got, err := ledger.NewCheckoutID(tenancy.LocationID(tt.location), tt.order)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("NewCheckoutID(%q, %q) = %q, %v", tt.location, tt.order, got, err)
		}
		if err != nil && !errors.Is(err, ledger.ErrInvalid) {
			t.Errorf("error %v is not ErrInvalid", err)
		}
	}
}

func TestCheckoutTransitions(t *testing.T) {
	tests := []struct {
		from, to ledger.CheckoutStatus
		allowed  bool
	}{
		{ledger.CheckoutReserving, ledger.CheckoutAwaitingPayment, true},
		{ledger.CheckoutReserving, ledger.CheckoutCompensating, true},
		{ledger.CheckoutAwaitingPayment, ledger.CheckoutConfirming, true},
		{ledger.CheckoutAwaitingPayment, ledger.CheckoutCompensating, true},
		{ledger.CheckoutConfirming, ledger.CheckoutCompleted, true},
		{ledger.CheckoutCompensating, ledger.CheckoutCancelled, true},
		{ledger.CheckoutCompensating, ledger.CheckoutNeedsAttention, true},
		{ledger.CheckoutNeedsAttention, ledger.CheckoutCancelled, true},
		{ledger.CheckoutReserving, ledger.CheckoutCompleted, false},
		{ledger.CheckoutCompleted, ledger.CheckoutCompensating, false},
		{ledger.CheckoutCancelled, ledger.CheckoutConfirming, false},
		{ledger.CheckoutAwaitingPayment, ledger.CheckoutCompleted, false},
	}
	for _, tt := range tests {
		c := ledger.Checkout{ID: "amsterdam.1", Status: tt.from}
		got, err := c.MoveTo(tt.to, at)
		var te *ledger.TransitionError
		switch {
		case tt.allowed && (err != nil || got.Status != tt.to || !got.UpdatedAt.Equal(at)):
			t.Errorf("%s → %s: got %s, %v", tt.from, tt.to, got.Status, err)
		case !tt.allowed && !errors.As(err, &te):
			t.Errorf("%s → %s allowed, want a TransitionError", tt.from, tt.to)
		}
	}
}

func TestStepLifecycle(t *testing.T) {
	eur := money.Money{Amount: 1500, Currency: "EUR"}
	pending, err := ledger.NewStep("amsterdam.1", ledger.StepGiftcardDebit, 0, "giftcard-uuid", eur, at)
	if err != nil || pending.ID != "giftcard_debit.0" || pending.State != ledger.StepPending {
		t.Fatalf("NewStep = %+v, %v", pending, err)
	}
	if _, err := ledger.NewStep("amsterdam.1", "teleport", 0, "", eur, at); !errors.Is(err, ledger.ErrInvalid) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := pending.Succeed("", at); !errors.Is(err, ledger.ErrInvalid) {
		t.Fatalf("Succeed without a Leat uuid: %v", err)
	}
	done, err := pending.Succeed("tx-1", at)
	if err != nil || done.State != ledger.StepDone || done.LeatUUID != "tx-1" {
		t.Fatalf("Succeed = %+v, %v", done, err)
	}
	reversed, err := done.Reverse("tx-2", at)
	if err != nil || reversed.State != ledger.StepReversed || reversed.ReversalUUID != "tx-2" {
		t.Fatalf("Reverse = %+v, %v", reversed, err)
	}
	failed, err := pending.Fail("insufficient balance", at)
	if err != nil || failed.State != ledger.StepFailed {
		t.Fatalf("Fail = %+v, %v", failed, err)
	}

	forbidden := []struct {
		name string
		do   func() (ledger.Step, error)
	}{
		{"reverse a pending step", func() (ledger.Step, error) { return pending.Reverse("x", at) }},
		{"reverse twice", func() (ledger.Step, error) { return reversed.Reverse("x", at) }},
		{"reverse a failed step", func() (ledger.Step, error) { return failed.Reverse("x", at) }},
		{"succeed twice", func() (ledger.Step, error) { return done.Succeed("x", at) }},
		{"fail a done step", func() (ledger.Step, error) { return done.Fail("x", at) }},
	}
	for _, f := range forbidden {
		var te *ledger.TransitionError
		if _, err := f.do(); !errors.As(err, &te) {
			t.Errorf("%s: err = %v, want a TransitionError", f.name, err)
		}
	}
}
