package leatsandbox_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/infra/leatsandbox/sandboxtest"
)

func (l *leat) setVariant(name, value string) {
	l.t.Helper()
	if err := l.server.Sandbox.SetVariant(name, value); err != nil {
		l.t.Fatal(err)
	}
}

// defaults is every variant at its first (default) value.
func defaults() map[string]string {
	values := map[string]string{}
	for name, choices := range leatsandbox.VariantChoices() {
		values[name] = choices[0]
	}
	return values
}

func TestVariantsControl(t *testing.T) {
	l := start(t)
	sandbox := l.server.Sandbox
	if got := sandbox.Variants(); !reflect.DeepEqual(got, defaults()) {
		t.Fatalf("variants %v, want the defaults %v", got, defaults())
	}
	listed := l.call("GET", "/_sandbox/variants", nil)
	if listed.status != http.StatusOK || listed.str("variants.second_reverse") != leatsandbox.SecondReverseRefuse ||
		len(listed.list("choices.second_reverse")) != 2 {
		t.Fatalf("list: %d %s", listed.status, listed.raw)
	}

	chosen := l.call("POST", "/_sandbox/variants", map[string]string{"second_reverse": "apply", "order_duplicate": "accept"})
	if chosen.status != http.StatusOK || chosen.str("variants.second_reverse") != "apply" {
		t.Fatalf("choose: %d %s", chosen.status, chosen.raw)
	}
	want := defaults()
	want[leatsandbox.VariantSecondReverse], want[leatsandbox.VariantOrderDuplicate] = "apply", "accept"
	if got := sandbox.Variants(); !reflect.DeepEqual(got, want) {
		t.Fatalf("variants %v, want %v", got, want)
	}

	for _, bad := range []map[string]string{
		{"second_reverse": "sometimes"},
		{"no_such_variant": "refuse"},
		{"stale_release_key": "refused", "redeem_without_shop": "maybe"}, // one bad value refuses both
	} {
		a := l.call("POST", "/_sandbox/variants", bad)
		if a.status != http.StatusBadRequest || !strings.Contains(a.str("errors.variants.0"), "variant") {
			t.Fatalf("bad choice %v answered %d %s", bad, a.status, a.raw)
		}
	}
	if a := l.send("POST", "/_sandbox/variants", strings.NewReader("second_reverse=apply"), "text/plain"); a.status != http.StatusBadRequest {
		t.Fatalf("a body that is no JSON object answered %d", a.status)
	}
	if got := sandbox.Variants(); !reflect.DeepEqual(got, want) {
		t.Fatalf("refused choices changed the variants to %v", got)
	}

	l.call("POST", "/_sandbox/reset", nil)
	if got := sandbox.Variants(); !reflect.DeepEqual(got, want) {
		t.Fatalf("reset changed the variants to %v", got)
	}
	if err := sandbox.SetVariant("second_reverse", "twice"); err == nil || !strings.Contains(err.Error(), "apply") {
		t.Fatalf("SetVariant with a bad value: %v, want an error naming the choices", err)
	}
}

func TestVariantsFromOptions(t *testing.T) {
	server := sandboxtest.StartWith(t, leatsandbox.Options{Variants: map[string]string{leatsandbox.VariantRedeemWithoutShop: leatsandbox.RedeemWithoutShopRefuse}})
	if got := server.Sandbox.Variants()[leatsandbox.VariantRedeemWithoutShop]; got != leatsandbox.RedeemWithoutShopRefuse {
		t.Fatalf("redeem_without_shop is %q", got)
	}
	if _, err := leatsandbox.New(leatsandbox.Options{Variants: map[string]string{"order_duplicate": "ignore"}}); err == nil {
		t.Fatal("New accepted an unknown variant value")
	}
}

// choices runs test under each value of a variant, on a fresh sandbox.
func choices(t *testing.T, variant string, test func(t *testing.T, l *leat, value string)) {
	for _, value := range leatsandbox.VariantChoices()[variant] {
		t.Run(variant+"="+value, func(t *testing.T) {
			l := start(t)
			l.setVariant(variant, value)
			test(t, l, value)
		})
	}
}

