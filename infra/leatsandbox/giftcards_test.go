package leatsandbox_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func (l *leat) giftcard(what string, match func(leatsandbox.SeedGiftcard) bool) leatsandbox.SeedGiftcard {
	l.t.Helper()
	return pick(l.t, what, l.seed.Giftcards, match)
}

func (l *leat) usable(g leatsandbox.SeedGiftcard) bool {
	return g.Active && (g.ExpirationDate == nil || g.ExpirationDate.After(time.Now().Add(24*time.Hour)))
}

func (l *leat) giftcardTransaction(giftcardUUID string, amount int64) answer {
	l.t.Helper()
	return l.call("POST", "/giftcard-transactions", map[string]any{"giftcard_uuid": giftcardUUID,
		"amount_in_cents": amount, "shop_uuid": l.shop().UUID})
}

func TestGiftcardBalanceRules(t *testing.T) {
	l := start(t)
	program := l.seed.GiftcardPrograms[0]
	blank := l.giftcard("an empty card for sale", func(g leatsandbox.SeedGiftcard) bool { return l.usable(g) && g.AmountInCents == 0 })
	loaded := l.giftcard("a loaded card", func(g leatsandbox.SeedGiftcard) bool { return l.usable(g) && g.AmountInCents > 0 })
	expired := l.giftcard("an expired card", func(g leatsandbox.SeedGiftcard) bool {
		return g.Active && g.ExpirationDate != nil && g.ExpirationDate.Before(time.Now())
	})
	blocked := l.giftcard("a blocked card", func(g leatsandbox.SeedGiftcard) bool { return !g.Active })

	tests := []struct {
		name   string
		card   string
		amount int64
		code   int
	}{
		{"never below zero", loaded.UUID, -(loaded.AmountInCents + 1), 5003},
		{"never above the program maximum", blank.UUID, program.MaxAmountInCents + 1, 5008},
		{"expired", expired.UUID, -100, 5002},
		{"blocked", blocked.UUID, -100, 5001},
		{"unknown", unknownUUID, 100, 5001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			l.giftcardTransaction(tt.card, tt.amount).fails(tt.code)
		})
	}
	l.giftcardTransaction(blank.UUID, 0).invalid("amount_in_cents")

	l.giftcardTransaction(blank.UUID, program.MaxAmountInCents).ok()
	l.giftcardTransaction(loaded.UUID, -loaded.AmountInCents).ok()
	if l.giftcardBalance(blank.UUID) != program.MaxAmountInCents || l.giftcardBalance(loaded.UUID) != 0 {
		t.Fatal("balances do not add up")
	}
	found := l.call("GET", "/giftcards/find-one-by?hash="+blank.Hash, nil).ok()
	if found.str("data.uuid") != blank.UUID || found.str("data.giftcard_program.uuid") != program.UUID {
		t.Fatalf("find: %s", found.raw)
	}
	l.call("GET", "/giftcards/find-one-by?hash=NOPE", nil).fails(5001)
}

func TestOnlyTheLastGiftcardTransactionIsReversible(t *testing.T) {
	l := start(t)
	card := l.giftcard("a loaded card", func(g leatsandbox.SeedGiftcard) bool { return l.usable(g) && g.AmountInCents >= 1000 })

	first := l.giftcardTransaction(card.UUID, -300).ok().str("data.uuid")
	second := l.giftcardTransaction(card.UUID, -200).ok().str("data.uuid")
	l.call("POST", "/giftcard-transactions/"+first+"/reverse", nil).fails(55025)

	reversal := l.call("POST", "/giftcard-transactions/"+second+"/reverse", nil).ok()
	if reversal.int("data.amount_in_cents") != 200 {
		t.Fatalf("reversal: %s", reversal.raw)
	}
	if l.giftcardBalance(card.UUID) != card.AmountInCents-300 {
		t.Fatal("reversal did not restore the balance")
	}
	l.call("POST", "/giftcard-transactions/"+second+"/reverse", nil).invalid("giftcard_transaction_uuid")
	l.call("POST", "/giftcard-transactions/"+reversal.str("data.uuid")+"/reverse", nil).invalid("giftcard_transaction_uuid")
	l.call("POST", "/giftcard-transactions/"+unknownUUID+"/reverse", nil).fails(5010)
	l.call("GET", "/giftcard-transactions/"+unknownUUID, nil).fails(5010)
	l.call("GET", "/giftcard-transactions/"+first, nil).ok()

	page := l.call("GET", "/giftcard-transactions?giftcard_uuid="+card.UUID+"&perPage=2&page=1", nil).ok()
	if page.str("data.0.uuid") != reversal.str("data.uuid") || page.int("meta.total") != 3 || page.int("meta.last_page") != 2 ||
		page.int("meta.limit") != 2 || page.int("meta.viewing_from") != 1 || page.int("meta.viewing_to") != 2 {
		t.Fatalf("transactions, newest first: %s", page.raw)
	}
}

func TestGiftcardTransactionKeepsCustomAttributes(t *testing.T) {
	l := start(t)
	card := l.giftcard("a loaded card", func(g leatsandbox.SeedGiftcard) bool { return l.usable(g) && g.AmountInCents > 0 })
	created := l.call("POST", "/giftcard-transactions", map[string]any{"giftcard_uuid": card.UUID, "amount_in_cents": -1,
		"shop_uuid": l.shop().UUID, "custom_attributes": map[string]any{"pos_step_id": "checkout-7/tender-1"}}).ok()
	fetched := l.call("GET", "/giftcard-transactions/"+created.str("data.uuid"), nil).ok()
	if fetched.str("data.custom_attributes.pos_step_id") != "checkout-7/tender-1" {
		t.Fatalf("custom attributes lost: %s", fetched.raw)
	}
}

func TestDigitalGiftcardCreatedAndSentByEmail(t *testing.T) {
	l := start(t)
	program := l.seed.GiftcardPrograms[0]
	l.call("POST", "/giftcards", map[string]any{"type": 0, "giftcard_program_uuid": program.UUID}).fails(55021)
	l.call("POST", "/giftcards", map[string]any{"type": 1, "giftcard_program_uuid": unknownUUID}).fails(1100)
	l.call("POST", "/giftcards", map[string]any{}).invalid("type")

	card := l.call("POST", "/giftcards", map[string]any{"type": 1, "giftcard_program_uuid": program.UUID}).ok()
	if card.str("data.type") != "DIGITAL" || card.int("data.amount_in_cents") != 0 {
		t.Fatalf("digital card: %s", card.raw)
	}
	recipient := l.richContact()
	l.call("POST", "/giftcards/"+card.str("data.uuid")+"/send-by-email", map[string]any{"contact_uuid": recipient.UUID}).ok()
	l.call("POST", "/giftcards/"+card.str("data.uuid")+"/send-by-email", map[string]any{"contact_uuid": unknownUUID}).fails(55031)

	emails := l.call("GET", "/_sandbox/emails", nil)
	if emails.status != http.StatusOK || len(emails.list("emails")) != 1 || emails.str("emails.0.email") != recipient.Email ||
		emails.str("emails.0.giftcard_hash") != card.str("data.hash") {
		t.Fatalf("emails: %s", emails.raw)
	}

	programs := l.call("GET", "/giftcard-programs", nil).ok()
	if programs.str("data.0.uuid") != program.UUID {
		t.Fatalf("programs: %s", programs.raw)
	}
	list := l.call("GET", "/giftcards?limit=2", nil).ok()
	if list.int("meta.per_page") != 2 || list.int("meta.total") != int64(len(l.seed.Giftcards)+1) {
		t.Fatalf("giftcards: %s", list.raw)
	}
}
