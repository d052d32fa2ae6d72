package leatsandbox

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Variants pick one of several plausible behaviours where Leat documents nothing and the gateway's
// correctness depends on the answer. Nobody can test against real Leat, so the gateway's tests run under
// every value: the gateway must not depend on the sandbox's guess. The first value of each is the default,
// the likeliest reading of the sources.
const (
	// VariantOrderDuplicate is what a second orders/create-and-process, or order-returns/create-and-process,
	// with an external_identifier already used does.
	VariantOrderDuplicate = "order_duplicate"
	// OrderDuplicateRefuse answers 1003 with errors.external_identifier ["The external identifier has
	// already been taken."] and applies nothing.
	OrderDuplicateRefuse = "refuse"
	// OrderDuplicateAccept processes it as another order (or return): a new uuid and the points earned (or
	// taken back) again; orders/find and order returns by external_identifier then take the newest.
	OrderDuplicateAccept = "accept"

	// VariantSecondReverse is what reversing a reward reception, credit reception, voucher redemption,
	// reward collection, giftcard or prepaid transaction a second time does.
	VariantSecondReverse = "second_reverse"
	// SecondReverseRefuse refuses it: 1003 on the reversed uuid (80300 for a collection) and nothing applied.
	SecondReverseRefuse = "refuse"
	// SecondReverseApply answers success and applies the compensation again: what a blind retry of a
	// reverse whose answer was lost would do to the books.
	SecondReverseApply = "apply"

	// VariantStaleReleaseKey is what releasing or redeeming a voucher with the release key of a lock that
	// already ended (released, redeemed with, or expired) does.
	VariantStaleReleaseKey = "stale_release_key"
	// StaleReleaseKeyWorks lets it succeed: the caller's intent is met.
	StaleReleaseKeyWorks = "works"
	// StaleReleaseKeyRefused answers 1003 on release_key.
	StaleReleaseKeyRefused = "refused"

	// VariantRedeemWithoutShop is what vouchers/redeem without shop_uuid does: the current docs require it,
	// an older revision and Leat's own PHP SDK never send it.
	VariantRedeemWithoutShop = "redeem_without_shop"
	// RedeemWithoutShopAccept redeems the voucher.
	RedeemWithoutShopAccept = "accept"
	// RedeemWithoutShopRefuse answers 1003 on shop_uuid.
	RedeemWithoutShopRefuse = "refuse"
)

// variantChoices lists the values of each variant, the default first.
var variantChoices = map[string][]string{
	VariantOrderDuplicate:    {OrderDuplicateRefuse, OrderDuplicateAccept},
	VariantSecondReverse:     {SecondReverseRefuse, SecondReverseApply},
	VariantStaleReleaseKey:   {StaleReleaseKeyWorks, StaleReleaseKeyRefused},
	VariantRedeemWithoutShop: {RedeemWithoutShopAccept, RedeemWithoutShopRefuse},
}

// VariantChoices returns every variant with its values, the default first, so tests can run under each.
func VariantChoices() map[string][]string {
	choices := make(map[string][]string, len(variantChoices))
	for name, values := range variantChoices {
		choices[name] = slices.Clone(values)
	}
	return choices
}

// variantSet holds the chosen value of every variant. A change publishes a new map, so a request reads
// one consistent set without holding a lock while it runs.
type variantSet struct {
	mu      sync.Mutex
	current map[string]string
}

func newVariantSet() *variantSet {
	defaults := make(map[string]string, len(variantChoices))
	for name, values := range variantChoices {
		defaults[name] = values[0]
	}
	return &variantSet{current: defaults}
}

// values returns the chosen values; the map is never changed afterwards, so callers may keep reading it.
func (vs *variantSet) values() map[string]string {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return vs.current
}

// set checks every choice before applying any, so a bad one leaves the set as it was.
func (vs *variantSet) set(chosen map[string]string) error {
	for name, value := range chosen {
		if err := checkVariant(name, value); err != nil {
			return err
		}
	}
	vs.mu.Lock()
	defer vs.mu.Unlock()
	next := maps.Clone(vs.current)
	maps.Copy(next, chosen)
	vs.current = next
	return nil
}

func checkVariant(name, value string) error {
	values, known := variantChoices[name]
	if !known {
		return fmt.Errorf("unknown variant %q; the variants are %s", name, strings.Join(slices.Sorted(maps.Keys(variantChoices)), ", "))
	}
	if !slices.Contains(values, value) {
		return fmt.Errorf("variant %s has no value %q; choose %s (the default) or %s", name, value, values[0], strings.Join(values[1:], ", "))
	}
	return nil
}

// SetVariant chooses the behaviour of a variant for requests that arrive from now on.
func (s *Sandbox) SetVariant(name, value string) error {
	return s.variants.set(map[string]string{name: value})
}

// Variants returns the value of every variant, defaults included.
func (s *Sandbox) Variants() map[string]string {
	return maps.Clone(s.variants.values())
}