func TestOrderDuplicateVariant(t *testing.T) {
	choices(t, leatsandbox.VariantOrderDuplicate, func(t *testing.T, l *leat, value string) {
		contact := l.richContact()
		first := l.call("POST", "/orders/create-and-process", l.order("DUP-1", contact.UUID, line("TEA", 2, 1000))).ok()
		earned := first.int("data.result.data.points")
		again := l.call("POST", "/orders/create-and-process", l.order("DUP-1", contact.UUID, line("TEA", 2, 1000)))
		found := l.call("GET", "/orders/find?external_identifier=DUP-1", nil).ok()

		switch value {
		case leatsandbox.OrderDuplicateRefuse:
			again.invalid("external_identifier")
			if l.points(contact.UUID) != contact.Points+earned || found.str("data.uuid") != first.str("data.order.uuid") {
				t.Fatalf("a refused duplicate changed the account: %s", found.raw)
			}
		case leatsandbox.OrderDuplicateAccept:
			again.ok()
			second := again.str("data.order.uuid")
			if second == first.str("data.order.uuid") || l.points(contact.UUID) != contact.Points+2*earned || found.str("data.uuid") != second {
				t.Fatalf("an accepted duplicate is another order, found as the newest: %s then %s", again.raw, found.raw)
			}
		}
	})
}

// reversible is a write whose reverse the second_reverse variant concerns.
type reversible struct {
	name string
	// write makes the transaction and returns its reverse path.
	write func(l *leat) string
	// measure reads the number the reverse moves (a balance, a count).
	measure func(l *leat) int64
	// refusal checks the answer to a refused second reverse.
	refusal func(a answer)
	// idempotent compensations change nothing more when applied again.
	idempotent bool
}

func reversibles(t *testing.T) []reversible {
	invalid := func(field string) func(a answer) { return func(a answer) { a.invalid(field) } }
	richPoints := func(l *leat) int64 { return l.points(l.richContact().UUID) }
	return []reversible{
		{name: "reward reception", measure: richPoints, refusal: invalid("reward_reception_uuid"),
			write: func(l *leat) string {
				claim := l.claim(l.richContact().UUID, l.plainReward().UUID).ok()
				return "/reward-receptions/" + claim.str("data.uuid") + "/reverse"
			}},
		{name: "credit reception", measure: richPoints, refusal: invalid("credit_reception_uuid"),
			write: func(l *leat) string {
				return "/credit-receptions/" + l.credit(l.richContact().UUID, map[string]any{"credits": 30}).ok().str("data.uuid") + "/reverse"
			}},
		{name: "voucher redemption", refusal: invalid("voucher_redemption_uuid"),
			write: func(l *leat) string {
				return "/vouchers/" + l.redeem(l.usableVoucher(true).Code, nil).ok().str("data.voucher_redemption.uuid") + "/reverse"
			},
			measure: func(l *leat) int64 {
				return l.call("GET", "/vouchers/find?code="+l.usableVoucher(true).Code, nil).ok().int("data.times_redeemed")
			}},
		{name: "reward collection", idempotent: true, refusal: func(a answer) { a.fails(80300) },
			write: func(l *leat) string {
				r := l.reward("a pre-redeemable reward", func(r leatsandbox.SeedReward) bool { return r.Active && r.PreRedeemable })
				uuid := l.claim(l.richContact().UUID, r.UUID).ok().str("data.uuid")
				l.call("PUT", "/collectable-rewards/collect/"+uuid, nil).ok()
				return "/collectable-rewards/" + uuid + "/reverse"
			},
			measure: func(l *leat) int64 { return int64(len(l.collectables(l.richContact().UUID))) }},
		{name: "giftcard transaction", refusal: invalid("giftcard_transaction_uuid"),
			write: func(l *leat) string {
				paid := l.call("POST", "/giftcard-transactions", map[string]any{"giftcard_uuid": loadedCard(t, l).UUID,
					"amount_in_cents": -100, "shop_uuid": l.shop().UUID}).ok()
				return "/giftcard-transactions/" + paid.str("data.uuid") + "/reverse"
			},
			measure: func(l *leat) int64 { return l.giftcardBalance(loadedCard(t, l).UUID) }},
		{name: "prepaid transaction", refusal: invalid("prepaid_transaction_uuid"),
			write: func(l *leat) string {
				paid := l.prepaid(map[string]any{"contact_uuid": l.richContact().UUID, "amount_in_cents": -100}).ok()
				return "/prepaid-transactions/" + paid.str("data.uuid") + "/reverse"
			},
			measure: func(l *leat) int64 { return l.prepaidBalance(l.richContact().UUID) }},
	}
}

// loadedCard is an active, unexpired giftcard with money on it.
func loadedCard(t *testing.T, l *leat) leatsandbox.SeedGiftcard {
	return pick(t, "a loaded giftcard", l.seed.Giftcards, func(g leatsandbox.SeedGiftcard) bool {
		return g.Active && g.AmountInCents > 0 && g.ExpirationDate != nil && g.ExpirationDate.After(time.Now())
	})
}

