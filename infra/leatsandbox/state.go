package leatsandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// state is the account as the sandbox holds it: the seed plus everything clients did since. Sandbox.mu
// guards it; handlers only ever see it while holding that lock.
type state struct {
	account             SeedAccount
	rewardAttributes    []string
	promotionAttributes []string
	lastID              int

	shops                table[shop]
	tiers                table[tier]
	contacts             table[contact]
	identifiers          table[identifier]
	rewards              table[reward]
	receptions           table[rewardReception]
	creditReceptions     table[creditReception]
	promotions           table[promotion]
	vouchers             table[voucher]
	redemptions          table[voucherRedemption]
	programs             table[giftcardProgram]
	giftcards            table[giftcard]
	giftcardTransactions table[giftcardTransaction]
	prepaidTransactions  table[prepaidTransaction]
	orders               table[order]
	orderReturns         table[orderReturn]
	portalSessions       table[portalSession]
	sentEmails           []SentEmail
}

// nextID hands out Leat's numeric ids; one sequence for every kind keeps them unique and increasing.
func (st *state) nextID() int {
	st.lastID++
	return st.lastID
}

// table keeps records by uuid (or another unique key) in creation order, the order Leat lists them in.
type table[T any] struct {
	byKey map[string]*T
	order []*T
}

func (t *table[T]) add(key string, record *T) {
	if t.byKey == nil {
		t.byKey = map[string]*T{}
	}
	t.byKey[key] = record
	t.order = append(t.order, record)
}

// get returns the record for key, or nil.
func (t *table[T]) get(key string) *T {
	return t.byKey[key]
}

func (t *table[T]) all() []*T {
	return t.order
}

// findLast returns the newest record that matches, or nil.
func (t *table[T]) findLast(match func(*T) bool) *T {
	for i := len(t.order) - 1; i >= 0; i-- {
		if match(t.order[i]) {
			return t.order[i]
		}
	}
	return nil
}

// find returns the first record that matches, or nil.
func (t *table[T]) find(match func(*T) bool) *T {
	for _, record := range t.order {
		if match(record) {
			return record
		}
	}
	return nil
}

// filter returns the matching records in creation order.
func (t *table[T]) filter(match func(*T) bool) []*T {
	var matches []*T
	for _, record := range t.order {
		if match(record) {
			matches = append(matches, record)
		}
	}
	return matches
}

