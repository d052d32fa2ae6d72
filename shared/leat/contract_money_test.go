package leat_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

func (sb *sandbox) giftcard(t *testing.T, what string, match func(leatsandbox.SeedGiftcard) bool) leatsandbox.SeedGiftcard {
	t.Helper()
	return pick(t, what, sb.seed.Giftcards, match)
}

// spendable tells whether money can move on a seeded card now.
func (sb *sandbox) spendable(g leatsandbox.SeedGiftcard) bool {
	return g.Active && (g.ExpirationDate == nil || g.ExpirationDate.After(sb.now()))
}

// loadedCard is a usable card holding money.
func (sb *sandbox) loadedCard(t *testing.T) leatsandbox.SeedGiftcard {
	t.Helper()
	return sb.giftcard(t, "usable card holding money", func(g leatsandbox.SeedGiftcard) bool { return sb.spendable(g) && g.AmountInCents > 0 })
}

func (sb *sandbox) program(t *testing.T, name string) leatsandbox.SeedGiftcardProgram {
	t.Helper()
	return pick(t, "giftcard program "+name, sb.seed.GiftcardPrograms, func(p leatsandbox.SeedGiftcardProgram) bool { return p.Name == name })
}

// giftcardBalance reads a card's balance through the client.
func giftcardBalance(t *testing.T, c *leat.Client, giftcardUUID string) int64 {
	t.Helper()
	card, err := c.GetGiftcard(t.Context(), giftcardUUID)
	need(t, err, "GetGiftcard")
	return card.AmountInCents
}

func TestContractGiftcards(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	card := sb.loadedCard(t)
	program := sb.program(t, card.Program)

	t.Run("find and get", func(t *testing.T) {
		found, err := c.FindGiftcard(t.Context(), card.Hash)
		need(t, err, "FindGiftcard")
		got, err := c.GetGiftcard(t.Context(), card.UUID)
		need(t, err, "GetGiftcard")
		for _, g := range []*leat.Giftcard{found, got} {
			if g.UUID != card.UUID || g.Hash != card.Hash || g.Type != card.Type || g.AmountInCents != card.AmountInCents ||
				g.Active != card.Active || g.ID == 0 || g.DisplayAmount == "" || g.URL == "" ||
				g.Program.UUID != program.UUID || g.Program.MaxAmountInCents != program.MaxAmountInCents {
				t.Errorf("giftcard %+v, want %+v", g, card)
			}
			if card.ExpirationDate != nil && !g.ExpirationDate.Equal(*card.ExpirationDate) {
				t.Errorf("expires %s, want %s", g.ExpirationDate, card.ExpirationDate)
			}
		}
	})
	t.Run("programs", func(t *testing.T) {
		programs, err := c.ListGiftcardPrograms(t.Context())
		need(t, err, "ListGiftcardPrograms")
		if len(programs) != len(sb.seed.GiftcardPrograms) {
			t.Fatalf("%d programs, want %d", len(programs), len(sb.seed.GiftcardPrograms))
		}
		for i, want := range sb.seed.GiftcardPrograms {
			got := programs[i]
			if got.UUID != want.UUID || got.Name != want.Name || got.MaxAmountInCents != want.MaxAmountInCents ||
				(want.ExpirationDays != nil && got.ExpirationDays != int64(*want.ExpirationDays)) {
				t.Errorf("program %+v, want %+v", got, want)
			}
		}
	})
	t.Run("create digital and send by email", func(t *testing.T) {
		recipient := sb.richContact(t)
		created, err := c.CreateDigitalGiftcard(t.Context(), program.UUID)
		need(t, err, "CreateDigitalGiftcard")
		if created.UUID == "" || created.Hash == "" || created.Type != "DIGITAL" || created.AmountInCents != 0 || created.Program.UUID != program.UUID {
			t.Fatalf("created %+v", created)
		}
		if days := program.ExpirationDays; days != nil && !created.ExpirationDate.After(sb.now().AddDate(0, 0, *days-1)) {
			t.Errorf("a card of a program valid %d days expires %s", *days, created.ExpirationDate)
		}
		mergeTags := map[string]string{"custom.greeting": "Enjoy!"}
		need(t, c.SendGiftcardByEmail(t.Context(), leat.SendGiftcardEmailRequest{
			GiftcardUUID: created.UUID, ContactUUID: recipient.UUID, MergeTags: mergeTags}), "SendGiftcardByEmail")
		sent := sb.Sandbox.SentEmails()
		if len(sent) != 1 || sent[0].GiftcardUUID != created.UUID || sent[0].GiftcardHash != created.Hash ||
			sent[0].Email != recipient.Email || !maps.Equal(sent[0].MergeTags, mergeTags) {
			t.Fatalf("sent %+v", sent)
		}
	})
	t.Run("errors", func(t *testing.T) {
		// 55021 (only digital cards) cannot be reached: the client only creates digital cards.
		runCodeCases(t, []codeCase{
			{"find unknown", func(ctx context.Context) error { return errOf(c.FindGiftcard(ctx, "NO-SUCH-CARD")) }, leat.CodeGiftcardNotFound},
			{"get unknown", func(ctx context.Context) error { return errOf(c.GetGiftcard(ctx, unknownUUID)) }, leat.CodeGiftcardNotFound},
			{"create in unknown program", func(ctx context.Context) error { return errOf(c.CreateDigitalGiftcard(ctx, unknownUUID)) }, leat.CodeGiftcardProgramNotFound},
			{"send unknown card", func(ctx context.Context) error {
				return c.SendGiftcardByEmail(ctx, leat.SendGiftcardEmailRequest{GiftcardUUID: unknownUUID, ContactUUID: sb.richContact(t).UUID})
			}, leat.CodeGiftcardNotFound},
			{"send to unknown contact", func(ctx context.Context) error {
				return c.SendGiftcardByEmail(ctx, leat.SendGiftcardEmailRequest{GiftcardUUID: card.UUID, ContactUUID: unknownUUID})
			}, leat.CodeContactNotFound},
		})
	})
}