func TestSecondReverseVariant(t *testing.T) {
	for _, kind := range reversibles(t) {
		t.Run(kind.name, func(t *testing.T) {
			choices(t, leatsandbox.VariantSecondReverse, func(t *testing.T, l *leat, value string) {
				path := kind.write(l)
				written := kind.measure(l)
				l.call("POST", path, nil).ok()
				reversed := kind.measure(l)
				if reversed == written {
					t.Fatalf("the first reverse changed nothing (%d)", written)
				}
				again := l.call("POST", path, nil)

				want := reversed
				switch {
				case value == leatsandbox.SecondReverseRefuse:
					kind.refusal(again)
				case kind.idempotent:
					again.ok()
				default:
					again.ok()
					want = reversed + (reversed - written)
				}
				if got := kind.measure(l); got != want {
					t.Fatalf("after the second reverse: %d, want %d (written %d, reversed once %d)", got, want, written, reversed)
				}
			})
		})
	}
}

func TestStaleReleaseKeyVariant(t *testing.T) {
	ends := []struct {
		name string
		end  func(l *leat, voucherUUID, key string)
	}{
		{"released", func(l *leat, voucherUUID, key string) {
			l.call("POST", "/vouchers/"+voucherUUID+"/release", map[string]any{"release_key": key}).ok()
		}},
		{"expired", func(l *leat, _, _ string) { l.advance(time.Hour + time.Minute) }},
	}
	for _, ended := range ends {
		t.Run(ended.name, func(t *testing.T) {
			choices(t, leatsandbox.VariantStaleReleaseKey, func(t *testing.T, l *leat, value string) {
				v := l.usableVoucher(true)
				key := l.call("POST", "/vouchers/"+v.UUID+"/lock", nil).ok().str("data.lock.release_key")
				ended.end(l, v.UUID, key)

				release := l.call("POST", "/vouchers/"+v.UUID+"/release", map[string]any{"release_key": key})
				redeem := l.redeem(v.Code, map[string]any{"release_key": key})
				status := l.call("GET", "/vouchers/find?code="+v.Code, nil).ok().str("data.status")
				switch value {
				case leatsandbox.StaleReleaseKeyWorks:
					release.ok()
					redeem.ok()
					if status != "REDEEMED" {
						t.Fatalf("status %s after redeeming", status)
					}
				case leatsandbox.StaleReleaseKeyRefused:
					release.invalid("release_key")
					redeem.invalid("release_key")
					if status != "ACTIVE" {
						t.Fatalf("status %s after refusals", status)
					}
				}
			})
		})
	}
}

func TestRedeemWithoutShopVariant(t *testing.T) {
	choices(t, leatsandbox.VariantRedeemWithoutShop, func(t *testing.T, l *leat, value string) {
		v := l.usableVoucher(true)
		redeem := l.call("POST", "/vouchers/redeem", map[string]any{"code": v.Code})
		status := l.call("GET", "/vouchers/find?code="+v.Code, nil).ok().str("data.status")
		switch value {
		case leatsandbox.RedeemWithoutShopAccept:
			if redeem.ok(); status != "REDEEMED" {
				t.Fatalf("status %s after redeeming", status)
			}
		case leatsandbox.RedeemWithoutShopRefuse:
			if redeem.invalid("shop_uuid"); status != "ACTIVE" {
				t.Fatalf("status %s after a refusal", status)
			}
		}
		// An unknown shop is refused either way.
		l.redeem(l.usableVoucher(false).Code, map[string]any{"shop_uuid": unknownUUID, "contact_uuid": l.richContact().UUID}).fails(1008)
	})
}

// Every variant has its documented default first, and the exported names match the choices.
func TestVariantNames(t *testing.T) {
	want := map[string][]string{
		leatsandbox.VariantOrderDuplicate:    {leatsandbox.OrderDuplicateRefuse, leatsandbox.OrderDuplicateAccept},
		leatsandbox.VariantSecondReverse:     {leatsandbox.SecondReverseRefuse, leatsandbox.SecondReverseApply},
		leatsandbox.VariantStaleReleaseKey:   {leatsandbox.StaleReleaseKeyWorks, leatsandbox.StaleReleaseKeyRefused},
		leatsandbox.VariantRedeemWithoutShop: {leatsandbox.RedeemWithoutShopAccept, leatsandbox.RedeemWithoutShopRefuse},
	}
	got := leatsandbox.VariantChoices()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("choices %v, want %v", got, want)
	}
	got[leatsandbox.VariantSecondReverse][0] = "changed"
	if !reflect.DeepEqual(leatsandbox.VariantChoices(), want) {
		t.Fatal("VariantChoices hands out its own lists")
	}
}
