package leat_test

import (
	"context"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

func (sb *sandbox) reward(t *testing.T, what string, match func(leatsandbox.SeedReward) bool) leatsandbox.SeedReward {
	t.Helper()
	return pick(t, what, sb.seed.Rewards, match)
}

// inStock tells whether a reward can be claimed as far as the reward itself goes.
func inStock(r leatsandbox.SeedReward) bool {
	return r.Active && (r.Stock == nil || *r.Stock > 0)
}

// wantAttributes fails unless got holds exactly the defined custom attributes, with the seeded
// values and "" for those the record leaves unset: Leat sends every attribute of the account.
func wantAttributes(t *testing.T, got leat.Attributes, defined []string, values map[string]string) {
	t.Helper()
	for _, name := range defined {
		if value, ok := got[name]; !ok || value != values[name] {
			t.Errorf("attribute %s = %q (present %v), want %q", name, value, ok, values[name])
		}
	}
	if len(got) != len(defined) {
		t.Errorf("attributes %v, want only %v", got, defined)
	}
}

func TestContractRewards(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	ctx := t.Context()
	shop, contact := sb.shop(t), sb.richContact(t)

	rewards, err := c.ListRewards(ctx, leat.ListRewardsRequest{})
	need(t, err, "ListRewards")
	if len(rewards) != len(sb.seed.Rewards) {
		t.Fatalf("listed %d rewards, want %d", len(rewards), len(sb.seed.Rewards))
	}
	for i, want := range sb.seed.Rewards {
		t.Run(want.Title, func(t *testing.T) {
			got, err := c.GetReward(ctx, want.UUID)
			need(t, err, "GetReward")
			for _, r := range []leat.Reward{rewards[i], *got} {
				if r.UUID != want.UUID || r.Title != want.Title || r.Description != want.Description || r.ID == 0 ||
					r.RequiredCredits != want.RequiredCredits || r.IsActive != want.Active || r.PreRedeemable != want.PreRedeemable ||
					r.Type != leat.RewardPhysical {
					t.Errorf("reward %+v, want %+v", r, want)
				}
				if want.ExpirationDuration != nil && r.ExpirationSeconds != *want.ExpirationDuration {
					t.Errorf("expiration %d s, want %d s", r.ExpirationSeconds, *want.ExpirationDuration)
				}
				wantAttributes(t, r.Attributes, sb.seed.RewardAttributes, want.Attributes)
			}
		})
	}
	t.Run("for a contact in a shop", func(t *testing.T) {
		got, err := c.ListRewards(ctx, leat.ListRewardsRequest{ShopUUID: shop.UUID, ContactUUID: contact.UUID})
		need(t, err, "ListRewards")
		// What a contact can claim leaves out what nobody can: inactive rewards at least.
		for _, r := range got {
			if !r.IsActive {
				t.Errorf("inactive reward %s listed as claimable", r.Title)
			}
		}
		if len(got) == 0 {
			t.Error("no claimable rewards")
		}
	})
	t.Run("errors", func(t *testing.T) {
		runCodeCases(t, []codeCase{
			{"get unknown", func(ctx context.Context) error { return errOf(c.GetReward(ctx, unknownUUID)) }, leat.CodeRewardNotFound},
			{"list for unknown shop", func(ctx context.Context) error {
				return errOf(c.ListRewards(ctx, leat.ListRewardsRequest{ShopUUID: unknownUUID}))
			}, leat.CodeShopNotFound},
			{"list for unknown contact", func(ctx context.Context) error {
				return errOf(c.ListRewards(ctx, leat.ListRewardsRequest{ContactUUID: unknownUUID}))
			}, leat.CodeContactNotFound},
		})
	})
}

func TestContractRewardReceptions(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop, contact := sb.shop(t), sb.richContact(t)
	affordable := func(r leatsandbox.SeedReward) bool { return inStock(r) && r.RequiredCredits <= contact.Points }
	plain := sb.reward(t, "affordable reward without limits", func(r leatsandbox.SeedReward) bool {
		return affordable(r) && !r.PreRedeemable && r.ClaimLimit == 0
	})
	limited := sb.reward(t, "reward claimable once", func(r leatsandbox.SeedReward) bool { return affordable(r) && r.ClaimLimit == 1 })
	emptyStock := sb.reward(t, "reward out of stock", func(r leatsandbox.SeedReward) bool { return r.Active && r.Stock != nil && *r.Stock == 0 })
	inactive := sb.reward(t, "inactive reward", func(r leatsandbox.SeedReward) bool { return !r.Active })
	tooExpensive := sb.reward(t, "reward nobody can afford", func(r leatsandbox.SeedReward) bool { return inStock(r) && r.RequiredCredits > contact.Points })
	card := sb.card(t, "active card of "+contact.Email, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Active && c.Contact == contact.Email })
	claim := func(ctx context.Context, reward, contactUUID, shopUUID string) (*leat.RewardReception, error) {
		return c.CreateRewardReception(ctx, leat.CreateRewardReceptionRequest{ContactUUID: contactUUID, RewardUUID: reward, ShopUUID: shopUUID})
	}
	balance := func(t *testing.T) int64 {
		t.Helper()
		points, err := c.GetCreditBalance(t.Context(), contact.UUID)
		need(t, err, "GetCreditBalance")
		return points
	}

	t.Run("claim and reverse", func(t *testing.T) {
		before := balance(t)
		reception, err := c.CreateRewardReception(t.Context(), leat.CreateRewardReceptionRequest{
			ContactUUID: contact.UUID, RewardUUID: plain.UUID, ShopUUID: shop.UUID, ContactIdentifierValue: card.Value})
		need(t, err, "CreateRewardReception")
		after := before - plain.RequiredCredits
		if reception.UUID == "" || reception.Type != "reward_reception" || reception.Credits != -plain.RequiredCredits ||
			reception.ContactIdentifier == nil || reception.ContactIdentifier.Value != card.Value ||
			reception.Contact.UUID != contact.UUID || reception.Contact.CreditBalance == nil || reception.Contact.CreditBalance.Balance != after ||
			reception.Shop.UUID != shop.UUID || reception.Reward == nil || reception.Reward.UUID != plain.UUID || reception.CreatedAt.IsZero() {
			t.Fatalf("reception %+v", reception)
		}
		if got := balance(t); got != after {
			t.Fatalf("balance %d after claiming, want %d", got, after)
		}

		reversal, err := c.ReverseRewardReception(t.Context(), reception.UUID)
		need(t, err, "ReverseRewardReception")
		if reversal.Credits != plain.RequiredCredits || reversal.Contact.CreditBalance == nil || reversal.Contact.CreditBalance.Balance != before {
			t.Fatalf("reversal %+v, want +%d points back to %d", reversal, plain.RequiredCredits, before)
		}
		if got := balance(t); got != before {
			t.Fatalf("balance %d after reversing, want %d", got, before)
		}
	})
	t.Run("claim limit", func(t *testing.T) {
		_, err := claim(t.Context(), limited.UUID, contact.UUID, shop.UUID)
		need(t, err, "first claim")
		wantCode(t, errOf(claim(t.Context(), limited.UUID, contact.UUID, shop.UUID)), leat.CodeRewardClaimLimitReached)
	})
	t.Run("errors", func(t *testing.T) {
		before := balance(t)
		claimCase := func(name, reward, contactUUID, shopUUID string, want leat.Code) codeCase {
			return codeCase{name, func(ctx context.Context) error { return errOf(claim(ctx, reward, contactUUID, shopUUID)) }, want}
		}
		runCodeCases(t, []codeCase{
			claimCase("insufficient credits", tooExpensive.UUID, contact.UUID, shop.UUID, leat.CodeInsufficientCredits),
			claimCase("out of stock", emptyStock.UUID, contact.UUID, shop.UUID, leat.CodeRewardOutOfStock),
			claimCase("inactive", inactive.UUID, contact.UUID, shop.UUID, leat.CodeRewardInactive),
			claimCase("unknown reward", unknownUUID, contact.UUID, shop.UUID, leat.CodeRewardNotFound),
			claimCase("unknown contact", plain.UUID, unknownUUID, shop.UUID, leat.CodeContactNotFound),
			claimCase("unknown shop", plain.UUID, contact.UUID, unknownUUID, leat.CodeShopNotFound),
		})
		if got := balance(t); got != before {
			t.Fatalf("refused claims changed the balance from %d to %d", before, got)
		}
	})
}

