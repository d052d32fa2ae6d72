package leatsandbox_test

import (
	"net/url"
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func TestContactIdentifiers(t *testing.T) {
	l := start(t)
	linked := pick(t, "a linked card", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Active && c.Contact != "" })
	unlinked := pick(t, "an unlinked card", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Active && c.Contact == "" })
	inactive := pick(t, "an inactive card", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return !c.Active })
	find := func(value string) answer {
		return l.call("GET", "/contact-identifiers/find?contact_identifier_value="+url.QueryEscape(value), nil)
	}

	if a := find(linked.Value).ok(); a.str("data.contact.email") != linked.Contact || a.get("data.active") != true {
		t.Fatalf("linked card: %s", a.raw)
	}
	if a := find(unlinked.Value).ok(); a.get("data.contact") != nil {
		t.Fatalf("unlinked card: %s", a.raw)
	}
	find(inactive.Value).fails(60004)
	find("NO-SUCH-CARD").fails(60003)
	l.call("GET", "/contact-identifiers/find", nil).invalid("contact_identifier_value")

	contact := l.richContact()
	link := map[string]any{"contact_identifier_value": unlinked.Value, "contact_uuid": contact.UUID}
	if a := l.call("PUT", "/contact-identifiers/link", link).ok(); a.str("data.contact.uuid") != contact.UUID {
		t.Fatalf("link: %s", a.raw)
	}
	l.call("PUT", "/contact-identifiers/link", link).fails(60014)
	l.call("PUT", "/contact-identifiers/link", map[string]any{"contact_identifier_value": "NO-SUCH-CARD", "contact_uuid": contact.UUID}).fails(60003)
	l.call("PUT", "/contact-identifiers/link", map[string]any{"contact_identifier_value": inactive.Value, "contact_uuid": contact.UUID}).fails(60004)

	l.call("POST", "/contact-identifiers", map[string]any{"contact_identifier_value": "NEW-CARD-1"}).ok()
	l.call("POST", "/contact-identifiers", map[string]any{"contact_identifier_value": "NEW-CARD-1"}).fails(60006)
	l.call("PUT", "/contact-identifiers/link", map[string]any{"contact_identifier_value": "NEW-CARD-1", "contact_uuid": unknownUUID}).fails(55031)
}

func TestContacts(t *testing.T) {
	l := start(t)
	rich := l.richContact()
	noTier := pick(t, "a contact without tier", l.seed.Contacts, func(c leatsandbox.SeedContact) bool { return c.Tier == "" })

	full := l.call("GET", "/contacts/"+rich.UUID, nil).ok()
	if full.int("data.credit_balance.balance") != rich.Points || full.int("data.prepaid_balance.balance_in_cents") != rich.PrepaidBalanceInCents ||
		full.str("data.tier.name") != rich.Tier || full.str("data.current_values.firstname") != rich.FirstName {
		t.Fatalf("contact: %s", full.raw)
	}
	if l.prepaidBalance(rich.UUID) != rich.PrepaidBalanceInCents || l.points(rich.UUID) != rich.Points {
		t.Fatal("balances")
	}
	if tier := l.call("GET", "/contacts/"+rich.UUID+"/tier", nil).ok(); tier.str("data.name") != rich.Tier {
		t.Fatalf("tier: %s", tier.raw)
	}
	if tier := l.call("GET", "/contacts/"+noTier.UUID+"/tier", nil).ok(); tier.get("data.name") != nil {
		t.Fatalf("no tier: %s", tier.raw)
	}
	if tiers := l.call("GET", "/tiers", nil).ok(); len(tiers.list("data")) != len(l.seed.Tiers) {
		t.Fatalf("tiers: %s", tiers.raw)
	}
	l.call("GET", "/contacts/"+unknownUUID, nil).fails(55031)
	l.call("GET", "/contacts/"+unknownUUID+"/credit-balance", nil).fails(55031)

	l.call("GET", "/contacts/find-one-by?email="+url.QueryEscape(rich.Email), nil).ok()
	l.call("GET", "/contacts/find-one-by?email=nobody%40example.com", nil).fails(55031)
	l.call("GET", "/contacts/find-one-by?email=not-an-email", nil).invalid("email")

	created := l.call("GET", "/contacts/find-or-create?email=new.member%40example.com", nil).ok()
	again := l.call("GET", "/contacts/find-or-create?email=new.member%40example.com", nil).ok()
	if created.str("data.uuid") != again.str("data.uuid") || created.int("data.credit_balance.balance") != 0 {
		t.Fatalf("find-or-create: %s / %s", created.raw, again.raw)
	}
	l.call("POST", "/contacts", map[string]any{"email": "new.member@example.com"}).fails(60005)
	if a := l.call("POST", "/contacts", map[string]any{"email": "other.member@example.com"}).ok(); a.str("data.uuid") == "" {
		t.Fatalf("create: %s", a.raw)
	}
}

func TestShops(t *testing.T) {
	l := start(t)
	if a := l.call("GET", "/shops/"+l.shop().UUID, nil).ok(); a.str("data.name") != l.shop().Name {
		t.Fatalf("shop: %s", a.raw)
	}
	l.call("GET", "/shops/"+unknownUUID, nil).fails(1008)
}

func TestPortalSessions(t *testing.T) {
	l := start(t)
	shop, contact := l.shop().UUID, l.richContact().UUID

	created := l.call("POST", "/portal-sessions", map[string]any{"shop_uuid": shop, "contact_uuid": contact})
	if created.status != 201 || created.str("data.contact.uuid") != contact || len(created.list("data.events")) != 0 {
		t.Fatalf("portal session: %d %s", created.status, created.raw)
	}
	fetched := l.call("GET", "/portal-sessions/"+created.str("data.uuid"), nil).ok()
	if fetched.str("data.url") != created.str("data.url") {
		t.Fatalf("get: %s", fetched.raw)
	}
	l.call("POST", "/portal-sessions/top-up-prepaid", map[string]any{"business_profile_uuid": shop}).ok()
	l.call("POST", "/portal-sessions/redeem-giftcards", map[string]any{"shop_uuid": shop}).invalid("amount_in_cents")
	l.call("POST", "/portal-sessions/redeem-giftcards", map[string]any{"shop_uuid": shop, "amount_in_cents": 2500}).ok()
	l.call("POST", "/portal-sessions", map[string]any{}).invalid("shop_uuid")
	l.call("POST", "/portal-sessions", map[string]any{"shop_uuid": unknownUUID}).fails(1008)
	l.call("POST", "/portal-sessions", map[string]any{"shop_uuid": shop, "contact_uuid": unknownUUID}).fails(55031)
	l.call("POST", "/portal-sessions", map[string]any{"shop_uuid": shop, "scanner_type": "laser"}).invalid("scanner_type")
}
