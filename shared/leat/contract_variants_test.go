package leat_test

// Where Leat documents nothing and the gateway depends on the answer, the sandbox offers each
// plausible behaviour as a variant. These tests show how each value reaches the client, so the
// code above it can be tested under every one.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

// underEachValue runs test once per value of variant, each on a fresh sandbox set to it.
func underEachValue(t *testing.T, variant string, test func(t *testing.T, sb *sandbox, value string)) {
	for _, value := range leatsandbox.VariantChoices()[variant] {
		t.Run(variant+"="+value, func(t *testing.T) {
			sb := startSandbox(t)
			if err := sb.Sandbox.SetVariant(variant, value); err != nil {
				t.Fatal(err)
			}
			test(t, sb, value)
		})
	}
}

// reverseCase is a write that a second reverse concerns.
type reverseCase struct {
	name string
	// write makes the transaction and returns the call that reverses it.
	write func(t *testing.T, sb *sandbox) func(context.Context) error
	// measure reads the number the reverse moves (a balance, a count).
	measure func(t *testing.T, sb *sandbox) int64
	// refused is the code a refused second reverse answers.
	refused leat.Code
	// idempotent compensations change nothing more when applied again.
	idempotent bool
}

func reverseCases() []reverseCase {
	pointsOfRichest := func(t *testing.T, sb *sandbox) int64 { return sb.points(t, sb.richContact(t).UUID) }
	plainReward := func(t *testing.T, sb *sandbox) leatsandbox.SeedReward {
		return sb.reward(t, "affordable reward without limits", func(r leatsandbox.SeedReward) bool {
			return inStock(r) && !r.PreRedeemable && r.ClaimLimit == 0 && r.RequiredCredits <= sb.richContact(t).Points
		})
	}
	personalVoucher := func(t *testing.T, sb *sandbox) leatsandbox.SeedVoucher {
		return sb.voucher(t, "usable single-use voucher of a contact", func(v leatsandbox.SeedVoucher) bool {
			return sb.usable(t, v) && v.Contact != "" && v.TotalRedemptionsAllowed <= 1
		})
	}
	loadedCard := func(t *testing.T, sb *sandbox) leatsandbox.SeedGiftcard {
		return pick(t, "loaded giftcard", sb.seed.Giftcards, func(g leatsandbox.SeedGiftcard) bool {
			return g.Active && g.AmountInCents > 0 && g.ExpirationDate != nil && g.ExpirationDate.After(sb.now())
		})
	}
	return []reverseCase{
		{name: "reward reception", measure: pointsOfRichest, refused: leat.CodeInvalidInput,
			write: func(t *testing.T, sb *sandbox) func(context.Context) error {
				reception, err := sb.client.CreateRewardReception(t.Context(), leat.CreateRewardReceptionRequest{
					ContactUUID: sb.richContact(t).UUID, RewardUUID: plainReward(t, sb).UUID, ShopUUID: sb.shop(t).UUID})
				need(t, err, "CreateRewardReception")
				return func(ctx context.Context) error { return errOf(sb.client.ReverseRewardReception(ctx, reception.UUID)) }
			}},
		{name: "credit reception", measure: pointsOfRichest, refused: leat.CodeInvalidInput,
			write: func(t *testing.T, sb *sandbox) func(context.Context) error {
				reception, err := sb.client.CreateCreditReception(t.Context(), leat.CreateCreditReceptionRequest{
					ContactUUID: sb.richContact(t).UUID, ShopUUID: sb.shop(t).UUID, Credits: 30})
				need(t, err, "CreateCreditReception")
				return func(ctx context.Context) error { return errOf(sb.client.ReverseCreditReception(ctx, reception.UUID)) }
			}},
		{name: "voucher redemption", refused: leat.CodeInvalidInput,
			write: func(t *testing.T, sb *sandbox) func(context.Context) error {
				redeemed, err := sb.client.RedeemVoucher(t.Context(), leat.RedeemVoucherRequest{Code: personalVoucher(t, sb).Code, ShopUUID: sb.shop(t).UUID})
				need(t, err, "RedeemVoucher")
				return func(ctx context.Context) error {
					return sb.client.ReverseVoucherRedemption(ctx, redeemed.Redemption.UUID)
				}
			},
			measure: func(t *testing.T, sb *sandbox) int64 {
				v, err := sb.client.FindVoucher(t.Context(), personalVoucher(t, sb).Code)
				need(t, err, "FindVoucher")
				return v.TimesRedeemed
			}},
		{name: "reward collection", refused: leat.CodeNotFoundOrExpired, idempotent: true,
			write: func(t *testing.T, sb *sandbox) func(context.Context) error {
				preRedeemable := sb.reward(t, "pre-redeemable reward", func(r leatsandbox.SeedReward) bool { return inStock(r) && r.PreRedeemable })
				reception, err := sb.client.CreateRewardReception(t.Context(), leat.CreateRewardReceptionRequest{
					ContactUUID: sb.richContact(t).UUID, RewardUUID: preRedeemable.UUID, ShopUUID: sb.shop(t).UUID})
				need(t, err, "CreateRewardReception")
				collected, err := sb.client.CollectReward(t.Context(), reception.UUID)
				need(t, err, "CollectReward")
				return func(ctx context.Context) error { return errOf(sb.client.ReverseRewardCollection(ctx, collected.UUID)) }
			},
			measure: func(t *testing.T, sb *sandbox) int64 {
				waiting, err := sb.client.ListCollectableRewards(t.Context(), sb.richContact(t).UUID)
				need(t, err, "ListCollectableRewards")
				return int64(len(waiting))
			}},
		{name: "giftcard transaction", refused: leat.CodeInvalidInput,
			write: func(t *testing.T, sb *sandbox) func(context.Context) error {
				paid, err := sb.client.CreateGiftcardTransaction(t.Context(), leat.CreateGiftcardTransactionRequest{
					GiftcardUUID: loadedCard(t, sb).UUID, ShopUUID: sb.shop(t).UUID, AmountInCents: -100})
				need(t, err, "CreateGiftcardTransaction")
				return func(ctx context.Context) error { return errOf(sb.client.ReverseGiftcardTransaction(ctx, paid.UUID)) }
			},
			measure: func(t *testing.T, sb *sandbox) int64 {
				card, err := sb.client.GetGiftcard(t.Context(), loadedCard(t, sb).UUID)
				need(t, err, "GetGiftcard")
				return card.AmountInCents
			}},
		{name: "prepaid transaction", refused: leat.CodeInvalidInput,
			write: func(t *testing.T, sb *sandbox) func(context.Context) error {
				paid, err := sb.client.CreatePrepaidTransaction(t.Context(), leat.CreatePrepaidTransactionRequest{
					ContactUUID: sb.richContact(t).UUID, ShopUUID: sb.shop(t).UUID, AmountInCents: -100})
				need(t, err, "CreatePrepaidTransaction")
				return func(ctx context.Context) error { return errOf(sb.client.ReversePrepaidTransaction(ctx, paid.UUID)) }
			},
			measure: func(t *testing.T, sb *sandbox) int64 {
				balance, err := sb.client.GetPrepaidBalance(t.Context(), sb.richContact(t).UUID)
				need(t, err, "GetPrepaidBalance")
				return balance
			}},
	}
}

