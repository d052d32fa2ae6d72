package leat

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// TestEndpoints checks what each method sends (method, path, query, JSON body) against the
// contract, and how it decodes a representative answer.
func TestEndpoints(t *testing.T) {
	ctx := context.Background()
	since := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		call   func(c *Client) (any, error)
		data   string // the envelope's data
		method string
		path   string // below /api/v3/oauth/clients
		query  string
		body   string // JSON, compared by value; "" for no body
		check  func(t *testing.T, got any)
	}{
		{
			name:   "find contact identifier",
			call:   func(c *Client) (any, error) { return c.FindContactIdentifier(ctx, "ABC 1") },
			data:   `{"name":"Loyalty Card","value":"ABC 1","active":true,"contact":{"uuid":"c1","email":"a@b.c"}}`,
			method: "GET", path: "/contact-identifiers/find", query: "contact_identifier_value=ABC+1",
			check: func(t *testing.T, got any) {
				id := got.(*ContactIdentifier)
				if !id.Active || id.Contact == nil || id.Contact.UUID != "c1" {
					t.Errorf("got %+v", id)
				}
			},
		},
		{
			name: "create contact identifier",
			call: func(c *Client) (any, error) {
				return c.CreateContactIdentifier(ctx, CreateContactIdentifierRequest{Value: "V", ContactUUID: "c1", Name: "Card"})
			},
			data:   `{"name":"Card","value":"V","active":true,"contact":null}`,
			method: "POST", path: "/contact-identifiers",
			body: `{"contact_identifier_value":"V","contact_uuid":"c1","contact_identifier_name":"Card"}`,
		},
		{
			name:   "link contact identifier",
			call:   func(c *Client) (any, error) { return c.LinkContactIdentifier(ctx, "V", "c1") },
			data:   `{"name":"Card","value":"V","active":true,"contact":{"uuid":"c1","email":"a@b.c"}}`,
			method: "PUT", path: "/contact-identifiers/link",
			body: `{"contact_identifier_value":"V","contact_uuid":"c1"}`,
		},
		{
			name: "find or create contact",
			call: func(c *Client) (any, error) { return c.FindOrCreateContact(ctx, "a+b@c.d") },
			data: `{"id":7,"uuid":"c1","email":"a+b@c.d","tier":null,"credit_balance":{"balance":12},"prepaid_balance":{"balance_in_cents":500},
				"current_values":{"firstname":"Ann","prepaid_balance":5.0,"is_anonymous":false,"birthdate":null}}`,
			method: "GET", path: "/contacts/find-or-create", query: "email=a%2Bb%40c.d",
			check: func(t *testing.T, got any) {
				contact := got.(*Contact)
				want := Attributes{"firstname": "Ann", "prepaid_balance": "5.0", "is_anonymous": "false", "birthdate": ""}
				if contact.CreditBalance.Balance != 12 || contact.PrepaidBalance.BalanceInCents != 500 || contact.Tier != nil ||
					!reflect.DeepEqual(contact.CurrentValues, want) {
					t.Errorf("got %+v", contact)
				}
			},
		},
		{
			name:   "find contact by email",
			call:   func(c *Client) (any, error) { return c.FindContactByEmail(ctx, "a@b.c") },
			data:   `{"uuid":"c1","email":"a@b.c"}`,
			method: "GET", path: "/contacts/find-one-by", query: "email=a%40b.c",
		},
		{
			name:   "get contact",
			call:   func(c *Client) (any, error) { return c.GetContact(ctx, "c1") },
			data:   `{"uuid":"c1","tier":{"uuid":"t1","name":"Gold","position":2,"media":null}}`,
			method: "GET", path: "/contacts/c1",
			check: func(t *testing.T, got any) {
				if tier := got.(*Contact).Tier; tier == nil || tier.Name != "Gold" {
					t.Errorf("tier = %+v", tier)
				}
			},
		},
		{
			name:   "create contact",
			call:   func(c *Client) (any, error) { return c.CreateContact(ctx, CreateContactRequest{Email: "a@b.c"}) },
			data:   `{"uuid":"c9"}`,
			method: "POST", path: "/contacts", body: `{"email":"a@b.c"}`,
			check: func(t *testing.T, got any) {
				if got.(string) != "c9" {
					t.Errorf("uuid = %v", got)
				}
			},
		},
		{
			name:   "credit balance",
			call:   func(c *Client) (any, error) { return c.GetCreditBalance(ctx, "c1") },
			data:   `{"balance":1732}`,
			method: "GET", path: "/contacts/c1/credit-balance",
			check: wantValue(int64(1732)),
		},
		{
			name:   "prepaid balance",
			call:   func(c *Client) (any, error) { return c.GetPrepaidBalance(ctx, "c1") },
			data:   `{"balance_in_cents":5000,"balance":"€50.00"}`,
			method: "GET", path: "/contacts/c1/prepaid-balance",
			check: wantValue(int64(5000)),
		},
		{
			name:   "tier",
			call:   func(c *Client) (any, error) { return c.GetContactTier(ctx, "c1") },
			data:   `{"name":"Gold","description":"","position":1,"media":{"type":"image","value":"https://x/y.png"},"uuid":"t1"}`,
			method: "GET", path: "/contacts/c1/tier",
			check: func(t *testing.T, got any) {
				if tier := got.(*Tier); tier == nil || tier.UUID != "t1" || tier.Media.Value != "https://x/y.png" {
					t.Errorf("tier = %+v", tier)
				}
			},
		},
		{
			name:   "no tier",
			call:   func(c *Client) (any, error) { return c.GetContactTier(ctx, "c1") },
			data:   `{"name":"","description":null,"position":0,"media":null,"uuid":null}`,
			method: "GET", path: "/contacts/c1/tier",
			check: wantValue((*Tier)(nil)),
		},
		{
			name:   "null tier",
			call:   func(c *Client) (any, error) { return c.GetContactTier(ctx, "c1") },
			data:   `null`,
			method: "GET", path: "/contacts/c1/tier",
			check: wantValue((*Tier)(nil)),
		},
		{
			name:   "list tiers",
			call:   func(c *Client) (any, error) { return c.ListTiers(ctx) },
			data:   `[{"uuid":"t1","name":"Gold"}]`,
			method: "GET", path: "/tiers",
		},
		{
			name:   "list shops",
			call:   func(c *Client) (any, error) { return c.ListShops(ctx) },
			data:   `[{"uuid":"s1","name":"HQ","type":"physical","reference":null}]`,
			method: "GET", path: "/shops",
			check: wantValue([]Shop{{UUID: "s1", Name: "HQ", Type: "physical"}}),
		},
		{
			name:   "get shop",
			call:   func(c *Client) (any, error) { return c.GetShop(ctx, "s1") },
			data:   `{"uuid":"s1","name":"HQ"}`,
			method: "GET", path: "/shops/s1",
		},
		{
			name: "list rewards",
			call: func(c *Client) (any, error) {
				return c.ListRewards(ctx, ListRewardsRequest{ShopUUID: "s1", ContactUUID: "c1"})
			},
			data:   `[{"uuid":"r1","title":"Shake","required_credits":75,"mypos_discount_type":"free_item"}]`,
			method: "GET", path: "/rewards", query: "contact_uuid=c1&shop_uuid=s1",
			check: func(t *testing.T, got any) {
				rewards := got.([]Reward)
				if len(rewards) != 1 || rewards[0].Attributes["mypos_discount_type"] != "free_item" {
					t.Errorf("rewards = %+v", rewards)
				}
			},
		},
		{
			name:   "get reward",
			call:   func(c *Client) (any, error) { return c.GetReward(ctx, "r1") },
			data:   `{"uuid":"r1"}`,
			method: "GET", path: "/rewards/r1",
		},
		{
			name: "list collectable rewards",
			call: func(c *Client) (any, error) { return c.ListCollectableRewards(ctx, "c1") },
			data: `[{"uuid":"rr1","title":"Shake","created_at":"2023-11-23T15:27:26+00:00","expires_at":null,"has_been_collected":false,
				"contact":{"uuid":"c1","email":"a@b.c","credit_balance":{"balance":10}},"reward":{"uuid":"r1","pre_redeemable":true,"mypos_sku":"SKU-1"}}]`,
			method: "GET", path: "/collectable-rewards", query: "contact_uuid=c1",
			check: func(t *testing.T, got any) {
				items := got.([]CollectableReward)
				if len(items) != 1 || !items[0].ExpiresAt.IsZero() || items[0].Reward.Attributes["mypos_sku"] != "SKU-1" ||
					items[0].Contact.CreditBalance.Balance != 10 {
					t.Errorf("got %+v", items)
				}
			},
		},
		{
			name:   "collect reward, documented short answer",
			call:   func(c *Client) (any, error) { return c.CollectReward(ctx, "rr1") },
			data:   `{"uuid":"rr1","status":"COLLECTED"}`,
			method: "PUT", path: "/collectable-rewards/collect/rr1",
			check: func(t *testing.T, got any) {
				if r := got.(*CollectableReward); r.UUID != "rr1" || r.Status != "COLLECTED" || r.Reward != nil {
					t.Errorf("got %+v", r)
				}
			},
		},
		{
			name:   "collect reward, recorded full answer",
			call:   func(c *Client) (any, error) { return c.CollectReward(ctx, "rr1") },
			data:   `{"uuid":"rr1","title":"Shake","has_been_collected":true,"reward":{"uuid":"r1"},"contact":{"uuid":"c1"}}`,
			method: "PUT", path: "/collectable-rewards/collect/rr1",
			check: func(t *testing.T, got any) {
				if r := got.(*CollectableReward); !r.HasBeenCollected || r.Reward.UUID != "r1" {
					t.Errorf("got %+v", r)
				}
			},
		},
		{
			name:   "reverse reward collection",
			call:   func(c *Client) (any, error) { return c.ReverseRewardCollection(ctx, "rr1") },
			data:   `{"uuid":"rr1","status":"REVERSED"}`,
			method: "POST", path: "/collectable-rewards/rr1/reverse",
		},
		{
			name: "create reward reception",
			call: func(c *Client) (any, error) {
				return c.CreateRewardReception(ctx, CreateRewardReceptionRequest{ContactUUID: "c1", RewardUUID: "r1", ShopUUID: "s1"})
			},
			data: `{"title":"Krabby Patty","type":"reward_reception","uuid":"rr1","credits":-2,
				"contact":{"uuid":"c1","email":"a@b.c","credit_balance":{"id":2625740,"balance":2883}},
				"shop":{"id":15,"uuid":"s1","type":"physical","name":"Krusty Krab","address":{"city":"Bikini Bottom"}},
				"contact_identifier":null,"created_at":"2023-11-23T15:27:26+00:00",
				"reward":{"uuid":"r1","required_credits":2,"mypos_discount_value":5},"expires_at":"2024-02-04T15:27:26+00:00","has_been_collected":false}`,
			method: "POST", path: "/reward-receptions",
			body: `{"contact_uuid":"c1","reward_uuid":"r1","shop_uuid":"s1"}`,
			check: func(t *testing.T, got any) {
				r := got.(*RewardReception)
				if r.Credits != -2 || r.Contact.CreditBalance.Balance != 2883 || r.Shop.Name != "Krusty Krab" ||
					r.Reward.Attributes["mypos_discount_value"] != "5" || r.ExpiresAt.Year() != 2024 {
					t.Errorf("got %+v", r)
				}
			},
		},
		{
			name: "create digital reward reception",
			call: func(c *Client) (any, error) {
				return c.CreateRewardReception(ctx, CreateRewardReceptionRequest{ContactUUID: "c1", RewardUUID: "r2", ShopUUID: "s1", ContactIdentifierValue: "CARD"})
			},
			data:   `{"type":"digital_reward_reception","uuid":"rr2","credits":-5,"digital_reward":{"uuid":"r2"},"digital_reward_code":{"code":"XYZ"}}`,
			method: "POST", path: "/reward-receptions",
			body: `{"contact_uuid":"c1","reward_uuid":"r2","shop_uuid":"s1","contact_identifier_value":"CARD"}`,
			check: func(t *testing.T, got any) {
				if r := got.(*RewardReception); r.DigitalReward.UUID != "r2" || r.DigitalRewardCode.Code != "XYZ" {
					t.Errorf("got %+v", r)
				}
			},
		},
		{
			name: "reverse reward reception, documented credit reception",
			call: func(c *Client) (any, error) { return c.ReverseRewardReception(ctx, "rr1") },
			data: `{"type":"credit_reception","uuid":"cr1","credits":2,"contact":{"uuid":"c1","credit_balance":{"id":1,"balance":2885}},
				"unit":{"id":1,"name":"purchase_amount","is_default":true},"unit_value":10.4,"created_at":"2023-11-23T16:00:00+00:00","pos_ref":"x"}`,
			method: "POST", path: "/reward-receptions/rr1/reverse",
			check: func(t *testing.T, got any) {
				if r := got.(*RewardReceptionReversal); r.Type != "credit_reception" || r.UUID != "cr1" || r.Credits != 2 || r.Contact.CreditBalance.Balance != 2885 {
					t.Errorf("got %+v", r)
				}
			},
		},
		{
			name:   "reverse reward reception, recorded echo",
			call:   func(c *Client) (any, error) { return c.ReverseRewardReception(ctx, "rr1") },
			data:   `{"type":"reward_reception","uuid":"rr1","credits":-2,"reward":{"uuid":"r1"},"has_been_collected":false}`,
			method: "POST", path: "/reward-receptions/rr1/reverse",
			check: func(t *testing.T, got any) {
				if r := got.(*RewardReceptionReversal); r.Type != "reward_reception" || r.UUID != "rr1" {
					t.Errorf("got %+v", r)
				}
			},
		},
		{
			name:   "find voucher",
			call:   func(c *Client) (any, error) { return c.FindVoucher(ctx, "CODE 1") },
			data:   `{"uuid":"v1","code":"CODE 1","status":"ACTIVE"}`,
			method: "GET", path: "/vouchers/find", query: "code=CODE+1",
		},
		{
			name: "list vouchers",
			call: func(c *Client) (any, error) {
				return c.ListVouchers(ctx, ListVouchersRequest{ContactUUID: "c1", Status: VoucherActive, PromotionUUID: "p1", Page: 2, Limit: 50})
			},
			data:   `[]`,
			method: "GET", path: "/vouchers", query: "contact_uuid=c1&limit=50&page=2&promotion_uuid=p1&status=ACTIVE",
		},
		{
			name: "validate voucher",
			call: func(c *Client) (any, error) {
				return nil, c.ValidateVoucher(ctx, ValidateVoucherRequest{VoucherUUID: "v1", ShopUUID: "s1", ContactUUID: "c1"})
			},
			data:   `true`,
			method: "POST", path: "/vouchers/v1/validate",
			body: `{"shop_uuid":"s1","contact_uuid":"c1"}`,
		},
		{
			name: "lock voucher",
			call: func(c *Client) (any, error) { return c.LockVoucher(ctx, "v1") },
			data: `{"voucher":{"uuid":"v1","status":"LOCKED"},"lock":{"release_key":"k1","locked_at":"2024-01-01T10:00:00+00:00",
				"unlocked_at":null,"system_release_at":"2024-01-01T11:00:00+00:00"}}`,
			method: "POST", path: "/vouchers/v1/lock",
			check: func(t *testing.T, got any) {
				lock := got.(*VoucherLock)
				if lock.Voucher.Status != VoucherLocked || lock.Lock.ReleaseKey != "k1" || !lock.Lock.UnlockedAt.IsZero() ||
					lock.Lock.SystemReleaseAt.Sub(lock.Lock.LockedAt) != time.Hour {
					t.Errorf("got %+v", lock)
				}
			},
		},
		{
			name:   "release voucher",
			call:   func(c *Client) (any, error) { return c.ReleaseVoucher(ctx, "v1", "k1") },
			data:   `{"voucher":{"uuid":"v1","status":"ACTIVE"},"lock":{"release_key":"k1","unlocked_at":"2024-01-01T10:30:00+00:00","system_release_at":null}}`,
			method: "POST", path: "/vouchers/v1/release", body: `{"release_key":"k1"}`,
		},
		{
			name: "redeem voucher",
			call: func(c *Client) (any, error) {
				return c.RedeemVoucher(ctx, RedeemVoucherRequest{Code: "C", ShopUUID: "s1", ContactUUID: "c1", ReleaseKey: "k1"})
			},
			data: `{"uuid":"v1","code":"C","status":"REDEEMED","is_redeemed":true,"redeemed_at":"2024-01-01T10:31:00+00:00",
				"times_redeemed":1,"redemptions_remaining":0,"total_redemptions_allowed":null,
				"attributes":{"mypos_discount_type":"absolute_discount","mypos_discount_value":500},
				"contact":null,"promotion":{"uuid":"p1","name":"Welcome","voucher_limit":null,"mypos_discount_type":"absolute_discount"},
				"voucher_redemption":{"uuid":"vr1","created_at":"2024-01-01T10:31:00+00:00"}}`,
			method: "POST", path: "/vouchers/redeem",
			body: `{"code":"C","shop_uuid":"s1","contact_uuid":"c1","release_key":"k1"}`,
			check: func(t *testing.T, got any) {
				v := got.(*Voucher)
				want := Attributes{"mypos_discount_type": "absolute_discount", "mypos_discount_value": "500"}
				if v.Redemption == nil || v.Redemption.UUID != "vr1" || !v.IsRedeemed || *v.RedemptionsRemaining != 0 ||
					v.TotalRedemptionsAllowed != nil || !reflect.DeepEqual(v.Attributes, want) || v.Promotion.Attributes != nil {
					t.Errorf("got %+v", v)
				}
			},
		},
		{
			name:   "reverse voucher redemption",
			call:   func(c *Client) (any, error) { return nil, c.ReverseVoucherRedemption(ctx, "vr1") },
			data:   `{"unknown":"shape"}`,
			method: "POST", path: "/vouchers/vr1/reverse",
		},
		{
			name: "create voucher",
			call: func(c *Client) (any, error) {
				return c.CreateVoucher(ctx, CreateVoucherRequest{PromotionUUID: "p1", Code: "C", ExpirationDate: since, CustomAttributes: map[string]string{"k": "v"}})
			},
			data:   `{"uuid":"v1","code":"C"}`,
			method: "POST", path: "/vouchers",
			body: `{"promotion_uuid":"p1","code":"C","expiration_date":"2025-01-02T03:04:05Z","custom_attributes":{"k":"v"}}`,
		},
		{
			name:   "list promotions",
			call:   func(c *Client) (any, error) { return c.ListPromotions(ctx, ListPromotionsRequest{Page: 1, Limit: 30}) },
			data:   `[{"uuid":"p1","name":"Welcome","attributes":[]},{"uuid":"p2","attributes":{"mypos_discount_rule_id":12}}]`,
			method: "GET", path: "/promotions", query: "limit=30&page=1",
			check: func(t *testing.T, got any) {
				page := got.(*Page[Promotion])
				if len(page.Items) != 2 || page.Items[0].Attributes != nil || page.Items[1].Attributes["mypos_discount_rule_id"] != "12" {
					t.Errorf("got %+v", page.Items)
				}
			},
		},
		{
			name:   "create promotion",
			call:   func(c *Client) (any, error) { return c.CreatePromotion(ctx, CreatePromotionRequest{Name: "Welcome"}) },
			data:   `{"uuid":"p1","name":"Welcome"}`,
			method: "POST", path: "/promotions", body: `{"name":"Welcome"}`,
		},
		{
			name: "find giftcard",
			call: func(c *Client) (any, error) { return c.FindGiftcard(ctx, "HT123ABC") },
			data: `{"id":1,"uuid":"g1","type":"PHYSICAL","hash":"HT123ABC","amount_in_cents":110,"amount":1.1,"display_amount":"€1.10",
				"upgradeable":true,"active":true,"expiration_date":null,"formatted_expiration_date":"","url":"https://p/giftcard-balance?hash=HT123ABC",
				"giftcard_program":{"id":3,"name":"Cards","uuid":"gp1","max_amount_in_cents":50000,"calculator_flow":"DEFAULT","expiration_days":null},
				"giftcard_recipients":[]}`,
			method: "GET", path: "/giftcards/find-one-by", query: "hash=HT123ABC",
			check: func(t *testing.T, got any) {
				g := got.(*Giftcard)
				if g.AmountInCents != 110 || g.Program.UUID != "gp1" || g.Program.MaxAmountInCents != 50000 || !g.ExpirationDate.IsZero() {
					t.Errorf("got %+v", g)
				}
			},
		},
		{
			name:   "get giftcard",
			call:   func(c *Client) (any, error) { return c.GetGiftcard(ctx, "g1") },
			data:   `{"uuid":"g1"}`,
			method: "GET", path: "/giftcards/g1",
		},
		{
			name:   "create digital giftcard",
			call:   func(c *Client) (any, error) { return c.CreateDigitalGiftcard(ctx, "gp1") },
			data:   `{"uuid":"g2","type":"DIGITAL","amount_in_cents":0}`,
			method: "POST", path: "/giftcards", body: `{"type":1,"giftcard_program_uuid":"gp1"}`,
		},
		{
			name: "send giftcard by email",
			call: func(c *Client) (any, error) {
				return nil, c.SendGiftcardByEmail(ctx, SendGiftcardEmailRequest{GiftcardUUID: "g1", ContactUUID: "c1", MergeTags: map[string]string{"custom.from": "Ann"}})
			},
			data:   `{"message":"success","data":"Email successfully sent"}`,
			method: "POST", path: "/giftcards/g1/send-by-email",
			body: `{"contact_uuid":"c1","merge_tags":{"custom.from":"Ann"}}`,
		},
		{
			name:   "list giftcard programs",
			call:   func(c *Client) (any, error) { return c.ListGiftcardPrograms(ctx) },
			data:   `[{"uuid":"gp1","name":"Cards"}]`,
			method: "GET", path: "/giftcard-programs",
		},
		{
			name: "create giftcard transaction",
			call: func(c *Client) (any, error) {
				return c.CreateGiftcardTransaction(ctx, CreateGiftcardTransactionRequest{
					GiftcardUUID: "g1", ShopUUID: "s1", AmountInCents: -1000, CustomAttributes: map[string]string{"gateway_step": "chk-1/tender/0"},
				})
			},
			data: `{"id":2271,"uuid":"t1","amount_in_cents":-1000,"type":"STANDARD","settled":false,"card":{"id":41650,"uuid":"g1"},
				"shop":{"id":15,"uuid":"s1","name":"Krusty Krab"},"settlements":[],"created_at":"2023-11-12T16:10:15+00:00"}`,
			method: "POST", path: "/giftcard-transactions",
			body: `{"giftcard_uuid":"g1","shop_uuid":"s1","amount_in_cents":-1000,"custom_attributes":{"gateway_step":"chk-1/tender/0"}}`,
			check: func(t *testing.T, got any) {
				tx := got.(*GiftcardTransaction)
				if tx.AmountInCents != -1000 || tx.Giftcard.UUID != "g1" || tx.Shop.ID != 15 || tx.CustomAttributes != nil {
					t.Errorf("got %+v", tx)
				}
			},
		},
		{
			name:   "get giftcard transaction",
			call:   func(c *Client) (any, error) { return c.GetGiftcardTransaction(ctx, "t1") },
			data:   `{"uuid":"t1"}`,
			method: "GET", path: "/giftcard-transactions/t1",
		},
		{
			name: "list giftcard transactions",
			call: func(c *Client) (any, error) {
				return c.ListGiftcardTransactions(ctx, ListGiftcardTransactionsRequest{GiftcardHash: "HT1", CreatedSince: since, NewestFirst: true, Page: 1, PerPage: 100})
			},
			data:   `[{"id":1,"uuid":null,"amount_in_cents":2500,"card":{"id":1,"uuid":null}}]`,
			method: "GET", path: "/giftcard-transactions",
			query: "created_at%5Bgte%5D=2025-01-02T03%3A04%3A05Z&giftcard_hash=HT1&page=1&perPage=100&sort=-created_at",
		},
		{
			name:   "reverse giftcard transaction",
			call:   func(c *Client) (any, error) { return c.ReverseGiftcardTransaction(ctx, "t1") },
			data:   `{"uuid":"t2","amount_in_cents":1000}`,
			method: "POST", path: "/giftcard-transactions/t1/reverse",
		},
		{
			name: "create prepaid transaction",
			call: func(c *Client) (any, error) {
				return c.CreatePrepaidTransaction(ctx, CreatePrepaidTransactionRequest{ContactIdentifierValue: "CARD", ShopUUID: "s1", AmountInCents: -1000})
			},
			data: `{"uuid":"pt1","amount_in_cents":-1000,"prepaid_balance":{"balance_in_cents":4000,"balance":"€40.00"},
				"created_at":"2023-11-12T19:49:22+00:00","shop":{"id":15,"uuid":"s1","reference":null,"name":"Krusty Krab"},
				"contact_identifier":{"name":"Membership","value":"CARD","active":true}}`,
			method: "POST", path: "/prepaid-transactions",
			body: `{"contact_identifier_value":"CARD","shop_uuid":"s1","amount_in_cents":-1000}`,
			check: func(t *testing.T, got any) {
				tx := got.(*PrepaidTransaction)
				if tx.Balance.BalanceInCents != 4000 || tx.ContactIdentifier.Value != "CARD" || tx.CreatedAt.Hour() != 19 {
					t.Errorf("got %+v", tx)
				}
			},
		},
		{
			name: "list prepaid transactions",
			call: func(c *Client) (any, error) {
				return c.ListPrepaidTransactions(ctx, ListPrepaidTransactionsRequest{ContactUUID: "c1", Page: 1, Limit: 30})
			},
			data:   `[{"uuid":"pt1","contact":{"uuid":"c1","email":"a@b.c"}}]`,
			method: "GET", path: "/prepaid-transactions", query: "contact_uuid=c1&limit=30&page=1",
		},
		{
			name:   "reverse prepaid transaction",
			call:   func(c *Client) (any, error) { return c.ReversePrepaidTransaction(ctx, "pt1") },
			data:   `{"uuid":"pt2","amount_in_cents":1000}`,
			method: "POST", path: "/prepaid-transactions/pt1/reverse",
		},
		{
			name: "create and process order",
			call: func(c *Client) (any, error) {
				return c.CreateAndProcessOrder(ctx, OrderRequest{
					ExternalIdentifier: "EXT-12", Reference: "B-2110", Status: OrderCompleted, PaymentStatus: PaymentPaid,
					TotalOrderAmount: 3331, OrderAmount: 3175, TotalDiscountAmount: 225, Currency: "EUR", PaidAt: since,
					Contact: Ref{UUID: "c1"}, BusinessProfile: Ref{UUID: "s1"},
					LineItems: []OrderLineItem{{
						ExternalIdentifier: "L1", Name: "Burger", Quantity: 2, Price: 1250, TotalAmount: 2500,
						Product:      &OrderProduct{ExternalIdentifier: "SKU-1"},
						SubLineItems: []OrderLineItem{{ExternalIdentifier: "L1.1", Name: "Cheese", Quantity: 2, Price: 50, TotalAmount: 100}},
					}, {
						ExternalIdentifier: "L2", Name: "Giftcard", Quantity: 1, Price: 2500, TotalAmount: 2500,
						Result: &LinkedObject{UUID: "t1", Type: LinkGiftcardTransaction},
					}},
					AppliedDiscounts: []AppliedDiscount{{
						ExternalIdentifier: "D1", Name: "10% off", Amount: 225, AppliedTo: DiscountOnLineItems, Type: DiscountPercentage, Value: "10",
						LineItems: []ExternalRef{{ExternalIdentifier: "L1"}}, Offer: &LinkedObject{UUID: "vr1", Type: LinkVoucherRedemption},
					}},
					Charges:  []OrderCharge{{ExternalIdentifier: "C1", Name: "Tip", TotalAmount: 381, ChargeDefinition: &ExternalRef{ExternalIdentifier: "GRATUITY"}}},
					Payments: []LinkedObject{{UUID: "pt1", Type: LinkPrepaidTransaction}},
				})
			},
			data: `{"order":{"uuid":"o1","contact":{"uuid":"c1","email":"a@b.c"},"business_profile":{"uuid":"s1","name":"HQ"},
				"external_identifier":"EXT-12","status":"COMPLETED","payment_status":"PAID","currency":"EUR","formatted_total_order_amount":"€ 33.31",
				"total_order_amount":3331,"line_items":[{"uuid":"li1","external_identifier":"L1","name":"Burger","quantity":2,"price":1250,"total_amount":2500,
				"discount_amount":0,"product":{"external_identifier":"SKU-1","name":"Burger"},"sub_line_items":[]}],
				"applied_discounts":[{"applied_to":"LINE_ITEM","value":12.5}],"charges":[]},
				"result":{"type":"POINTS_TRANSACTION","data":{"points":35,"new_balance":2267}}}`,
			method: "POST", path: "/orders/create-and-process",
			body: `{"external_identifier":"EXT-12","reference":"B-2110","status":"COMPLETED","payment_status":"PAID",
				"total_order_amount":3331,"order_amount":3175,"total_discount_amount":225,"currency":"EUR","paid_at":"2025-01-02T03:04:05Z",
				"contact":{"uuid":"c1"},"business_profile":{"uuid":"s1"},
				"line_items":[
					{"external_identifier":"L1","name":"Burger","quantity":2,"price":1250,"total_amount":2500,"product":{"external_identifier":"SKU-1"},
					 "sub_line_items":[{"external_identifier":"L1.1","name":"Cheese","quantity":2,"price":50,"total_amount":100}]},
					{"external_identifier":"L2","name":"Giftcard","quantity":1,"price":2500,"total_amount":2500,"result":{"uuid":"t1","type":"GIFTCARD_TRANSACTION"}}],
				"applied_discounts":[{"external_identifier":"D1","name":"10% off","amount":225,"applied_to":"LINE_ITEMS","type":"PERCENTAGE","value":10,
					"line_items":[{"external_identifier":"L1"}],"offer":{"uuid":"vr1","type":"VOUCHER_REDEMPTION"}}],
				"charges":[{"external_identifier":"C1","name":"Tip","total_amount":381,"charge_definition":{"external_identifier":"GRATUITY"}}],
				"payments":[{"uuid":"pt1","type":"PREPAID_TRANSACTION"}]}`,
			check: func(t *testing.T, got any) {
				processed := got.(*ProcessedOrder)
				if processed.Result.Data.Points != 35 || processed.Result.Data.NewBalance != 2267 || processed.Order.UUID != "o1" ||
					processed.Order.LineItems[0].UUID != "li1" || processed.Order.BusinessProfile.Name != "HQ" {
					t.Errorf("got %+v", processed)
				}
			},
		},
		{
			name:   "find order",
			call:   func(c *Client) (any, error) { return c.FindOrder(ctx, "EXT-12") },
			data:   `{"uuid":"o1","external_identifier":"EXT-12"}`,
			method: "GET", path: "/orders/find", query: "external_identifier=EXT-12",
		},
		{
			name: "create and process order return",
			call: func(c *Client) (any, error) {
				return c.CreateAndProcessOrderReturn(ctx, OrderReturnRequest{
					Order: OrderSelector{ExternalIdentifier: "EXT-12"}, ExternalIdentifier: "RET-1", Status: ReturnCompleted,
					LineItems: []ReturnLineItem{
						{ExternalIdentifier: "L1", Quantity: 1, Reason: "cold", SubLineItems: []ReturnLineItem{{ExternalIdentifier: "L1.1", Quantity: 1}}},
						{ExternalIdentifier: "L3", Quantity: 1, TotalAmount: ptr(int64(0))},
					},
					AppliedDiscounts: []ReturnedDiscount{{ExternalIdentifier: "D1", Amount: 100}},
					Charges:          []ReturnedOrderCharge{{ExternalIdentifier: "C1", TotalAmount: 381}},
				})
			},
			data: `{"return":{"uuid":"ret1","status":"COMPLETED","order":{"uuid":"o1"},
				"line_item_returns":[{"uuid":"lr1","quantity":1,"line_item":{"uuid":"li1"}}],"sub_line_item_returns":[]},
				"result":{"type":"POINTS_TRANSACTION","data":{"points":-17,"new_balance":2250}}}`,
			method: "POST", path: "/order-returns/create-and-process",
			body: `{"order":{"external_identifier":"EXT-12"},"external_identifier":"RET-1","status":"COMPLETED",
				"line_items":[{"external_identifier":"L1","quantity":1,"reason":"cold","sub_line_items":[{"external_identifier":"L1.1","quantity":1}]},
					{"external_identifier":"L3","quantity":1,"total_amount":0}],
				"applied_discounts":[{"external_identifier":"D1","amount":100}],
				"charges":[{"external_identifier":"C1","total_amount":381}]}`,
			check: func(t *testing.T, got any) {
				processed := got.(*ProcessedOrderReturn)
				if processed.Return.Order.UUID != "o1" || processed.Return.LineItemReturns[0].LineItem.UUID != "li1" || processed.Result.Data.Points != -17 {
					t.Errorf("got %+v", processed)
				}
			},
		},
		{
			name: "create portal session",
			call: func(c *Client) (any, error) {
				return c.CreatePortalSession(ctx, PortalSessionRequest{ShopUUID: "s1", ContactUUID: "c1", EnableRegistration: ptr(false), ScannerType: "hand_scanner"})
			},
			data: `{"uuid":"ps1","url":"https://api.piggy.eu/portal-sessions?uuid=ps1","contact":{"uuid":"c1"},
				"shop":{"id":1,"uuid":"s1","reference":null,"name":"HQ"},"events":[],"created_at":"2024-01-01T10:00:00+00:00"}`,
			method: "POST", path: "/portal-sessions",
			body: `{"shop_uuid":"s1","contact_uuid":"c1","scanner_type":"hand_scanner","enable_registration":false}`,
		},
		{
			name: "create giftcard payment portal session",
			call: func(c *Client) (any, error) {
				return c.CreatePortalSession(ctx, PortalSessionRequest{Kind: PortalSessionRedeemGiftcards, ShopUUID: "s1", AmountInCents: 2500, AllowMultipleGiftcards: ptr(false)})
			},
			data:   `{"uuid":"ps2"}`,
			method: "POST", path: "/portal-sessions/redeem-giftcards",
			body: `{"shop_uuid":"s1","amount_in_cents":2500,"allow_multiple_giftcards":false}`,
		},
		{
			name: "create credit reception portal session",
			call: func(c *Client) (any, error) {
				return c.CreatePortalSession(ctx, PortalSessionRequest{Kind: PortalSessionCreditReception, ShopUUID: "s1", UnitValue: UnitValueFromCents(1040)})
			},
			data:   `{"uuid":"ps3"}`,
			method: "POST", path: "/portal-sessions/credit-reception",
			body: `{"shop_uuid":"s1","unit_value":10.40}`,
		},
		{
			name:   "get portal session",
			call:   func(c *Client) (any, error) { return c.GetPortalSession(ctx, "ps1") },
			data:   `{"uuid":"ps1","contact":null}`,
			method: "GET", path: "/portal-sessions/ps1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leat := newFakeLeat(t, reply{body: `{"data":` + tt.data + `,"meta":[]}`})
			c, _ := newTestClient(t, leat.URL)

			got, err := tt.call(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			sent := leat.seen()
			if len(sent) != 1 {
				t.Fatalf("sent %d requests", len(sent))
			}
			r := sent[0]
			if r.method != tt.method || r.path != apiRoot+tt.path || r.query != tt.query {
				t.Errorf("sent %s %s?%s, want %s %s?%s", r.method, r.path, r.query, tt.method, apiRoot+tt.path, tt.query)
			}
			switch {
			case tt.body == "" && r.body != "":
				t.Errorf("sent body %s, want none", r.body)
			case tt.body != "" && !reflect.DeepEqual(decodeJSON(t, r.body), decodeJSON(t, tt.body)):
				t.Errorf("sent body\n %s\nwant\n %s", r.body, tt.body)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func wantValue(want any) func(t *testing.T, got any) {
	return func(t *testing.T, got any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %#v, want %#v", got, want)
		}
	}
}

func TestPortalSessionVariantsAreValidated(t *testing.T) {
	leat := newFakeLeat(t, reply{body: `{"data":{"uuid":"ps"}}`})
	c, _ := newTestClient(t, leat.URL)
	for name, req := range map[string]PortalSessionRequest{
		"unknown kind":                 {Kind: "lottery", ShopUUID: "s1"},
		"giftcard payment w/o amount":  {Kind: PortalSessionRedeemGiftcards, ShopUUID: "s1"},
		"amount on another kind":       {Kind: PortalSessionTopUpPrepaid, ShopUUID: "s1", AmountInCents: 100},
		"unit value on another kind":   {Kind: PortalSessionVouchers, ShopUUID: "s1", UnitValue: UnitValueFromInt(1)},
		"multiple cards on other kind": {ShopUUID: "s1", AllowMultipleGiftcards: ptr(true)},
	} {
		if _, err := c.CreatePortalSession(context.Background(), req); err == nil || len(leat.seen()) != 0 {
			t.Errorf("%s: err = %v, want a rejection before sending", name, err)
		}
	}
}

// decodeJSON is a test helper that fails the test on invalid JSON.
func decodeJSON(t *testing.T, text string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("invalid JSON %q: %v", text, err)
	}
	return v
}
