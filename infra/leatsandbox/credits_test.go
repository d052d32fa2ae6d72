package leatsandbox_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

// credit posts a credit reception for contactUUID in the first shop; body adds unit_value or credits.
func (l *leat) credit(contactUUID string, body map[string]any) answer {
	l.t.Helper()
	request := map[string]any{"contact_uuid": contactUUID, "shop_uuid": l.shop().UUID}
	for key, value := range body {
		request[key] = value
	}
	return l.call("POST", "/credit-receptions", request)
}

func TestCreditReceptionEarnsByTheEarningRule(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	rate := l.seed.Account.PointsPerCurrencyUnit
	tests := []struct {
		name      string
		body      map[string]any
		points    int64
		unitValue string // as answered, "" for none
	}{
		{"unit value as a JSON number", map[string]any{"unit_value": json.Number("10.40")}, 10 * rate, "10.40"},
		{"unit value as text, one decimal, unit named", map[string]any{"unit_value": "7.5", "unit_name": "purchase_amount"}, 7 * rate, "7.50"},
		{"less than a whole unit", map[string]any{"unit_value": "0.99"}, 0, "0.99"},
		{"fixed credits", map[string]any{"credits": 25}, 25, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			before := l.points(contact.UUID)
			a := l.credit(contact.UUID, tt.body).ok()
			if a.str("data.type") != "credit_reception" || a.str("data.uuid") == "" || a.int("data.credits") != tt.points ||
				a.str("data.channel") != "API" || a.str("data.contact.uuid") != contact.UUID || a.str("data.shop.uuid") != l.shop().UUID ||
				a.int("data.contact.credit_balance.balance") != before+tt.points {
				t.Fatalf("credit reception: %s", a.raw)
			}
			parseTime(t, a.str("data.created_at"))
			if got := l.points(contact.UUID); got != before+tt.points {
				t.Fatalf("balance %d, want %d", got, before+tt.points)
			}
			if tt.unitValue == "" {
				if a.get("data.unit_value") != nil || a.get("data.unit") != nil {
					t.Fatalf("fixed credits carry no unit: %s", a.raw)
				}
				return
			}
			if a.get("data.unit_value") != json.Number(tt.unitValue) || a.str("data.unit.name") != "purchase_amount" {
				t.Fatalf("unit value: %s", a.raw)
			}
		})
	}

	t.Run("form encoded", func(t *testing.T) {
		l := l.with(t)
		before := l.points(contact.UUID)
		l.form("POST", "/credit-receptions", url.Values{"contact_uuid": {contact.UUID}, "shop_uuid": {l.shop().UUID},
			"unit_value": {"12.34"}}).ok()
		if got := l.points(contact.UUID); got != before+12*rate {
			t.Fatalf("balance %d, want %d", got, before+12*rate)
		}
	})
}

func TestCreditReceptionRefusals(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	tests := []struct {
		name  string
		body  map[string]any
		field string // for 1003
		code  int
	}{
		{"neither unit value nor credits", map[string]any{"contact_uuid": contact.UUID}, "unit_value", 1003},
		{"both unit value and credits", map[string]any{"contact_uuid": contact.UUID, "unit_value": "1.00", "credits": 1}, "credits", 1003},
		{"three decimals", map[string]any{"contact_uuid": contact.UUID, "unit_value": "10.405"}, "unit_value", 1003},
		{"negative unit value", map[string]any{"contact_uuid": contact.UUID, "unit_value": "-1.00"}, "unit_value", 1003},
		{"exponent", map[string]any{"contact_uuid": contact.UUID, "unit_value": "1e3"}, "unit_value", 1003},
		{"no credits", map[string]any{"contact_uuid": contact.UUID, "credits": 0}, "credits", 1003},
		{"no contact", map[string]any{"credits": 5}, "contact_uuid", 1003},
		{"unknown unit", map[string]any{"contact_uuid": contact.UUID, "unit_value": "1.00", "unit_name": "visits"}, "", 60007},
		{"unknown contact", map[string]any{"contact_uuid": unknownUUID, "credits": 5}, "", 55031},
		{"unknown shop", map[string]any{"contact_uuid": contact.UUID, "credits": 5, "shop_uuid": unknownUUID}, "", 1008},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			before := l.points(contact.UUID)
			body := map[string]any{"shop_uuid": l.shop().UUID}
			for key, value := range tt.body {
				body[key] = value
			}
			a := l.call("POST", "/credit-receptions", body)
			if tt.field != "" {
				a.invalid(tt.field)
			} else {
				a.fails(tt.code)
			}
			if l.points(contact.UUID) != before {
				t.Fatal("a refused credit reception changed the balance")
			}
		})
	}
}

func TestCreditReceptionReversal(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	before := l.points(contact.UUID)
	credited := l.credit(contact.UUID, map[string]any{"credits": 30}).ok()
	path := "/credit-receptions/" + credited.str("data.uuid") + "/reverse"

	reversal := l.call("POST", path, nil).ok()
	if reversal.str("data.type") != "credit_reception" || reversal.int("data.credits") != -30 ||
		reversal.str("data.uuid") == credited.str("data.uuid") || reversal.int("data.contact.credit_balance.balance") != before {
		t.Fatalf("reversal: %s", reversal.raw)
	}
	if l.points(contact.UUID) != before {
		t.Fatal("the points were not taken back")
	}
	l.call("POST", path, nil).invalid("credit_reception_uuid")
	l.call("POST", "/credit-receptions/"+reversal.str("data.uuid")+"/reverse", nil).invalid("credit_reception_uuid")
	l.call("POST", "/credit-receptions/"+unknownUUID+"/reverse", nil).fails(60013)
	if l.points(contact.UUID) != before {
		t.Fatal("a refused reversal changed the balance")
	}
}

func TestCreditReceptionReversalNeverOverdraws(t *testing.T) {
	l := start(t)
	contact := pick(t, "a contact without points", l.seed.Contacts, func(c leatsandbox.SeedContact) bool { return c.Points == 0 })
	r := l.plainReward()
	credited := l.credit(contact.UUID, map[string]any{"credits": r.RequiredCredits}).ok()
	l.claim(contact.UUID, r.UUID).ok()

	l.call("POST", "/credit-receptions/"+credited.str("data.uuid")+"/reverse", nil).fails(1017)
	if got := l.points(contact.UUID); got != 0 {
		t.Fatalf("balance %d after a refused reversal, want 0", got)
	}
}