// Under second_reverse=apply a second reverse succeeds and moves the money or points again:
// what a blind retry of a reverse whose answer was lost does.
func TestContractSecondReverse(t *testing.T) {
	for _, tc := range reverseCases() {
		t.Run(tc.name, func(t *testing.T) {
			underEachValue(t, leatsandbox.VariantSecondReverse, func(t *testing.T, sb *sandbox, value string) {
				reverse := tc.write(t, sb)
				written := tc.measure(t, sb)
				need(t, reverse(t.Context()), "first reverse")
				reversed := tc.measure(t, sb)
				if reversed == written {
					t.Fatalf("the first reverse changed nothing (%d)", written)
				}

				err := reverse(t.Context())
				want := reversed
				switch {
				case value == leatsandbox.SecondReverseRefuse:
					wantCode(t, err, tc.refused)
				case tc.idempotent:
					need(t, err, "second reverse")
				default:
					need(t, err, "second reverse")
					want = reversed + (reversed - written)
				}
				if got := tc.measure(t, sb); got != want {
					t.Fatalf("after the second reverse: %d, want %d (written %d, reversed once %d)", got, want, written, reversed)
				}
			})
		})
	}
}

func TestContractOrderDuplicate(t *testing.T) {
	underEachValue(t, leatsandbox.VariantOrderDuplicate, func(t *testing.T, sb *sandbox, value string) {
		contact := sb.contact(t, "contact without points", func(c leatsandbox.SeedContact) bool { return c.Points == 0 })
		order := leat.OrderRequest{ExternalIdentifier: "POS-DUP-1", Status: leat.OrderCompleted, PaymentStatus: leat.PaymentPaid,
			TotalOrderAmount: 2000, Contact: leat.Ref{UUID: contact.UUID}, BusinessProfile: leat.Ref{UUID: sb.shop(t).UUID},
			LineItems: []leat.OrderLineItem{{ExternalIdentifier: "L1", Name: "Lunch", Quantity: 1, Price: 2000, TotalAmount: 2000}}}
		first, err := sb.client.CreateAndProcessOrder(t.Context(), order)
		need(t, err, "CreateAndProcessOrder")
		earned := first.Result.Data.Points

		again, err := sb.client.CreateAndProcessOrder(t.Context(), order)
		found, findErr := sb.client.FindOrder(t.Context(), order.ExternalIdentifier)
		need(t, findErr, "FindOrder")
		switch value {
		case leatsandbox.OrderDuplicateRefuse:
			wantInvalidField(t, err, "external_identifier")
			if sb.points(t, contact.UUID) != earned || found.UUID != first.Order.UUID {
				t.Fatalf("a refused duplicate changed the account; found %s", found.UUID)
			}
		case leatsandbox.OrderDuplicateAccept:
			need(t, err, "CreateAndProcessOrder again")
			if again.Order.UUID == first.Order.UUID || sb.points(t, contact.UUID) != 2*earned || found.UUID != again.Order.UUID {
				t.Fatalf("an accepted duplicate is a new order earning again and found as the newest: %+v, found %s", again.Order, found.UUID)
			}
		}
	})
}

