package leatsandbox_test

import (
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func (l *leat) prepaid(body map[string]any) answer {
	l.t.Helper()
	body["shop_uuid"] = l.shop().UUID
	return l.call("POST", "/prepaid-transactions", body)
}

func TestPrepaidTransactions(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	opening := contact.PrepaidBalanceInCents

	debit := l.prepaid(map[string]any{"contact_uuid": contact.UUID, "amount_in_cents": -500}).ok()
	if debit.int("data.prepaid_balance.balance_in_cents") != opening-500 || debit.int("data.amount_in_cents") != -500 {
		t.Fatalf("debit: %s", debit.raw)
	}
	card := pick(t, "an active card of the contact", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool {
		return c.Active && c.Contact == contact.Email
	})
	credit := l.prepaid(map[string]any{"contact_identifier_value": card.Value, "amount_in_cents": 1000}).ok()
	if credit.int("data.prepaid_balance.balance_in_cents") != opening+500 || credit.str("data.contact_identifier.value") != card.Value {
		t.Fatalf("credit: %s", credit.raw)
	}

	l.prepaid(map[string]any{"contact_uuid": contact.UUID, "amount_in_cents": -(opening + 501)}).invalid("amount_in_cents")
	if l.prepaidBalance(contact.UUID) != opening+500 {
		t.Fatal("a refused payment changed the balance")
	}

	reversal := l.call("POST", "/prepaid-transactions/"+debit.str("data.uuid")+"/reverse", nil).ok()
	if reversal.int("data.amount_in_cents") != 500 || reversal.int("data.prepaid_balance.balance_in_cents") != opening+1000 {
		t.Fatalf("reversal: %s", reversal.raw)
	}
	l.call("POST", "/prepaid-transactions/"+debit.str("data.uuid")+"/reverse", nil).invalid("prepaid_transaction_uuid")

	list := l.call("GET", "/prepaid-transactions?contact_uuid="+contact.UUID, nil).ok()
	if len(list.list("data")) != 3 || list.str("data.0.uuid") != reversal.str("data.uuid") || list.str("data.0.contact.uuid") != contact.UUID {
		t.Fatalf("list, newest first: %s", list.raw)
	}
}

func TestPrepaidRefusals(t *testing.T) {
	l := start(t)
	inactive := pick(t, "an inactive card", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return !c.Active })
	unlinked := pick(t, "an unlinked card", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Active && c.Contact == "" })
	tests := []struct {
		name string
		body map[string]any
		code int
	}{
		{"no contact at all", map[string]any{"amount_in_cents": 100}, 1003},
		{"unknown contact", map[string]any{"contact_uuid": unknownUUID, "amount_in_cents": 100}, 55031},
		{"unknown card", map[string]any{"contact_identifier_value": "NO-SUCH-CARD", "amount_in_cents": 100}, 60003},
		{"inactive card", map[string]any{"contact_identifier_value": inactive.Value, "amount_in_cents": 100}, 60004},
		{"card of nobody", map[string]any{"contact_identifier_value": unlinked.Value, "amount_in_cents": 100}, 60011},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l.with(t).prepaid(tt.body).fails(tt.code)
		})
	}
}
