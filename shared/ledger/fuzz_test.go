package ledger_test

import (
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/ledger"
)

// FuzzIDs parses any checkout, return and step id as read from a path or
// the ledger: valid or refused, never a panic, and a valid id reads back
// the same.
func FuzzIDs(f *testing.F) {
	for _, seed := range []string{"shop-1.B-2110", "shop-1.", ".B", "R1", "voucher_lock:vouchers[0]", "giftcard_refund:returns[0].tenders[1]", "order:order", "x:y[999999]"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if id, err := ledger.ParseCheckoutID(raw); err == nil && (string(id) != raw || id.Location() == "") {
			t.Fatalf("checkout %q read as %q", raw, id)
		}
		if id, err := ledger.ParseReturnID(raw); err == nil && string(id) != raw {
			t.Fatalf("return %q read as %q", raw, id)
		}
		kind, item, _ := strings.Cut(raw, ":")
		if id, err := ledger.NewStepID(ledger.StepKind(kind), item); err == nil && (id.Kind() != ledger.StepKind(kind) || id.Item() != item) {
			t.Fatalf("step %q read as %q", raw, id)
		}
	})
}