func TestContractCollectableRewards(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop, contact := sb.shop(t), sb.richContact(t)
	preRedeemable := sb.reward(t, "affordable pre-redeemable reward that expires", func(r leatsandbox.SeedReward) bool {
		return inStock(r) && r.PreRedeemable && r.ExpirationDuration != nil && r.RequiredCredits <= contact.Points
	})
	// listed finds uuid among the contact's collectable rewards.
	listed := func(t *testing.T, uuid string) *leat.CollectableReward {
		t.Helper()
		waiting, err := c.ListCollectableRewards(t.Context(), contact.UUID)
		need(t, err, "ListCollectableRewards")
		for i := range waiting {
			if waiting[i].UUID == uuid {
				return &waiting[i]
			}
		}
		return nil
	}

	t.Run("seeded collectable rewards are listed", func(t *testing.T) {
		for _, seeded := range sb.seed.CollectableRewards {
			if seeded.Contact != contact.Email {
				continue
			}
			got := listed(t, seeded.UUID)
			if got == nil || got.Title != seeded.Reward || got.HasBeenCollected || !got.CreatedAt.Equal(seeded.CreatedAt) ||
				(seeded.ExpiresAt != nil && !got.ExpiresAt.Equal(*seeded.ExpiresAt)) {
				t.Errorf("seeded %+v listed as %+v", seeded, got)
			}
		}
	})

	reception, err := c.CreateRewardReception(t.Context(), leat.CreateRewardReceptionRequest{
		ContactUUID: contact.UUID, RewardUUID: preRedeemable.UUID, ShopUUID: shop.UUID})
	need(t, err, "CreateRewardReception")
	validFor := time.Duration(*preRedeemable.ExpirationDuration) * time.Second
	if reception.HasBeenCollected || !reception.ExpiresAt.Equal(reception.CreatedAt.Add(validFor)) {
		t.Fatalf("pre-redeemed reception %+v, want uncollected, expiring %s after creation", reception, validFor)
	}

	t.Run("listed with expiry", func(t *testing.T) {
		got := listed(t, reception.UUID)
		if got == nil || got.HasBeenCollected || !got.ExpiresAt.Equal(reception.ExpiresAt) || got.Reward == nil ||
			got.Reward.UUID != preRedeemable.UUID || got.Contact == nil || got.Contact.UUID != contact.UUID {
			t.Fatalf("collectable %+v", got)
		}
	})
	t.Run("collect, then reverse the collection", func(t *testing.T) {
		collected, err := c.CollectReward(t.Context(), reception.UUID)
		need(t, err, "CollectReward")
		if collected.UUID != reception.UUID || !collected.HasBeenCollected || collected.Status != "COLLECTED" {
			t.Fatalf("collected %+v", collected)
		}
		if listed(t, reception.UUID) != nil {
			t.Fatal("a collected reward is still listed as collectable")
		}
		wantCode(t, errOf(c.CollectReward(t.Context(), reception.UUID)), leat.CodeNotFoundOrExpired)

		reversed, err := c.ReverseRewardCollection(t.Context(), collected.UUID)
		need(t, err, "ReverseRewardCollection")
		if reversed.UUID != reception.UUID || reversed.HasBeenCollected || reversed.Status != "REVERSED" {
			t.Fatalf("reversed %+v", reversed)
		}
		if listed(t, reception.UUID) == nil {
			t.Fatal("a reward whose collection was reversed is not collectable again")
		}
	})
	t.Run("unknown", func(t *testing.T) {
		wantCode(t, errOf(c.CollectReward(t.Context(), unknownUUID)), leat.CodeNotFoundOrExpired)
	})
	t.Run("expired", func(t *testing.T) {
		sb.Sandbox.Clock().Advance(validFor + time.Minute)
		wantCode(t, errOf(c.CollectReward(t.Context(), reception.UUID)), leat.CodeNotFoundOrExpired)
	})
}