func TestContractGiftcardTransactions(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop, otherShop := sb.shop(t), sb.otherShop(t)
	card := sb.giftcard(t, "usable empty card", func(g leatsandbox.SeedGiftcard) bool { return sb.spendable(g) && g.AmountInCents == 0 })
	maxCents := sb.program(t, card.Program).MaxAmountInCents
	const loaded, spent = 2500, 1000
	move := func(ctx context.Context, giftcardUUID, shopUUID string, cents int64, tag string) (*leat.GiftcardTransaction, error) {
		req := leat.CreateGiftcardTransactionRequest{GiftcardUUID: giftcardUUID, ShopUUID: shopUUID, AmountInCents: cents}
		if tag != "" {
			req.CustomAttributes = map[string]string{"pos_step": tag}
		}
		return c.CreateGiftcardTransaction(ctx, req)
	}
	wantBalance := func(t *testing.T, want int64) {
		t.Helper()
		if got := giftcardBalance(t, c, card.UUID); got != want {
			t.Fatalf("balance %d, want %d", got, want)
		}
	}

	// Another card's transaction must stay out of this card's list.
	_, err := move(t.Context(), sb.loadedCard(t).UUID, shop.UUID, -1, "other card")
	need(t, err, "payment on another card")

	load, err := move(t.Context(), card.UUID, shop.UUID, loaded, "sale-1/load")
	need(t, err, "load")
	if load.UUID == "" || load.ID == 0 || load.AmountInCents != loaded || load.Type != "STANDARD" || load.Giftcard.UUID != card.UUID ||
		load.Shop.UUID != shop.UUID || load.CreatedAt.IsZero() || load.CustomAttributes["pos_step"] != "sale-1/load" {
		t.Fatalf("load %+v", load)
	}
	wantBalance(t, loaded)
	spend, err := move(t.Context(), card.UUID, otherShop.UUID, -spent, "sale-2/tender")
	need(t, err, "spend")
	if spend.AmountInCents != -spent || spend.Shop.UUID != otherShop.UUID {
		t.Fatalf("spend %+v", spend)
	}
	wantBalance(t, loaded-spent)

	t.Run("get", func(t *testing.T) {
		got, err := c.GetGiftcardTransaction(t.Context(), load.UUID)
		need(t, err, "GetGiftcardTransaction")
		if got.UUID != load.UUID || got.AmountInCents != load.AmountInCents || got.Giftcard.UUID != card.UUID ||
			!got.CreatedAt.Equal(load.CreatedAt) || got.CustomAttributes["pos_step"] != "sale-1/load" {
			t.Fatalf("read back %+v, want %+v", got, load)
		}
	})
	t.Run("list", func(t *testing.T) {
		list := func(t *testing.T, req leat.ListGiftcardTransactionsRequest) *leat.Page[leat.GiftcardTransaction] {
			t.Helper()
			req.GiftcardHash = card.Hash
			page, err := c.ListGiftcardTransactions(t.Context(), req)
			need(t, err, "ListGiftcardTransactions")
			return page
		}
		uuids := func(page *leat.Page[leat.GiftcardTransaction]) []string {
			var ids []string
			for _, tx := range page.Items {
				ids = append(ids, tx.UUID)
			}
			return ids
		}
		cases := []struct {
			name string
			req  leat.ListGiftcardTransactionsRequest
			want []*leat.GiftcardTransaction
		}{
			{"newest first", leat.ListGiftcardTransactionsRequest{NewestFirst: true}, []*leat.GiftcardTransaction{spend, load}},
			{"oldest first", leat.ListGiftcardTransactionsRequest{}, []*leat.GiftcardTransaction{load, spend}},
			{"by shop", leat.ListGiftcardTransactionsRequest{ShopUUID: otherShop.UUID}, []*leat.GiftcardTransaction{spend}},
			{"created since the load", leat.ListGiftcardTransactionsRequest{CreatedSince: load.CreatedAt}, []*leat.GiftcardTransaction{load, spend}},
			{"created since later", leat.ListGiftcardTransactionsRequest{CreatedSince: spend.CreatedAt.Add(time.Hour)}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				page := list(t, tc.req)
				got := uuids(page)
				if len(got) != len(tc.want) || page.Total != len(tc.want) {
					t.Fatalf("listed %v (total %d), want %d transactions", got, page.Total, len(tc.want))
				}
				for i, want := range tc.want {
					if got[i] != want.UUID || page.Items[i].CustomAttributes["pos_step"] != want.CustomAttributes["pos_step"] {
						t.Fatalf("item %d: %+v, want %+v", i, page.Items[i], want)
					}
				}
			})
		}
		t.Run("pages", func(t *testing.T) {
			first := list(t, leat.ListGiftcardTransactionsRequest{NewestFirst: true, PerPage: 1})
			second := list(t, leat.ListGiftcardTransactionsRequest{NewestFirst: true, PerPage: 1, Page: 2})
			if first.Page != 1 || first.PerPage != 1 || first.LastPage != 2 || first.Total != 2 || !first.HasNext() || second.HasNext() ||
				len(first.Items) != 1 || first.Items[0].UUID != spend.UUID || len(second.Items) != 1 || second.Items[0].UUID != load.UUID {
				t.Fatalf("pages %+v and %+v", first, second)
			}
		})
	})
	t.Run("refusals leave the balance alone", func(t *testing.T) {
		expired := sb.giftcard(t, "expired card holding money", func(g leatsandbox.SeedGiftcard) bool {
			return g.Active && g.AmountInCents > 0 && g.ExpirationDate != nil && !g.ExpirationDate.After(sb.now())
		})
		pay := func(giftcardUUID, shopUUID string, cents int64) func(context.Context) error {
			return func(ctx context.Context) error { return errOf(move(ctx, giftcardUUID, shopUUID, cents, "")) }
		}
		runCodeCases(t, []codeCase{
			{"over the balance", pay(card.UUID, shop.UUID, -(loaded - spent + 1)), leat.CodeInsufficientGiftcardBalance},
			{"over the program maximum", pay(card.UUID, shop.UUID, maxCents-(loaded-spent)+1), leat.CodeGiftcardMaxAmountExceeded},
			{"expired card", pay(expired.UUID, shop.UUID, -1), leat.CodeGiftcardExpired},
			{"unknown card", pay(unknownUUID, shop.UUID, -1), leat.CodeGiftcardNotFound},
			{"unknown shop", pay(card.UUID, unknownUUID, -1), leat.CodeShopNotFound},
			{"get unknown", func(ctx context.Context) error { return errOf(c.GetGiftcardTransaction(ctx, unknownUUID)) }, leat.CodeGiftcardTransactionNotFound},
			{"reverse unknown", func(ctx context.Context) error { return errOf(c.ReverseGiftcardTransaction(ctx, unknownUUID)) }, leat.CodeGiftcardTransactionNotFound},
			{"reverse not the last", func(ctx context.Context) error { return errOf(c.ReverseGiftcardTransaction(ctx, load.UUID)) }, leat.CodeNotLastGiftcardTransaction},
		})
		wantBalance(t, loaded-spent)
	})
	t.Run("reverse the last", func(t *testing.T) {
		reversal, err := c.ReverseGiftcardTransaction(t.Context(), spend.UUID)
		need(t, err, "ReverseGiftcardTransaction")
		if reversal.UUID == "" || reversal.UUID == spend.UUID || reversal.AmountInCents != -spend.AmountInCents || reversal.Giftcard.UUID != card.UUID {
			t.Fatalf("reversal %+v of %+v", reversal, spend)
		}
		wantBalance(t, loaded)
	})
}

