package checkout

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

func TestPlans(t *testing.T) {
	c := ledger.Checkout{ContactUUID: "anna", Basket: ledger.Basket{
		Rewards: []ledger.RewardItem{
			{RewardUUID: "coffee", Strategy: tenancy.RewardRedeemReverse},
			{RewardUUID: "croissant", Strategy: tenancy.RewardPreRedeemCollect},
		},
		Collects: []ledger.CollectItem{{CollectableUUID: "cake"}},
		Vouchers: []ledger.VoucherItem{
			{Code: "WELCOME", Strategy: tenancy.VoucherLockRedeem},
			{Code: "FLYER", Strategy: tenancy.VoucherRedeemReverse},
		},
	}}
	tests := []struct {
		name string
		got  []ledger.StepID
		want []ledger.StepID
	}{
		{"reserve", reservePlan(c), []ledger.StepID{
			"reward_reception:rewards[0]", "reward_reception:rewards[1]", "voucher_lock:vouchers[0]", "voucher_redemption:vouchers[1]",
		}},
		{"confirm", confirmPlan(c), []ledger.StepID{
			"voucher_redemption:vouchers[0]", "reward_collection:rewards[1]", "reward_collection:collect[0]",
		}},
		{"compensate newest first", compensationPlan(c), []ledger.StepID{
			"voucher_redemption:vouchers[1]", "voucher_lock:vouchers[0]", "reward_reception:rewards[1]", "reward_reception:rewards[0]",
		}},
		{"saga rewards", sagaInput(c).Rewards, []ledger.StepID{"reward_reception:rewards[0]", "reward_reception:rewards[1]"}},
		{"saga vouchers", sagaInput(c).Vouchers, []ledger.StepID{"voucher_lock:vouchers[0]", "voucher_redemption:vouchers[1]"}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s plan = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !holdsVoucherLock(c) || !sagaInput(c).EarnPoints {
		t.Error("the checkout locks a voucher and has a customer")
	}
	empty := sagaInput(ledger.Checkout{})
	if empty.Rewards == nil || empty.Vouchers == nil || empty.Confirm == nil || empty.Review.Compensate == nil || empty.EarnPoints {
		t.Errorf("an empty basket must give empty lists, never null, to the state machine's Maps: %+v", empty)
	}
}

func TestExecutionName(t *testing.T) {
	tests := []struct {
		tenant tenancy.TenantID
		id     ledger.CheckoutID
		want   string
	}{
		{"demo", "shop-1.B-2110", "demo-shop-1-B-2110"},
		{"demo", "shop-1.2026:11:26.0001", "demo-shop-1-2026_11_26_0001"},
	}
	for _, tt := range tests {
		if got := ExecutionName(tt.tenant, tt.id); got != tt.want {
			t.Errorf("ExecutionName(%s, %s) = %q, want %q", tt.tenant, tt.id, got, tt.want)
		}
	}
	long := ledger.CheckoutID("shop-1." + strings.Repeat("A", 80))
	a, b := ExecutionName("demo", long), ExecutionName("demo", long+"B")
	if len(a) != 80 || len(b) != 80 || a == b {
		t.Errorf("long names %q and %q must stay within 80 characters and apart", a, b)
	}
}

// TestSafeExecutionName replaces each run of characters Step Functions does
// not allow by one '_', as the pattern [^A-Za-z0-9_-]+ would.
func TestSafeExecutionName(t *testing.T) {
	unsafe := regexp.MustCompile(`[^A-Za-z0-9_-]+`)
	samples := []string{"", "a", "shop-1.B-2110", "2026:11:26..0001", "..", "café au lait", "a/b\\c", "_-_"}
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := strings.Split("aZ09_-.:/ é", "")
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		samples = append(samples, b.String())
	}
	for _, s := range samples {
		if got, want := safeExecutionName(s), unsafe.ReplaceAllString(s, "_"); got != want {
			t.Errorf("safeExecutionName(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestRefusalReasonsReadBack(t *testing.T) {
	for _, r := range refusalReasons {
		if got := errorOf(reasonOf(r.err)); got != r.err && reasonOf(got) != r.code {
			t.Errorf("%s reads back as %v", r.code, got)
		}
	}
	if reasonOf(errAny) != "leat_rejected" {
		t.Errorf("an unknown error is named %q", reasonOf(errAny))
	}
}

var errAny = errors.ErrUnsupported // any error that is no refusal

func TestItemIndex(t *testing.T) {
	for item, want := range map[string]int{"rewards[0]": 0, "vouchers[12]": 12, "order": -1, "collect[x]": -1} {
		if got := itemIndex(item); got != want {
			t.Errorf("itemIndex(%q) = %d, want %d", item, got, want)
		}
	}
}