func (sb *sandbox) voucher(t *testing.T, what string, match func(leatsandbox.SeedVoucher) bool) leatsandbox.SeedVoucher {
	t.Helper()
	return pick(t, what, sb.seed.Vouchers, match)
}

func (sb *sandbox) promotion(t *testing.T, name string) leatsandbox.SeedPromotion {
	t.Helper()
	return pick(t, "promotion "+name, sb.seed.Promotions, func(p leatsandbox.SeedPromotion) bool { return p.Name == name })
}

// usable tells whether a seeded voucher can be redeemed now.
func (sb *sandbox) usable(t *testing.T, v leatsandbox.SeedVoucher) bool {
	return v.Status == string(leat.VoucherActive) && v.TimesRedeemed < max(1, v.TotalRedemptionsAllowed) &&
		(v.ExpirationDate == nil || v.ExpirationDate.After(sb.now())) && sb.promotion(t, v.Promotion).Active
}

// voucherUser is who may use v: its own contact, or anybody for a voucher without one.
func (sb *sandbox) voucherUser(t *testing.T, v leatsandbox.SeedVoucher) string {
	t.Helper()
	if v.Contact != "" {
		return sb.contactByEmail(t, v.Contact).UUID
	}
	return sb.richContact(t).UUID
}

func TestContractVouchers(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop := sb.shop(t)
	personal := sb.voucher(t, "usable single-use voucher of a contact", func(v leatsandbox.SeedVoucher) bool {
		return sb.usable(t, v) && v.Contact != "" && v.TotalRedemptionsAllowed <= 1
	})
	owner := sb.contactByEmail(t, personal.Contact)
	promotion := sb.promotion(t, personal.Promotion)

	t.Run("find", func(t *testing.T) {
		got, err := c.FindVoucher(t.Context(), personal.Code)
		need(t, err, "FindVoucher")
		if got.UUID != personal.UUID || got.Code != personal.Code || got.Status != leat.VoucherActive || got.IsRedeemed ||
			got.Name != promotion.Name || got.Contact == nil || got.Contact.UUID != owner.UUID || got.Promotion.UUID != promotion.UUID {
			t.Fatalf("voucher %+v", got)
		}
		wantAttributes(t, got.Attributes, sb.seed.PromotionAttributes, promotion.Attributes)
	})
	t.Run("list pages", func(t *testing.T) {
		const limit = 2
		total := len(sb.seed.Vouchers)
		lastPage := (total + limit - 1) / limit
		first, err := c.ListVouchers(t.Context(), leat.ListVouchersRequest{Limit: limit})
		need(t, err, "ListVouchers")
		if len(first.Items) != limit || first.Page != 1 || first.PerPage != limit || first.LastPage != lastPage ||
			first.Total != total || first.HasNext() != (lastPage > 1) {
			t.Fatalf("first page: %d items, %+v", len(first.Items), first)
		}
		last, err := c.ListVouchers(t.Context(), leat.ListVouchersRequest{Limit: limit, Page: lastPage})
		need(t, err, "ListVouchers last page")
		if len(last.Items) != total-limit*(lastPage-1) || last.Page != lastPage || last.HasNext() {
			t.Fatalf("last page: %d items, %+v", len(last.Items), last)
		}
	})
	t.Run("list a contact's", func(t *testing.T) {
		page, err := c.ListVouchers(t.Context(), leat.ListVouchersRequest{ContactUUID: owner.UUID})
		need(t, err, "ListVouchers")
		want := 0
		for _, v := range sb.seed.Vouchers {
			if v.Contact == owner.Email {
				want++
			}
		}
		if len(page.Items) != want || page.Total != want {
			t.Fatalf("%d vouchers (total %d), want %d", len(page.Items), page.Total, want)
		}
		for _, v := range page.Items {
			if v.Contact == nil || v.Contact.UUID != owner.UUID {
				t.Errorf("voucher %s of contact %+v listed", v.Code, v.Contact)
			}
		}
	})
	t.Run("lock, release, lock, redeem, reverse", func(t *testing.T) {
		ctx := t.Context()
		need(t, c.ValidateVoucher(ctx, leat.ValidateVoucherRequest{VoucherUUID: personal.UUID, ShopUUID: shop.UUID}), "ValidateVoucher")

		lock, err := c.LockVoucher(ctx, personal.UUID)
		need(t, err, "LockVoucher")
		if lock.Voucher.UUID != personal.UUID || lock.Voucher.Status != leat.VoucherLocked || lock.Lock.ReleaseKey == "" ||
			!lock.Lock.SystemReleaseAt.Equal(lock.Lock.LockedAt.Add(time.Hour)) || !lock.Lock.UnlockedAt.IsZero() {
			t.Fatalf("lock %+v", lock)
		}
		wantCode(t, errOf(c.LockVoucher(ctx, personal.UUID)), leat.CodeVoucherAlreadyLocked)

		released, err := c.ReleaseVoucher(ctx, personal.UUID, lock.Lock.ReleaseKey)
		need(t, err, "ReleaseVoucher")
		if released.Voucher.Status != leat.VoucherActive || released.Lock.UnlockedAt.IsZero() || !released.Lock.SystemReleaseAt.IsZero() {
			t.Fatalf("released %+v", released)
		}

		relock, err := c.LockVoucher(ctx, personal.UUID)
		need(t, err, "LockVoucher again")
		redeemed, err := c.RedeemVoucher(ctx, leat.RedeemVoucherRequest{Code: personal.Code, ShopUUID: shop.UUID, ReleaseKey: relock.Lock.ReleaseKey})
		need(t, err, "RedeemVoucher")
		if redeemed.UUID != personal.UUID || redeemed.Status != leat.VoucherRedeemed || !redeemed.IsRedeemed || redeemed.RedeemedAt.IsZero() ||
			redeemed.TimesRedeemed != 1 || redeemed.Redemption == nil || redeemed.Redemption.UUID == "" {
			t.Fatalf("redeemed %+v (redemption %+v)", redeemed, redeemed.Redemption)
		}
		wantCode(t, errOf(c.RedeemVoucher(ctx, leat.RedeemVoucherRequest{Code: personal.Code, ShopUUID: shop.UUID})), leat.CodeVoucherAlreadyRedeemed)

		need(t, c.ReverseVoucherRedemption(ctx, redeemed.Redemption.UUID), "ReverseVoucherRedemption")
		again, err := c.FindVoucher(ctx, personal.Code)
		need(t, err, "FindVoucher")
		if again.Status != leat.VoucherActive || again.IsRedeemed || again.TimesRedeemed != 0 {
			t.Fatalf("after reversing the redemption: %+v", again)
		}
	})
	t.Run("locks release themselves after an hour", func(t *testing.T) {
		_, err := c.LockVoucher(t.Context(), personal.UUID)
		need(t, err, "LockVoucher")
		sb.Sandbox.Clock().Advance(time.Hour + time.Second)
		_, err = c.LockVoucher(t.Context(), personal.UUID)
		need(t, err, "LockVoucher an hour later")
	})
	t.Run("multi-use", func(t *testing.T) {
		multi := sb.voucher(t, "usable multi-use voucher", func(v leatsandbox.SeedVoucher) bool {
			return sb.usable(t, v) && v.TotalRedemptionsAllowed > v.TimesRedeemed+1
		})
		redeem := leat.RedeemVoucherRequest{Code: multi.Code, ShopUUID: shop.UUID, ContactUUID: sb.voucherUser(t, multi)}
		_, err := c.RedeemVoucher(t.Context(), redeem)
		need(t, err, "RedeemVoucher")
		got, err := c.RedeemVoucher(t.Context(), redeem)
		need(t, err, "RedeemVoucher again")
		times := int64(multi.TimesRedeemed + 2)
		if got.TimesRedeemed != times || got.RedemptionsRemaining == nil || *got.RedemptionsRemaining != int64(multi.TotalRedemptionsAllowed)-times ||
			got.TotalRedemptionsAllowed == nil || *got.TotalRedemptionsAllowed != int64(multi.TotalRedemptionsAllowed) {
			t.Fatalf("after two redemptions: %+v", got)
		}
	})
	t.Run("validate refusals", func(t *testing.T) {
		now := sb.now()
		refused := []struct {
			name  string
			match func(leatsandbox.SeedVoucher) bool
			want  leat.Code
		}{
			{"expired", func(v leatsandbox.SeedVoucher) bool {
				return v.Status == string(leat.VoucherActive) && v.TimesRedeemed == 0 && v.ExpirationDate != nil && !v.ExpirationDate.After(now)
			}, leat.CodeVoucherExpired},
			{"redeemed", func(v leatsandbox.SeedVoucher) bool { return v.TimesRedeemed >= max(1, v.TotalRedemptionsAllowed) }, leat.CodeVoucherAlreadyRedeemed},
			{"deactivated", func(v leatsandbox.SeedVoucher) bool { return v.Status == string(leat.VoucherDeactivated) }, leat.CodeVoucherDeactivated},
			{"inactive", func(v leatsandbox.SeedVoucher) bool { return v.Status == string(leat.VoucherInactive) }, leat.CodeVoucherInactive},
			{"promotion inactive", func(v leatsandbox.SeedVoucher) bool {
				return v.Status == string(leat.VoucherActive) && v.TimesRedeemed == 0 && !sb.promotion(t, v.Promotion).Active
			}, leat.CodePromotionInactive},
		}
		var cases []codeCase
		for _, r := range refused {
			v := sb.voucher(t, r.name+" voucher", r.match)
			req := leat.ValidateVoucherRequest{VoucherUUID: v.UUID, ShopUUID: shop.UUID, ContactUUID: sb.voucherUser(t, v)}
			cases = append(cases, codeCase{r.name, func(ctx context.Context) error { return c.ValidateVoucher(ctx, req) }, r.want})
		}
		cases = append(cases, codeCase{"unknown", func(ctx context.Context) error {
			return c.ValidateVoucher(ctx, leat.ValidateVoucherRequest{VoucherUUID: unknownUUID, ShopUUID: shop.UUID})
		}, leat.CodeVoucherNotFound})
		runCodeCases(t, cases)
	})
	t.Run("required fields", func(t *testing.T) {
		// Leat documents these requirements; a missing field is a validation failure (1003).
		unlinked := sb.voucher(t, "usable voucher without contact", func(v leatsandbox.SeedVoucher) bool { return sb.usable(t, v) && v.Contact == "" })
		err := c.ValidateVoucher(t.Context(), leat.ValidateVoucherRequest{VoucherUUID: unlinked.UUID, ShopUUID: shop.UUID})
		wantInvalidField(t, err, "contact_uuid")
		_, err = c.RedeemVoucher(t.Context(), leat.RedeemVoucherRequest{Code: unlinked.Code, ShopUUID: shop.UUID})
		wantInvalidField(t, err, "contact_uuid")

		lock, err := c.LockVoucher(t.Context(), unlinked.UUID)
		need(t, err, "LockVoucher")
		redeem := leat.RedeemVoucherRequest{Code: unlinked.Code, ShopUUID: shop.UUID, ContactUUID: sb.voucherUser(t, unlinked)}
		_, err = c.RedeemVoucher(t.Context(), redeem)
		wantInvalidField(t, err, "release_key")
		redeem.ReleaseKey = lock.Lock.ReleaseKey
		_, err = c.RedeemVoucher(t.Context(), redeem)
		need(t, err, "RedeemVoucher with the release key")
	})
	t.Run("errors", func(t *testing.T) {
		runCodeCases(t, []codeCase{
			{"find unknown", func(ctx context.Context) error { return errOf(c.FindVoucher(ctx, "NO-SUCH-CODE")) }, leat.CodeVoucherNotFound},
			{"lock unknown", func(ctx context.Context) error { return errOf(c.LockVoucher(ctx, unknownUUID)) }, leat.CodeVoucherNotFound},
			{"redeem unknown", func(ctx context.Context) error {
				return errOf(c.RedeemVoucher(ctx, leat.RedeemVoucherRequest{Code: "NO-SUCH-CODE", ShopUUID: shop.UUID}))
			}, leat.CodeVoucherNotFound},
			{"reverse unknown redemption", func(ctx context.Context) error { return c.ReverseVoucherRedemption(ctx, unknownUUID) }, leat.CodeVoucherNotFound},
		})
	})
}