func TestContractPrepaid(t *testing.T) {
	sb := startSandbox(t)
	c := sb.client
	shop := sb.shop(t)
	card := sb.linkedCard(t)
	contact := sb.contactByEmail(t, card.Contact)
	blocked := sb.card(t, "blocked card", func(c leatsandbox.SeedLoyaltyCard) bool { return !c.Active })
	const toppedUp, paid = 1000, 400

	topUp, err := c.CreatePrepaidTransaction(t.Context(), leat.CreatePrepaidTransactionRequest{
		ContactUUID: contact.UUID, ShopUUID: shop.UUID, AmountInCents: toppedUp})
	need(t, err, "top up")
	if topUp.UUID == "" || topUp.AmountInCents != toppedUp || topUp.Balance.BalanceInCents != contact.PrepaidBalanceInCents+toppedUp ||
		topUp.Shop.UUID != shop.UUID || topUp.CreatedAt.IsZero() || topUp.ContactIdentifier != nil {
		t.Fatalf("top-up %+v", topUp)
	}
	pay, err := c.CreatePrepaidTransaction(t.Context(), leat.CreatePrepaidTransactionRequest{
		ContactIdentifierValue: card.Value, ShopUUID: shop.UUID, AmountInCents: -paid})
	need(t, err, "pay by card")
	if pay.AmountInCents != -paid || pay.Balance.BalanceInCents != topUp.Balance.BalanceInCents-paid ||
		pay.ContactIdentifier == nil || pay.ContactIdentifier.Value != card.Value {
		t.Fatalf("payment %+v", pay)
	}

	t.Run("list", func(t *testing.T) {
		page, err := c.ListPrepaidTransactions(t.Context(), leat.ListPrepaidTransactionsRequest{ContactUUID: contact.UUID, Limit: 1})
		need(t, err, "ListPrepaidTransactions")
		if len(page.Items) != 1 || page.Items[0].UUID != pay.UUID || page.Items[0].Contact == nil || page.Items[0].Contact.UUID != contact.UUID ||
			page.Page != 1 || page.PerPage != 1 || page.LastPage != 2 || page.Total != 2 || !page.HasNext() {
			t.Fatalf("first page %+v", page)
		}
	})
	t.Run("reverse", func(t *testing.T) {
		reversal, err := c.ReversePrepaidTransaction(t.Context(), pay.UUID)
		need(t, err, "ReversePrepaidTransaction")
		if reversal.UUID == pay.UUID || reversal.AmountInCents != paid || reversal.Balance.BalanceInCents != topUp.Balance.BalanceInCents {
			t.Fatalf("reversal %+v", reversal)
		}
		balance, err := c.GetPrepaidBalance(t.Context(), contact.UUID)
		need(t, err, "GetPrepaidBalance")
		if balance != topUp.Balance.BalanceInCents {
			t.Fatalf("balance %d, want %d", balance, topUp.Balance.BalanceInCents)
		}
	})
	t.Run("errors", func(t *testing.T) {
		create := func(req leat.CreatePrepaidTransactionRequest) func(context.Context) error {
			req.AmountInCents = 100
			return func(ctx context.Context) error { return errOf(c.CreatePrepaidTransaction(ctx, req)) }
		}
		runCodeCases(t, []codeCase{
			{"unknown contact", create(leat.CreatePrepaidTransactionRequest{ContactUUID: unknownUUID, ShopUUID: shop.UUID}), leat.CodeContactNotFound},
			{"unknown card", create(leat.CreatePrepaidTransactionRequest{ContactIdentifierValue: "NO-SUCH-CARD", ShopUUID: shop.UUID}), leat.CodeContactIdentifierNotFound},
			{"blocked card", create(leat.CreatePrepaidTransactionRequest{ContactIdentifierValue: blocked.Value, ShopUUID: shop.UUID}), leat.CodeContactIdentifierInactive},
			{"unknown shop", create(leat.CreatePrepaidTransactionRequest{ContactUUID: contact.UUID, ShopUUID: unknownUUID}), leat.CodeShopNotFound},
		})
	})
}
