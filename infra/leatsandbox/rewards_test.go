package leatsandbox_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func (l *leat) reward(what string, match func(leatsandbox.SeedReward) bool) leatsandbox.SeedReward {
	l.t.Helper()
	return pick(l.t, what, l.seed.Rewards, match)
}

// plainReward is an active reward without stock, claim limit or collection step that the rich contact can
// afford.
func (l *leat) plainReward() leatsandbox.SeedReward {
	rich := l.richContact()
	return l.reward("a plain affordable reward", func(r leatsandbox.SeedReward) bool {
		return r.Active && r.Stock == nil && r.ClaimLimit == 0 && !r.PreRedeemable && r.RequiredCredits <= rich.Points
	})
}

func (l *leat) claim(contactUUID, rewardUUID string) answer {
	l.t.Helper()
	return l.call("POST", "/reward-receptions", map[string]any{"contact_uuid": contactUUID,
		"reward_uuid": rewardUUID, "shop_uuid": l.shop().UUID})
}

func TestRewardReceptionSpendsAndReversalRestoresPoints(t *testing.T) {
	l := start(t)
	contact, r := l.richContact(), l.plainReward()

	claim := l.claim(contact.UUID, r.UUID).ok()
	if claim.int("data.credits") != -r.RequiredCredits || claim.str("data.type") != "reward_reception" {
		t.Fatalf("reception: %s", claim.raw)
	}
	after := contact.Points - r.RequiredCredits
	if claim.int("data.contact.credit_balance.balance") != after || l.points(contact.UUID) != after {
		t.Fatalf("points not spent: %s", claim.raw)
	}
	for name, value := range r.Attributes {
		if claim.str("data.reward."+name) != value {
			t.Fatalf("custom attribute %s missing on the reward: %s", name, claim.raw)
		}
	}

	reversal := l.call("POST", "/reward-receptions/"+claim.str("data.uuid")+"/reverse", nil).ok()
	if reversal.str("data.type") != "credit_reception" || reversal.int("data.credits") != r.RequiredCredits {
		t.Fatalf("reversal: %s", reversal.raw)
	}
	if l.points(contact.UUID) != contact.Points {
		t.Fatal("points not restored")
	}
	l.call("POST", "/reward-receptions/"+claim.str("data.uuid")+"/reverse", nil).invalid("reward_reception_uuid")
}

// The compensating credit reception is made for what the reception was: same contact, shop, card and
// channel.
func TestRewardReversalCarriesTheReceptionsFields(t *testing.T) {
	l := start(t)
	contact, r := l.richContact(), l.plainReward()
	card := pick(t, "an active card of the contact", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool {
		return c.Active && c.Contact == contact.Email
	})
	claim := l.call("POST", "/reward-receptions", map[string]any{"contact_uuid": contact.UUID, "reward_uuid": r.UUID,
		"shop_uuid": l.shop().UUID, "contact_identifier_value": card.Value}).ok()
	reversal := l.call("POST", "/reward-receptions/"+claim.str("data.uuid")+"/reverse", nil).ok()

	for _, field := range []string{"channel", "shop", "contact_identifier", "contact.uuid", "contact.email"} {
		if !reflect.DeepEqual(reversal.get("data."+field), claim.get("data."+field)) {
			t.Errorf("%s: reception %v, reversal %v", field, claim.get("data."+field), reversal.get("data."+field))
		}
	}
	if reversal.str("data.channel") == "" || reversal.get("data.contact_identifier") == nil {
		t.Fatalf("reversal lacks the reception's channel or card: %s", reversal.raw)
	}
	// The refund is a credit reception, but not one to reverse: that would take the points twice.
	l.call("POST", "/credit-receptions/"+reversal.str("data.uuid")+"/reverse", nil).invalid("credit_reception_uuid")
	if l.points(contact.UUID) != contact.Points {
		t.Fatal("points not restored")
	}
}

func TestRewardReceptionRefusals(t *testing.T) {
	l := start(t)
	rich, shop := l.richContact(), l.shop()
	poorest := l.seed.Contacts[0]
	for _, c := range l.seed.Contacts {
		if c.Points < poorest.Points {
			poorest = c
		}
	}
	tooExpensive := l.reward("a reward nobody can afford", func(r leatsandbox.SeedReward) bool {
		return r.Active && r.RequiredCredits > rich.Points && (r.Stock == nil || *r.Stock > 0)
	})
	outOfStock := l.reward("an out-of-stock reward", func(r leatsandbox.SeedReward) bool {
		return r.Active && r.Stock != nil && *r.Stock == 0
	})
	inactive := l.reward("an inactive reward", func(r leatsandbox.SeedReward) bool { return !r.Active })
	limited := l.reward("a reward with a claim limit of one", func(r leatsandbox.SeedReward) bool {
		return r.Active && r.ClaimLimit == 1 && r.RequiredCredits <= rich.Points
	})
	l.claim(rich.UUID, limited.UUID).ok()

	tests := []struct {
		name string
		body map[string]any
		code int
	}{
		{"insufficient credits", map[string]any{"contact_uuid": poorest.UUID, "reward_uuid": l.plainReward().UUID, "shop_uuid": shop.UUID}, 1017},
		{"too expensive for everybody", map[string]any{"contact_uuid": rich.UUID, "reward_uuid": tooExpensive.UUID, "shop_uuid": shop.UUID}, 1017},
		{"out of stock", map[string]any{"contact_uuid": rich.UUID, "reward_uuid": outOfStock.UUID, "shop_uuid": shop.UUID}, 1018},
		{"claim limit", map[string]any{"contact_uuid": rich.UUID, "reward_uuid": limited.UUID, "shop_uuid": shop.UUID}, 1019},
		{"inactive", map[string]any{"contact_uuid": rich.UUID, "reward_uuid": inactive.UUID, "shop_uuid": shop.UUID}, 1052},
		{"unknown reward", map[string]any{"contact_uuid": rich.UUID, "reward_uuid": unknownUUID, "shop_uuid": shop.UUID}, 6003},
		{"unknown contact", map[string]any{"contact_uuid": unknownUUID, "reward_uuid": limited.UUID, "shop_uuid": shop.UUID}, 55031},
		{"unknown shop", map[string]any{"contact_uuid": rich.UUID, "reward_uuid": limited.UUID, "shop_uuid": unknownUUID}, 1008},
		{"missing fields", map[string]any{"contact_uuid": rich.UUID}, 1003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			richBefore, poorestBefore := l.points(rich.UUID), l.points(poorest.UUID)
			l.call("POST", "/reward-receptions", tt.body).fails(tt.code)
			if l.points(rich.UUID) != richBefore || l.points(poorest.UUID) != poorestBefore {
				t.Fatal("a refused claim changed a balance")
			}
		})
	}
}