func TestContractStaleReleaseKey(t *testing.T) {
	underEachValue(t, leatsandbox.VariantStaleReleaseKey, func(t *testing.T, sb *sandbox, value string) {
		v := sb.voucher(t, "usable single-use voucher of a contact", func(v leatsandbox.SeedVoucher) bool {
			return sb.usable(t, v) && v.Contact != "" && v.TotalRedemptionsAllowed <= 1
		})
		lock, err := sb.client.LockVoucher(t.Context(), v.UUID)
		need(t, err, "LockVoucher")
		_, err = sb.client.ReleaseVoucher(t.Context(), v.UUID, lock.Lock.ReleaseKey)
		need(t, err, "ReleaseVoucher")

		_, releaseErr := sb.client.ReleaseVoucher(t.Context(), v.UUID, lock.Lock.ReleaseKey)
		_, redeemErr := sb.client.RedeemVoucher(t.Context(), leat.RedeemVoucherRequest{Code: v.Code, ShopUUID: sb.shop(t).UUID, ReleaseKey: lock.Lock.ReleaseKey})
		found, err := sb.client.FindVoucher(t.Context(), v.Code)
		need(t, err, "FindVoucher")
		switch value {
		case leatsandbox.StaleReleaseKeyWorks:
			need(t, releaseErr, "ReleaseVoucher with the ended lock's key")
			need(t, redeemErr, "RedeemVoucher with the ended lock's key")
			if found.Status != leat.VoucherRedeemed {
				t.Fatalf("status %s after redeeming", found.Status)
			}
		case leatsandbox.StaleReleaseKeyRefused:
			wantInvalidField(t, releaseErr, "release_key")
			wantInvalidField(t, redeemErr, "release_key")
			if found.Status != leat.VoucherActive {
				t.Fatalf("status %s after refusals", found.Status)
			}
		}
	})
}

func TestContractRedeemWithoutShop(t *testing.T) {
	underEachValue(t, leatsandbox.VariantRedeemWithoutShop, func(t *testing.T, sb *sandbox, value string) {
		v := sb.voucher(t, "usable single-use voucher of a contact", func(v leatsandbox.SeedVoucher) bool {
			return sb.usable(t, v) && v.Contact != "" && v.TotalRedemptionsAllowed <= 1
		})
		_, err := sb.client.RedeemVoucher(t.Context(), leat.RedeemVoucherRequest{Code: v.Code})
		found, findErr := sb.client.FindVoucher(t.Context(), v.Code)
		need(t, findErr, "FindVoucher")
		switch value {
		case leatsandbox.RedeemWithoutShopAccept:
			need(t, err, "RedeemVoucher without a shop")
			if found.Status != leat.VoucherRedeemed {
				t.Fatalf("status %s after redeeming", found.Status)
			}
		case leatsandbox.RedeemWithoutShopRefuse:
			wantInvalidField(t, err, "shop_uuid")
			if found.Status != leat.VoucherActive {
				t.Fatalf("status %s after a refusal", found.Status)
			}
		}
	})
}

// A refuse fault is Leat refusing the request: the client reports the business error at once,
// without retrying and without an unknown outcome, and nothing was applied.
func TestContractRefuseFault(t *testing.T) {
	sb := startSandbox(t)
	contact, shop := sb.richContact(t), sb.shop(t)
	faults, err := leatsandbox.ParseFaults("refuse=1018 POST /reward-receptions x1")
	need(t, err, "ParseFaults")
	need(t, sb.Sandbox.InjectFault(faults[0]), "InjectFault")
	reward := sb.reward(t, "affordable reward without limits", func(r leatsandbox.SeedReward) bool {
		return inStock(r) && !r.PreRedeemable && r.ClaimLimit == 0 && r.RequiredCredits <= contact.Points
	})
	claim := leat.CreateRewardReceptionRequest{ContactUUID: contact.UUID, RewardUUID: reward.UUID, ShopUUID: shop.UUID}
	sb.Sandbox.ClearRequests()

	started := time.Now()
	_, err = sb.client.CreateRewardReception(t.Context(), claim)
	wantCode(t, err, leat.CodeRewardOutOfStock)
	if errors.Is(err, leat.ErrOutcomeUnknown) || errors.Is(err, leat.ErrTransient) {
		t.Fatalf("err = %v, a business error", err)
	}
	if requests := sb.Sandbox.Requests(); len(requests) != 1 || requests[0].Fault != leatsandbox.FaultRefuse || !requests[0].Started.After(started) {
		t.Fatalf("requests %+v, want the one refused attempt", requests)
	}
	if got := sb.points(t, contact.UUID); got != contact.Points {
		t.Fatalf("balance %d after a refused claim, want %d", got, contact.Points)
	}
	_, err = sb.client.CreateRewardReception(t.Context(), claim)
	need(t, err, "CreateRewardReception after the fault")
}