func TestContractPromotionsAndNewVouchers(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	contact := sb.richContact(t)

	t.Run("list", func(t *testing.T) {
		page, err := c.ListPromotions(t.Context(), leat.ListPromotionsRequest{})
		need(t, err, "ListPromotions")
		if len(page.Items) != len(sb.seed.Promotions) {
			t.Fatalf("%d promotions, want %d", len(page.Items), len(sb.seed.Promotions))
		}
		for i, want := range sb.seed.Promotions {
			got := page.Items[i]
			if got.UUID != want.UUID || got.Name != want.Name || got.Description != want.Description {
				t.Errorf("promotion %+v, want %+v", got, want)
			}
			wantAttributes(t, got.Attributes, sb.seed.PromotionAttributes, want.Attributes)
		}
	})

	promotion, err := c.CreatePromotion(t.Context(), leat.CreatePromotionRequest{Name: "Contract Promotion", Description: "Made by a test."})
	need(t, err, "CreatePromotion")
	if promotion.UUID == "" || promotion.Name != "Contract Promotion" || promotion.Description != "Made by a test." {
		t.Fatalf("promotion %+v", promotion)
	}

	t.Run("create voucher", func(t *testing.T) {
		expires := sb.now().Add(30 * 24 * time.Hour).Truncate(time.Second)
		attribute := pick(t, "promotion attribute", sb.seed.PromotionAttributes, func(string) bool { return true })
		v, err := c.CreateVoucher(t.Context(), leat.CreateVoucherRequest{PromotionUUID: promotion.UUID, Code: "CONTRACT-0001",
			ContactUUID: contact.UUID, ExpirationDate: expires, TotalRedemptionsAllowed: 3,
			CustomAttributes: map[string]string{attribute: "voucher's own"}})
		need(t, err, "CreateVoucher")
		if v.UUID == "" || v.Code != "CONTRACT-0001" || v.Status != leat.VoucherActive || v.Promotion.UUID != promotion.UUID ||
			v.Attributes[attribute] != "voucher's own" ||
			v.Contact == nil || v.Contact.UUID != contact.UUID || !v.ExpirationDate.Equal(expires) ||
			v.TotalRedemptionsAllowed == nil || *v.TotalRedemptionsAllowed != 3 {
			t.Fatalf("voucher %+v", v)
		}
		generated, err := c.CreateVoucher(t.Context(), leat.CreateVoucherRequest{PromotionUUID: promotion.UUID})
		need(t, err, "CreateVoucher without code")
		if generated.Code == "" || generated.Contact != nil {
			t.Fatalf("voucher without code or contact: %+v", generated)
		}
	})
	t.Run("errors", func(t *testing.T) {
		create := func(req leat.CreateVoucherRequest) func(context.Context) error {
			return func(ctx context.Context) error { return errOf(c.CreateVoucher(ctx, req)) }
		}
		existing := sb.voucher(t, "any voucher", func(leatsandbox.SeedVoucher) bool { return true })
		runCodeCases(t, []codeCase{
			{"unknown promotion", create(leat.CreateVoucherRequest{PromotionUUID: unknownUUID}), leat.CodePromotionNotFound},
			{"code taken", create(leat.CreateVoucherRequest{PromotionUUID: promotion.UUID, Code: existing.Code}), leat.CodeVoucherExists},
			{"unknown contact", create(leat.CreateVoucherRequest{PromotionUUID: promotion.UUID, ContactUUID: unknownUUID}), leat.CodeContactNotFound},
		})
	})
}