// newState builds the account from the seed. Records refer to each other by readable keys in seed.json;
// a key that points nowhere is a mistake in the file, reported instead of silently dropped.
func newState(seed Seed, now time.Time) (*state, error) {
	st := &state{
		account:             seed.Account,
		rewardAttributes:    seed.RewardAttributes,
		promotionAttributes: seed.PromotionAttributes,
	}
	var problems []string
	missing := func(kind, key, where string) {
		problems = append(problems, fmt.Sprintf("%s %q (in %s) does not exist", kind, key, where))
	}

	for _, s := range seed.Shops {
		st.shops.add(s.UUID, &shop{id: st.nextID(), uuid: s.UUID, name: s.Name, kind: s.Type,
			reference: s.Reference, address: s.Address})
	}
	for _, t := range seed.Tiers {
		st.tiers.add(t.UUID, &tier{uuid: t.UUID, name: t.Name, description: t.Description, position: t.Position})
	}
	for _, c := range seed.Contacts {
		record := &contact{id: st.nextID(), creditBalanceID: st.nextID(), uuid: c.UUID, email: c.Email,
			firstName: c.FirstName, lastName: c.LastName, points: c.Points,
			prepaidCents: c.PrepaidBalanceInCents, createdAt: now}
		if c.Tier != "" {
			if record.tier = st.tiers.find(func(t *tier) bool { return t.name == c.Tier }); record.tier == nil {
				missing("tier", c.Tier, "contacts")
			}
		}
		st.contacts.add(c.UUID, record)
	}
	contactByEmail := func(email, where string) *contact {
		if email == "" {
			return nil
		}
		c := st.contactByEmail(email)
		if c == nil {
			missing("contact", email, where)
		}
		return c
	}
	for _, card := range seed.LoyaltyCards {
		st.identifiers.add(card.Value, &identifier{value: card.Value, name: card.Name, active: card.Active,
			contact: contactByEmail(card.Contact, "loyalty_cards")})
	}
	for _, r := range seed.Rewards {
		st.rewards.add(r.UUID, &reward{id: st.nextID(), uuid: r.UUID, title: r.Title, description: r.Description,
			requiredCredits: r.RequiredCredits, active: r.Active, preRedeemable: r.PreRedeemable,
			expirationDuration: copyOf(r.ExpirationDuration), stock: copyOf(r.Stock), claimLimit: r.ClaimLimit,
			attributes: r.Attributes})
		problems = append(problems, unknownAttributes("reward "+r.Title, r.Attributes, seed.RewardAttributes)...)
	}
	for _, cr := range seed.CollectableRewards {
		r := st.rewards.find(func(r *reward) bool { return r.title == cr.Reward })
		s := st.shops.find(func(s *shop) bool { return s.name == cr.Shop })
		c := contactByEmail(cr.Contact, "collectable_rewards")
		if r == nil {
			missing("reward", cr.Reward, "collectable_rewards")
		}
		if s == nil {
			missing("shop", cr.Shop, "collectable_rewards")
		}
		if r == nil || s == nil || c == nil {
			continue
		}
		st.receptions.add(cr.UUID, &rewardReception{uuid: cr.UUID, contact: c, reward: r, shop: s,
			credits: -r.requiredCredits, createdAt: cr.CreatedAt, collectable: true, expiresAt: copyOf(cr.ExpiresAt)})
	}
	for _, p := range seed.Promotions {
		st.promotions.add(p.UUID, &promotion{id: st.nextID(), uuid: p.UUID, name: p.Name, description: p.Description,
			active: p.Active, voucherLimit: p.VoucherLimit, limitPerContact: p.LimitPerContact,
			expirationDuration: copyOf(p.ExpirationDuration), attributes: p.Attributes})
		problems = append(problems, unknownAttributes("promotion "+p.Name, p.Attributes, seed.PromotionAttributes)...)
	}
	for _, v := range seed.Vouchers {
		p := st.promotions.find(func(p *promotion) bool { return p.name == v.Promotion })
		if p == nil {
			missing("promotion", v.Promotion, "vouchers")
			continue
		}
		record := &voucher{id: st.nextID(), uuid: v.UUID, code: v.Code, promotion: p,
			contact: contactByEmail(v.Contact, "vouchers"), activationDate: copyOf(v.ActivationDate),
			expirationDate: copyOf(v.ExpirationDate), totalRedemptionsAllowed: max(1, v.TotalRedemptionsAllowed),
			timesRedeemed: v.TimesRedeemed, redeemedAt: copyOf(v.RedeemedAt), createdAt: now}
		switch v.Status {
		case "ACTIVE":
		case "DEACTIVATED":
			record.deactivated = true
		case "INACTIVE":
			record.inactive = true
		default:
			problems = append(problems, fmt.Sprintf("voucher %s has status %q; use ACTIVE, DEACTIVATED or INACTIVE", v.Code, v.Status))
		}
		st.vouchers.add(v.UUID, record)
	}
	for _, p := range seed.GiftcardPrograms {
		st.programs.add(p.UUID, &giftcardProgram{id: st.nextID(), uuid: p.UUID, name: p.Name,
			maxAmountCents: p.MaxAmountInCents, expirationDays: copyOf(p.ExpirationDays)})
	}
	for _, g := range seed.Giftcards {
		p := st.programs.find(func(p *giftcardProgram) bool { return p.name == g.Program })
		if p == nil {
			missing("giftcard program", g.Program, "giftcards")
		}
		st.giftcards.add(g.UUID, &giftcard{id: st.nextID(), uuid: g.UUID, hash: g.Hash, kind: g.Type, program: p,
			balanceCents: g.AmountInCents, active: g.Active, expirationDate: copyOf(g.ExpirationDate), createdAt: now})
	}

	if len(problems) > 0 {
		return nil, fmt.Errorf("seed.json: %s", strings.Join(problems, "; "))
	}
	return st, nil
}

// unknownAttributes reports values for custom attributes the account does not define.
func unknownAttributes(owner string, values map[string]string, defined []string) []string {
	var problems []string
	for name := range values {
		if !slices.Contains(defined, name) {
			problems = append(problems, fmt.Sprintf("%s uses attribute %q that is not defined", owner, name))
		}
	}
	return problems
}

// copyOf copies an optional seed value, so the sandbox never changes the seed it will reset to.
func copyOf[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// customAttributes gives every defined attribute of an entity, "" when the record has no value: Leat
// returns all of the account's attributes on each record.
func customAttributes(defined []string, values map[string]string) map[string]string {
	result := make(map[string]string, len(defined)+len(values))
	for _, name := range defined {
		result[name] = values[name]
	}
	for name, value := range values {
		result[name] = value
	}
	return result
}

// displayAmount formats cents as Leat's display strings do ("€50.00").
func (st *state) displayAmount(cents int64) string {
	return currencySymbol(st.account.Currency) + majorUnits(cents)
}
