package ledger_test

import (
	"errors"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
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
		{ledger.CheckoutConfirming, ledger.CheckoutCompensating, true},
		{ledger.CheckoutCompensating, ledger.CheckoutCancelled, true},
		{ledger.CheckoutCompensating, ledger.CheckoutNeedsAttention, true},
		{ledger.CheckoutNeedsAttention, ledger.CheckoutCancelled, true},
		{ledger.CheckoutNeedsAttention, ledger.CheckoutCompensating, true},
		{ledger.CheckoutNeedsAttention, ledger.CheckoutConfirming, true},
		{ledger.CheckoutNeedsAttention, ledger.CheckoutReserving, false},
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

func TestParseCheckoutID(t *testing.T) {
	tests := []struct {
		in       string
		want     ledger.CheckoutID
		location tenancy.LocationID
		wantErr  bool
	}{
		{"shop-1.B-2110", "shop-1.B-2110", "shop-1", false},
		{"shop-1.2026.11.26", "shop-1.2026.11.26", "shop-1", false},
		{"shop-1", "", "", true},
		{".B-2110", "", "", true},
		{"Shop.B-2110", "", "", true},
		{"shop-1.", "", "", true},
		{"shop-1.has space", "", "", true},
	}
	for _, tt := range tests {
		got, err := ledger.ParseCheckoutID(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want || (err == nil && got.Location() != tt.location) {
			t.Errorf("ParseCheckoutID(%q) = %q (location %q), %v", tt.in, got, got.Location(), err)
		}
	}
}

func TestStepIDs(t *testing.T) {
	tests := []struct {
		kind    ledger.StepKind
		item    string
		want    ledger.StepID
		wantErr bool
	}{
		{ledger.StepRewardReception, "rewards[1]", "reward_reception:rewards[1]", false},
		{ledger.StepVoucherLock, "vouchers[0]", "voucher_lock:vouchers[0]", false},
		{ledger.StepOrder, ledger.ItemOrder, "order:order", false},
		{"teleport", "rewards[0]", "", true},
		{ledger.StepOrder, "rewards", "", true},
		{ledger.StepOrder, "rewards[1000]", "", true},
		{ledger.StepOrder, "", "", true},
	}
	for _, tt := range tests {
		got, err := ledger.NewStepID(tt.kind, tt.item)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("NewStepID(%q, %q) = %q, %v", tt.kind, tt.item, got, err)
			continue
		}
		if err == nil && (got.Kind() != tt.kind || got.Item() != tt.item) {
			t.Errorf("%q splits into %q and %q", got, got.Kind(), got.Item())
		}
		if err != nil && !errors.Is(err, ledger.ErrInvalid) {
			t.Errorf("error %v is not ErrInvalid", err)
		}
	}
}

func TestStepLifecycle(t *testing.T) {
	id, _ := ledger.NewStepID(ledger.StepRewardReception, "rewards[0]")
	lease := at.Add(30 * time.Second)
	pending := ledger.NewStep("amsterdam.1", id, ledger.StepDetails{RewardUUID: "r-1", Points: 100}, at, lease)
	if pending.State != ledger.StepPending || pending.Attempts != 1 || !pending.Leased(at) || pending.Leased(lease) {
		t.Fatalf("NewStep = %+v", pending)
	}
	retried, err := pending.Retry(at.Add(time.Minute), at.Add(2*time.Minute))
	if err != nil || retried.Attempts != 2 || !retried.Leased(at.Add(time.Minute)) {
		t.Fatalf("Retry = %+v, %v", retried, err)
	}
	done, err := pending.Succeed("tx-1", at)
	if err != nil || done.State != ledger.StepDone || done.LeatUUID != "tx-1" || done.Leased(at) {
		t.Fatalf("Succeed = %+v, %v", done, err)
	}
	// A write read back from Leat after a lost answer has no uuid.
	if unnamed, err := pending.Succeed("", at); err != nil || unnamed.State != ledger.StepDone {
		t.Fatalf("Succeed without uuid = %+v, %v", unnamed, err)
	}
	before := int64(2400)
	reversing, err := done.BeginReversal(&before, at, lease)
	if err != nil || reversing.State != ledger.StepReversing || *reversing.Details.PointsBefore != 2400 || reversing.Attempts != 1 {
		t.Fatalf("BeginReversal = %+v, %v", reversing, err)
	}
	reversed, err := reversing.Reverse("tx-2", at)
	if err != nil || reversed.State != ledger.StepReversed || reversed.ReversalUUID != "tx-2" {
		t.Fatalf("Reverse = %+v, %v", reversed, err)
	}
	failed, err := pending.Fail("reward_out_of_stock", "out of stock", at)
	if err != nil || failed.State != ledger.StepFailed || failed.FailureCode != "reward_out_of_stock" {
		t.Fatalf("Fail = %+v, %v", failed, err)
	}
	stuck, err := reversing.NeedAttention("reversal_unknown", "Leat cannot tell", at)
	if err != nil || stuck.State != ledger.StepNeedsAttention {
		t.Fatalf("NeedAttention = %+v, %v", stuck, err)
	}

	forbidden := []struct {
		name string
		do   func() (ledger.Step, error)
	}{
		{"reverse a pending step", func() (ledger.Step, error) { return pending.Reverse("x", at) }},
		{"reverse a done step without intent", func() (ledger.Step, error) { return done.Reverse("x", at) }},
		{"begin reversing a pending step", func() (ledger.Step, error) { return pending.BeginReversal(nil, at, lease) }},
		{"reverse twice", func() (ledger.Step, error) { return reversed.Reverse("x", at) }},
		{"begin reversing a reversed step", func() (ledger.Step, error) { return reversed.BeginReversal(nil, at, lease) }},
		{"reverse a failed step", func() (ledger.Step, error) { return failed.BeginReversal(nil, at, lease) }},
		{"succeed twice", func() (ledger.Step, error) { return done.Succeed("x", at) }},
		{"fail a done step", func() (ledger.Step, error) { return done.Fail("c", "x", at) }},
		{"retry a done step", func() (ledger.Step, error) { return done.Retry(at, lease) }},
		{"give up on a done step", func() (ledger.Step, error) { return done.NeedAttention("c", "x", at) }},
		{"succeed a step that needs attention", func() (ledger.Step, error) { return stuck.Succeed("x", at) }},
	}
	for _, f := range forbidden {
		var te *ledger.TransitionError
		if _, err := f.do(); !errors.As(err, &te) {
			t.Errorf("%s: err = %v, want a TransitionError", f.name, err)
		}
	}
}

// TestReopen: an operator's retry puts a step needing attention back in the
// state the saga gave up in, with nothing of its failure and no lease, and
// a return back to processing; anything else is a TransitionError.
func TestReopen(t *testing.T) {
	id, _ := ledger.NewStepID(ledger.StepVoucherLock, "vouchers[0]")
	pending := ledger.NewStep("amsterdam.1", id, ledger.StepDetails{}, at, at.Add(time.Minute))
	reversing, err := pending.Succeed("uuid-1", at)
	if err == nil {
		reversing, err = reversing.BeginReversal(nil, at, at.Add(time.Minute))
	}
	if err != nil {
		t.Fatal(err)
	}
	gaveUp := func(s ledger.Step) ledger.Step {
		stuck, err := s.NeedAttention("unresolved", "Leat kept failing", at)
		if err != nil {
			t.Fatal(err)
		}
		return stuck
	}
	tests := []struct {
		name string
		step ledger.Step
		want ledger.StepState
	}{
		{"gave up while writing", gaveUp(pending), ledger.StepPending},
		{"gave up while giving back", gaveUp(reversing), ledger.StepReversing},
		{"not needing attention", pending, ""},
		{"needing attention from before the state was kept", func() ledger.Step { s := gaveUp(pending); s.AttentionFrom = ""; return s }(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.step.Reopen()
			var te *ledger.TransitionError
			if tt.want == "" {
				if !errors.As(err, &te) {
					t.Fatalf("reopened to %s, want a TransitionError", got.State)
				}
				return
			}
			if err != nil || got.State != tt.want || got.FailureCode != "" || got.Failure != "" || got.Leased(at) || got.AttentionFrom != "" {
				t.Fatalf("reopened %+v, %v", got, err)
			}
		})
	}

	r := ledger.Return{ID: "R1", Status: ledger.ReturnNeedsAttention, Problems: []string{"x"}}
	if open, err := r.Reopen(at); err != nil || open.Status != ledger.ReturnProcessing || len(open.Problems) != 0 {
		t.Fatalf("return reopened %+v, %v", open, err)
	}
	r.Status = ledger.ReturnCompleted
	var te *ledger.TransitionError
	if _, err := r.Reopen(at); !errors.As(err, &te) {
		t.Fatalf("a completed return reopened: %v", err)
	}
}