func TestContractOrders(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop := sb.shop(t)
	contact := sb.contact(t, "contact without points", func(c leatsandbox.SeedContact) bool { return c.Points == 0 })
	order := leat.OrderRequest{
		ExternalIdentifier: "POS-ORDER-1",
		Reference:          "Receipt 1",
		Status:             leat.OrderCompleted,
		PaymentStatus:      leat.PaymentPaid,
		TotalOrderAmount:   3500,
		Contact:            leat.Ref{UUID: contact.UUID},
		BusinessProfile:    leat.Ref{UUID: shop.UUID},
		LineItems: []leat.OrderLineItem{
			{ExternalIdentifier: "L1", Name: "Cappuccino", Quantity: 2, Price: 1250, TotalAmount: 2500,
				Product: &leat.OrderProduct{ExternalIdentifier: "CAPPUCCINO"}},
			{ExternalIdentifier: "L2", Name: "Muffin", Quantity: 1, Price: 1000, TotalAmount: 1000},
		},
		// Discounts and charges do not change the points; they are sent to prove Leat accepts
		// the client's encoding of them.
		AppliedDiscounts: []leat.AppliedDiscount{{ExternalIdentifier: "D1", Name: "Welcome 10%", Amount: 350,
			AppliedTo: leat.DiscountOnOrder, Type: leat.DiscountPercentage, Value: "10"}},
		Charges: []leat.OrderCharge{{ExternalIdentifier: "C1", Name: "Service", TotalAmount: 100,
			ChargeDefinition: &leat.ExternalRef{ExternalIdentifier: "SERVICE_CHARGE"}}},
	}
	balance := func(t *testing.T) int64 {
		t.Helper()
		points, err := c.GetCreditBalance(t.Context(), contact.UUID)
		need(t, err, "GetCreditBalance")
		return points
	}

	before := balance(t)
	processed, err := c.CreateAndProcessOrder(t.Context(), order)
	need(t, err, "CreateAndProcessOrder")
	earned := processed.Result.Data.Points
	got := processed.Order
	if processed.Result.Type != "POINTS_TRANSACTION" || earned <= 0 || processed.Result.Data.NewBalance != before+earned {
		t.Fatalf("result %+v, want points earned on top of %d", processed.Result, before)
	}
	if got.UUID == "" || got.ExternalIdentifier != order.ExternalIdentifier || got.Reference != order.Reference ||
		got.Status != leat.OrderCompleted || got.PaymentStatus != leat.PaymentPaid || got.TotalOrderAmount != order.TotalOrderAmount ||
		got.Currency != sb.seed.Account.Currency ||
		got.Contact == nil || got.Contact.UUID != contact.UUID || got.BusinessProfile.UUID != shop.UUID || len(got.LineItems) != 2 ||
		got.LineItems[0].UUID == "" || got.LineItems[0].ExternalIdentifier != "L1" || got.LineItems[0].Product == nil {
		t.Fatalf("order %+v", got)
	}
	if points := balance(t); points != before+earned {
		t.Fatalf("balance %d, want %d", points, before+earned)
	}

	t.Run("reused external identifier", func(t *testing.T) {
		wantInvalidField(t, errOf(c.CreateAndProcessOrder(t.Context(), order)), "external_identifier")
		if points := balance(t); points != before+earned {
			t.Fatalf("a refused order changed the balance to %d", points)
		}
	})
	t.Run("find", func(t *testing.T) {
		found, err := c.FindOrder(t.Context(), order.ExternalIdentifier)
		need(t, err, "FindOrder")
		if found.UUID != got.UUID || found.ExternalIdentifier != order.ExternalIdentifier || len(found.LineItems) != len(got.LineItems) {
			t.Fatalf("found %+v, want %+v", found, got)
		}
		wantCode(t, errOf(c.FindOrder(t.Context(), "NO-SUCH-ORDER")), leat.CodeModelNotFound)
	})
	t.Run("partial, then full return", func(t *testing.T) {
		partial, err := c.CreateAndProcessOrderReturn(t.Context(), leat.OrderReturnRequest{
			Order:              leat.OrderSelector{ExternalIdentifier: order.ExternalIdentifier},
			ExternalIdentifier: "POS-RETURN-1",
			Status:             leat.ReturnCompleted,
			LineItems:          []leat.ReturnLineItem{{ExternalIdentifier: "L1", Quantity: 1, Reason: "spilled"}},
		})
		need(t, err, "partial return")
		lineReturns := partial.Return.LineItemReturns
		if partial.Return.UUID == "" || partial.Return.Order.UUID != got.UUID || partial.Return.Status != leat.ReturnCompleted ||
			len(lineReturns) != 1 || lineReturns[0].Quantity != 1 || lineReturns[0].LineItem.UUID != got.LineItems[0].UUID {
			t.Fatalf("partial return %+v", partial.Return)
		}
		if p := partial.Result.Data; p.Points >= 0 || -p.Points >= earned || p.NewBalance != before+earned+p.Points {
			t.Fatalf("partial return result %+v, want some of the %d points back", p, earned)
		}

		// Without lines, a return takes back everything not returned yet.
		full, err := c.CreateAndProcessOrderReturn(t.Context(), leat.OrderReturnRequest{
			Order:              leat.OrderSelector{UUID: got.UUID},
			ExternalIdentifier: "POS-RETURN-2",
			Status:             leat.ReturnCompleted,
		})
		need(t, err, "full return")
		if taken := partial.Result.Data.Points + full.Result.Data.Points; taken != -earned || full.Result.Data.NewBalance != before {
			t.Fatalf("returns took back %d points, balance %d; want %d and %d", -taken, full.Result.Data.NewBalance, earned, before)
		}
		if points := balance(t); points != before {
			t.Fatalf("balance %d after returning everything, want %d", points, before)
		}
	})
	t.Run("errors", func(t *testing.T) {
		unknownContact := order
		unknownContact.ExternalIdentifier, unknownContact.Contact = "POS-ORDER-2", leat.Ref{UUID: unknownUUID}
		unknownShop := order
		unknownShop.ExternalIdentifier, unknownShop.BusinessProfile = "POS-ORDER-3", leat.Ref{UUID: unknownUUID}
		runCodeCases(t, []codeCase{
			{"unknown contact", func(ctx context.Context) error { return errOf(c.CreateAndProcessOrder(ctx, unknownContact)) }, leat.CodeContactNotFound},
			{"unknown shop", func(ctx context.Context) error { return errOf(c.CreateAndProcessOrder(ctx, unknownShop)) }, leat.CodeShopNotFound},
			{"return of unknown order", func(ctx context.Context) error {
				return errOf(c.CreateAndProcessOrderReturn(ctx, leat.OrderReturnRequest{Order: leat.OrderSelector{UUID: unknownUUID},
					ExternalIdentifier: "POS-RETURN-3", Status: leat.ReturnCompleted}))
			}, leat.CodeModelNotFound},
		})
	})
}
