package leat_test

import (
	"context"
	"errors"
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

// points reads a contact's balance.
func (sb *sandbox) points(t *testing.T, contactUUID string) int64 {
	t.Helper()
	balance, err := sb.client.GetCreditBalance(t.Context(), contactUUID)
	need(t, err, "GetCreditBalance")
	return balance
}

func TestContractCreditReceptions(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop, contact := sb.shop(t), sb.richContact(t)
	rate := sb.seed.Account.PointsPerCurrencyUnit

	t.Run("earned on a purchase, then reversed", func(t *testing.T) {
		before := sb.points(t, contact.UUID)
		earned, err := c.CreateCreditReception(t.Context(), leat.CreateCreditReceptionRequest{
			ContactUUID: contact.UUID, ShopUUID: shop.UUID, UnitValue: leat.UnitValueFromCents(1040)})
		need(t, err, "CreateCreditReception")
		after := before + 10*rate
		if earned.Type != "credit_reception" || earned.UUID == "" || earned.Credits != 10*rate || earned.Channel != "API" ||
			earned.Contact.UUID != contact.UUID || earned.Contact.CreditBalance == nil || earned.Contact.CreditBalance.Balance != after ||
			earned.Shop.UUID != shop.UUID || earned.CreatedAt.IsZero() ||
			earned.Unit == nil || earned.Unit.Name != leat.DefaultLoyaltyUnit || earned.UnitValue.String() != "10.40" {
			t.Fatalf("credit reception %+v", earned)
		}
		if got := sb.points(t, contact.UUID); got != after {
			t.Fatalf("balance %d, want %d", got, after)
		}

		reversal, err := c.ReverseCreditReception(t.Context(), earned.UUID)
		need(t, err, "ReverseCreditReception")
		if reversal.UUID == earned.UUID || reversal.Credits != -earned.Credits || reversal.Contact.CreditBalance.Balance != before {
			t.Fatalf("reversal %+v, want -%d points back to %d", reversal, earned.Credits, before)
		}
		if got := sb.points(t, contact.UUID); got != before {
			t.Fatalf("balance %d after reversing, want %d", got, before)
		}
	})
	t.Run("fixed credits", func(t *testing.T) {
		before := sb.points(t, contact.UUID)
		given, err := c.CreateCreditReception(t.Context(), leat.CreateCreditReceptionRequest{
			ContactUUID: contact.UUID, ShopUUID: shop.UUID, Credits: 25})
		need(t, err, "CreateCreditReception")
		if given.Credits != 25 || given.Unit != nil || !given.UnitValue.IsZero() || given.Contact.CreditBalance.Balance != before+25 {
			t.Fatalf("credit reception %+v", given)
		}
	})
	t.Run("refused before sending", func(t *testing.T) {
		for name, req := range map[string]leat.CreateCreditReceptionRequest{
			"neither":          {ContactUUID: contact.UUID, ShopUUID: shop.UUID},
			"both":             {ContactUUID: contact.UUID, ShopUUID: shop.UUID, Credits: 1, UnitValue: leat.UnitValueFromCents(100)},
			"negative credits": {ContactUUID: contact.UUID, ShopUUID: shop.UUID, Credits: -5},
			"unit with credits": {ContactUUID: contact.UUID, ShopUUID: shop.UUID, Credits: 5,
				UnitName: leat.DefaultLoyaltyUnit},
		} {
			if _, err := c.CreateCreditReception(t.Context(), req); !errors.Is(err, leat.ErrInvalidArgument) {
				t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		before := sb.points(t, contact.UUID)
		create := func(req leat.CreateCreditReceptionRequest) func(context.Context) error {
			return func(ctx context.Context) error { return errOf(c.CreateCreditReception(ctx, req)) }
		}
		runCodeCases(t, []codeCase{
			{"unknown contact", create(leat.CreateCreditReceptionRequest{ContactUUID: unknownUUID, ShopUUID: shop.UUID, Credits: 5}), leat.CodeContactNotFound},
			{"unknown shop", create(leat.CreateCreditReceptionRequest{ContactUUID: contact.UUID, ShopUUID: unknownUUID, Credits: 5}), leat.CodeShopNotFound},
			{"unknown unit", create(leat.CreateCreditReceptionRequest{ContactUUID: contact.UUID, ShopUUID: shop.UUID,
				UnitName: "visits", UnitValue: leat.UnitValueFromInt(3)}), leat.CodeUnitNotFound},
			{"reverse unknown", func(ctx context.Context) error { return errOf(c.ReverseCreditReception(ctx, unknownUUID)) }, leat.CodeModelNotFound},
		})
		if got := sb.points(t, contact.UUID); got != before {
			t.Fatalf("refused calls changed the balance from %d to %d", before, got)
		}
	})
	t.Run("reversal of spent points", func(t *testing.T) {
		poor := sb.contact(t, "contact without points", func(c leatsandbox.SeedContact) bool { return c.Points == 0 })
		reward := sb.reward(t, "affordable reward without limits", func(r leatsandbox.SeedReward) bool {
			return inStock(r) && !r.PreRedeemable && r.ClaimLimit == 0
		})
		given, err := c.CreateCreditReception(t.Context(), leat.CreateCreditReceptionRequest{
			ContactUUID: poor.UUID, ShopUUID: shop.UUID, Credits: reward.RequiredCredits})
		need(t, err, "CreateCreditReception")
		_, err = c.CreateRewardReception(t.Context(), leat.CreateRewardReceptionRequest{ContactUUID: poor.UUID, RewardUUID: reward.UUID, ShopUUID: shop.UUID})
		need(t, err, "CreateRewardReception")
		wantCode(t, errOf(c.ReverseCreditReception(t.Context(), given.UUID)), leat.CodeInsufficientCredits)
	})
}

func TestContractLoyaltyTokens(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	account := sb.seed.Account
	shop, contact := sb.shop(t), sb.richContact(t)
	rate := account.PointsPerCurrencyUnit

	// claim claims a token URL for the contact and checks the points moved once.
	claim := func(t *testing.T, tokenURL string, points int64) {
		t.Helper()
		req, err := leat.ParseLoyaltyTokenURL(tokenURL)
		need(t, err, "ParseLoyaltyTokenURL")
		req.ContactUUID = contact.UUID
		before := sb.points(t, contact.UUID)
		claimed, err := c.ClaimLoyaltyToken(t.Context(), req)
		need(t, err, "ClaimLoyaltyToken")
		if claimed.Type != "credit_reception" || claimed.Credits != points || claimed.Contact.CreditBalance.Balance != before+points {
			t.Fatalf("claimed %+v, want %d points on top of %d", claimed, points, before)
		}
		wantCode(t, errOf(c.ClaimLoyaltyToken(t.Context(), req)), leat.CodeStagedCreditReceptionRedeemed)
		if got := sb.points(t, contact.UUID); got != before+points {
			t.Fatalf("balance %d after claiming twice, want %d: credited once", got, before+points)
		}
	}

	t.Run("created by Leat for a purchase", func(t *testing.T) {
		tokenURL, err := c.CreateLoyaltyToken(t.Context(), leat.CreateLoyaltyTokenRequest{
			ShopUUID: shop.UUID, UniqueID: "POS-ORDER-T1", UnitValue: leat.UnitValueFromCents(2395)})
		need(t, err, "CreateLoyaltyToken")
		claim(t, tokenURL, 23*rate)
	})
	t.Run("created by Leat for fixed credits", func(t *testing.T) {
		tokenURL, err := c.CreateLoyaltyToken(t.Context(), leat.CreateLoyaltyTokenRequest{
			ShopUUID: shop.UUID, UniqueID: "POS-ORDER-T2", Credits: 15})
		need(t, err, "CreateLoyaltyToken")
		claim(t, tokenURL, 15)
	})
	// The URL the gateway builds itself must be one Leat accepts.
	t.Run("built by the client", func(t *testing.T) {
		token := leat.LoyaltyToken{ShopUUID: shop.UUID, UniqueID: "POS-ORDER-T3", Timestamp: sb.now(), UnitValue: leat.UnitValueFromCents(1999)}
		tokenURL, err := token.URL(account.ContactsPortalURL, account.AccountSecret)
		need(t, err, "LoyaltyToken.URL")
		claim(t, tokenURL, 19*rate)
	})
	t.Run("signed with another secret", func(t *testing.T) {
		token := leat.LoyaltyToken{ShopUUID: shop.UUID, UniqueID: "POS-ORDER-T4", Timestamp: sb.now(), UnitValue: leat.UnitValueFromCents(1000)}
		tokenURL, err := token.URL(account.ContactsPortalURL, account.AccountSecret+"-wrong")
		need(t, err, "LoyaltyToken.URL")
		req, err := leat.ParseLoyaltyTokenURL(tokenURL)
		need(t, err, "ParseLoyaltyTokenURL")
		req.ContactUUID = contact.UUID
		wantInvalidField(t, errOf(c.ClaimLoyaltyToken(t.Context(), req)), "hash")
	})
	t.Run("errors", func(t *testing.T) {
		create := func(req leat.CreateLoyaltyTokenRequest) func(context.Context) error {
			return func(ctx context.Context) error { return errOf(c.CreateLoyaltyToken(ctx, req)) }
		}
		valid, err := c.CreateLoyaltyToken(t.Context(), leat.CreateLoyaltyTokenRequest{ShopUUID: shop.UUID, UniqueID: "POS-ORDER-T5", Credits: 5})
		need(t, err, "CreateLoyaltyToken")
		unknownContact, err := leat.ParseLoyaltyTokenURL(valid)
		need(t, err, "ParseLoyaltyTokenURL")
		unknownContact.ContactUUID = unknownUUID
		runCodeCases(t, []codeCase{
			{"unknown shop", create(leat.CreateLoyaltyTokenRequest{ShopUUID: unknownUUID, UniqueID: "T", Credits: 5}), leat.CodeShopNotFound},
			{"v1 with units", create(leat.CreateLoyaltyTokenRequest{Version: "v1", ShopUUID: shop.UUID, UniqueID: "T",
				UnitValue: leat.UnitValueFromCents(100)}), leat.CodeCreditsRequired},
			{"v2 with credits", create(leat.CreateLoyaltyTokenRequest{Version: "v2", ShopUUID: shop.UUID, UniqueID: "T", Credits: 5}), leat.CodeUnitsRequired},
			{"unknown unit", create(leat.CreateLoyaltyTokenRequest{ShopUUID: shop.UUID, UniqueID: "T", UnitName: "visits",
				UnitValue: leat.UnitValueFromInt(1)}), leat.CodeUnitNotFound},
			{"claim for unknown contact", func(ctx context.Context) error { return errOf(c.ClaimLoyaltyToken(ctx, unknownContact)) }, leat.CodeContactNotFound},
		})
	})
	t.Run("not a token URL", func(t *testing.T) {
		for _, bad := range []string{"https://example.com/l?version=v3", account.ContactsPortalURL + "/l?version=v3&shop_uuid=s&unique_id=u&timestamp=x&credits=1&hash=h"} {
			if _, err := leat.ParseLoyaltyTokenURL(bad); !errors.Is(err, leat.ErrInvalidArgument) {
				t.Errorf("ParseLoyaltyTokenURL(%q) = %v, want ErrInvalidArgument", bad, err)
			}
		}
	})
}