func TestRewardListForContactHidesWhatItCanNeverClaim(t *testing.T) {
	l := start(t)
	rich := l.richContact()
	all := l.call("GET", "/rewards", nil).ok().list("data")
	mine := l.call("GET", "/rewards?contact_uuid="+rich.UUID+"&shop_uuid="+l.shop().UUID, nil).ok().list("data")
	if len(all) != len(l.seed.Rewards) || len(mine) >= len(all) {
		t.Fatalf("all %d, for contact %d", len(all), len(mine))
	}
	for _, item := range mine {
		if item.(map[string]any)["is_active"] != true {
			t.Fatalf("inactive reward offered: %v", item)
		}
	}
	l.call("GET", "/rewards/"+l.plainReward().UUID, nil).ok()
	l.call("GET", "/rewards/"+unknownUUID, nil).fails(6003)
}

func TestPreRedeemedRewardIsCollectedAndReversed(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	r := l.reward("a pre-redeemable reward", func(r leatsandbox.SeedReward) bool {
		return r.Active && r.PreRedeemable && r.ExpirationDuration != nil
	})

	claim := l.claim(contact.UUID, r.UUID).ok()
	if claim.get("data.has_been_collected") != false {
		t.Fatalf("a pre-redeemed reward starts uncollected: %s", claim.raw)
	}
	created, expires := parseTime(t, claim.str("data.created_at")), parseTime(t, claim.str("data.expires_at"))
	if expires.Sub(created) != time.Duration(*r.ExpirationDuration)*time.Second {
		t.Fatalf("expires_at is not created_at + expiration_duration: %s", claim.raw)
	}
	uuid := claim.str("data.uuid")
	if !l.collectables(contact.UUID)[uuid] {
		t.Fatal("the claim is not listed as collectable")
	}

	collected := l.call("PUT", "/collectable-rewards/collect/"+uuid, nil).ok()
	if collected.str("data.status") != "COLLECTED" || collected.get("data.has_been_collected") != true || collected.str("data.reward.uuid") != r.UUID {
		t.Fatalf("collect: %s", collected.raw)
	}
	if l.collectables(contact.UUID)[uuid] {
		t.Fatal("a collected reward is still listed")
	}
	l.call("PUT", "/collectable-rewards/collect/"+uuid, nil).fails(80300)

	reversed := l.call("POST", "/collectable-rewards/"+uuid+"/reverse", nil).ok()
	if reversed.str("data.status") != "REVERSED" || reversed.get("data.has_been_collected") != false {
		t.Fatalf("reverse collection: %s", reversed.raw)
	}
	if !l.collectables(contact.UUID)[uuid] {
		t.Fatal("a reversed collection is collectable again")
	}
	l.call("POST", "/collectable-rewards/"+uuid+"/reverse", nil).fails(80300)

	l.advance(time.Duration(*r.ExpirationDuration)*time.Second + time.Minute)
	expired := l.call("PUT", "/collectable-rewards/collect/"+uuid, nil).fails(80300)
	if expired.str("message") != "Reward is expired." {
		t.Fatalf("expired collect: %s", expired.raw)
	}
	l.call("PUT", "/collectable-rewards/collect/"+unknownUUID, nil).fails(80300)
	l.call("GET", "/collectable-rewards", nil).invalid("contact_uuid")
}

func TestSeededCollectableReward(t *testing.T) {
	l := start(t)
	seeded := l.seed.CollectableRewards[0]
	owner := l.contactByEmail(seeded.Contact)
	if !l.collectables(owner.UUID)[seeded.UUID] {
		t.Fatal("the seeded collectable reward is not listed")
	}
	l.call("PUT", "/collectable-rewards/collect/"+seeded.UUID, nil).ok()
}

// collectables lists the uuids of a contact's collectable rewards.
func (l *leat) collectables(contactUUID string) map[string]bool {
	l.t.Helper()
	uuids := map[string]bool{}
	for _, item := range l.call("GET", "/collectable-rewards?contact_uuid="+contactUUID, nil).ok().list("data") {
		uuids[item.(map[string]any)["uuid"].(string)] = true
	}
	return uuids
}
