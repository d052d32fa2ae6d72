package leatsandbox

import "time"

// Every reward in the sandbox is PHYSICAL, the kind a POS hands over the counter; Leat's digital rewards
// (codes sent by email) have no part in a POS flow.
const rewardType = "PHYSICAL"

type reward struct {
	id                 int
	uuid               string
	title              string
	description        string
	requiredCredits    int64
	active             bool
	preRedeemable      bool
	expirationDuration *int64 // seconds a collectable reward stays valid
	stock              *int64 // nil means unlimited
	claimLimit         int    // claims per contact, 0 means unlimited
	attributes         map[string]string
}

// rewardReception is a claim of a reward: points spent at once and, for pre-redeemable rewards, a
// collectable reward that the customer picks up later.
type rewardReception struct {
	uuid        string
	contact     *contact
	reward      *reward
	shop        *shop
	identifier  *identifier
	credits     int64 // negative: the points spent
	createdAt   time.Time
	collectable bool
	expiresAt   *time.Time
	collected   bool
	// collectionReversed tells a collection that was reversed from one that never happened.
	collectionReversed bool
	reversed           bool
}

func (st *state) rewardByUUID(uuid string) (*reward, error) {
	if r := st.rewards.get(uuid); r != nil {
		return r, nil
	}
	return nil, errRewardNotFound
}

// rewardJSON is the reward shape everywhere; custom attributes are extra top-level keys.
func (st *state) rewardJSON(r *reward) object {
	o := object{
		"id":                  r.id,
		"uuid":                r.uuid,
		"title":               r.title,
		"description":         nullIfEmpty(r.description),
		"type":                rewardType,
		"reward_type":         rewardType,
		"is_active":           r.active,
		"required_credits":    r.requiredCredits,
		"media":               nil,
		"pre_redeemable":      r.preRedeemable,
		"expiration_duration": optional(r.expirationDuration),
		"cost_price":          nil,
		"stock":               optional(r.stock),
	}
	for name, value := range customAttributes(st.rewardAttributes, r.attributes) {
		o[name] = value
	}
	return o
}

// claimRefusal is why c may not claim r now, or nil. Lists leave out rewards refused for any reason but
// points: the POS shows what a contact cannot afford yet, disabled, but not what it can never get.
func (st *state) claimRefusal(c *contact, r *reward) error {
	switch {
	case !r.active:
		return errRewardInactive
	case r.stock != nil && *r.stock <= 0:
		return errRewardOutOfStock
	case r.claimLimit > 0 && st.claims(c, r) >= r.claimLimit:
		return errRewardClaimLimit
	case c.points < r.requiredCredits:
		return errInsufficientCredits
	}
	return nil
}

func (st *state) claims(c *contact, r *reward) int {
	return len(st.receptions.filter(func(rr *rewardReception) bool {
		return rr.contact == c && rr.reward == r && !rr.reversed
	}))
}

// GET /rewards: with contact_uuid, only the rewards that contact can claim (affordable or not).
func (st *state) listRewards(c *call) (reply, error) {
	shopUUID := c.in.string("shop_uuid")
	contactUUID := c.in.string("contact_uuid")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if shopUUID != "" {
		if _, err := st.shopByUUID(shopUUID); err != nil {
			return reply{}, err
		}
	}
	var forContact *contact
	if contactUUID != "" {
		var err error
		if forContact, err = st.contactByUUID(contactUUID); err != nil {
			return reply{}, err
		}
	}
	rewards := []object{}
	for _, r := range st.rewards.all() {
		if forContact != nil {
			if refusal := st.claimRefusal(forContact, r); refusal != nil && refusal != errInsufficientCredits {
				continue
			}
		}
		rewards = append(rewards, st.rewardJSON(r))
	}
	return many(rewards), nil
}

// GET /rewards/{uuid}
func (st *state) getReward(c *call) (reply, error) {
	r, err := st.rewardByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(st.rewardJSON(r)), nil
}

// POST /reward-receptions
func (st *state) createRewardReception(c *call) (reply, error) {
	contactUUID := c.in.requiredString("contact_uuid")
	rewardUUID := c.in.requiredString("reward_uuid")
	shopUUID := c.in.requiredString("shop_uuid")
	identifierValue := c.in.string("contact_identifier_value")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	claimant, err := st.contactByUUID(contactUUID)
	if err != nil {
		return reply{}, err
	}
	s, err := st.shopByUUID(shopUUID)
	if err != nil {
		return reply{}, err
	}
	r, err := st.rewardByUUID(rewardUUID)
	if err != nil {
		return reply{}, err
	}
	var id *identifier
	if identifierValue != "" {
		if id, err = st.usableIdentifier(identifierValue); err != nil {
			return reply{}, err
		}
	}
	if err := st.claimRefusal(claimant, r); err != nil {
		return reply{}, err
	}

	claimant.points -= r.requiredCredits
	if r.stock != nil {
		*r.stock--
	}
	rr := &rewardReception{uuid: newUUID(), contact: claimant, reward: r, shop: s, identifier: id,
		credits: -r.requiredCredits, createdAt: c.now, collectable: r.preRedeemable, collected: !r.preRedeemable}
	if r.preRedeemable && r.expirationDuration != nil {
		expires := c.now.Add(time.Duration(*r.expirationDuration) * time.Second)
		rr.expiresAt = &expires
	}
	st.receptions.add(rr.uuid, rr)
	return one(st.receptionJSON(rr)), nil
}

func (st *state) receptionJSON(rr *rewardReception) object {
	return object{
		"title":              rr.reward.title,
		"type":               "reward_reception",
		"uuid":               rr.uuid,
		"credits":            rr.credits,
		"contact":            contactWithBalance(rr.contact),
		"shop":               shopJSON(rr.shop),
		"contact_identifier": optionalIdentifier(rr.identifier),
		"channel":            apiChannel,
		"created_at":         timestamp(rr.createdAt),
		"reward":             st.rewardJSON(rr.reward),
		"expires_at":         optionalTimestamp(rr.expiresAt),
		"has_been_collected": rr.collected,
	}
}

// POST /reward-receptions/{uuid}/reverse: the points come back as a new credit reception, which is what
// the docs and the SDK say the call returns. It is made for the same contact, shop, card and channel as the
// reception it reverses.
func (st *state) reverseRewardReception(c *call) (reply, error) {
	rr := st.receptions.get(c.pathUUID())
	if rr == nil {
		return reply{}, errModelNotFound
	}
	if rr.reversed {
		if err := c.repeatedReverse("reward_reception_uuid", "reward reception"); err != nil {
			return reply{}, err
		}
	}
	rr.reversed = true
	if rr.reward.stock != nil {
		*rr.reward.stock++
	}
	refund := st.addCreditReception(&creditReception{contact: rr.contact, shop: rr.shop, identifier: rr.identifier,
		credits: -rr.credits, createdAt: c.now, compensation: true})
	return one(st.creditReceptionJSON(refund)), nil
}

func (st *state) collectableJSON(rr *rewardReception) object {
	return object{
		"uuid":               rr.uuid,
		"title":              rr.reward.title,
		"created_at":         timestamp(rr.createdAt),
		"expires_at":         optionalTimestamp(rr.expiresAt),
		"has_been_collected": rr.collected,
		"contact":            contactWithBalance(rr.contact),
		"reward":             st.rewardJSON(rr.reward),
	}
}

// collectable finds a claim that is, or was, waiting to be collected.
func (st *state) collectable(uuid string) (*rewardReception, error) {
	rr := st.receptions.get(uuid)
	if rr == nil || !rr.collectable || rr.reversed {
		return nil, errCollectableNotFound
	}
	return rr, nil
}

// GET /collectable-rewards: what the contact still has to collect; expired ones can no longer be
// collected, so they are left out.
func (st *state) listCollectableRewards(c *call) (reply, error) {
	contactUUID := c.in.requiredString("contact_uuid")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	owner, err := st.contactByUUID(contactUUID)
	if err != nil {
		return reply{}, err
	}
	waiting := st.receptions.filter(func(rr *rewardReception) bool {
		return rr.contact == owner && rr.collectable && !rr.reversed && !rr.collected &&
			(rr.expiresAt == nil || c.now.Before(*rr.expiresAt))
	})
	items := make([]object, 0, len(waiting))
	for _, rr := range waiting {
		items = append(items, st.collectableJSON(rr))
	}
	return many(items), nil
}

// PUT /collectable-rewards/collect/{uuid}: the full collectable object, as Postman and the SDK have it,
// plus the status the docs show.
func (st *state) collectReward(c *call) (reply, error) {
	rr, err := st.collectable(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	switch {
	case rr.collected:
		return reply{}, errCollectableCollected
	case rr.expiresAt != nil && !c.now.Before(*rr.expiresAt):
		return reply{}, errCollectableExpired
	}
	rr.collected, rr.collectionReversed = true, false
	answer := st.collectableJSON(rr)
	answer["status"] = "COLLECTED"
	return one(answer), nil
}

// POST /collectable-rewards/{uuid}/reverse: the reward is collectable again. Reversing the same collection
// again is refused with 80300, like reversing one that never happened; under second_reverse=apply it
// succeeds, which changes nothing more: the reward already waits to be collected.
func (st *state) reverseRewardCollection(c *call) (reply, error) {
	rr, err := st.collectable(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	repeatApplied := rr.collectionReversed && c.variant(VariantSecondReverse) == SecondReverseApply
	if !rr.collected && !repeatApplied {
		return reply{}, errCollectableNotCollected
	}
	rr.collected, rr.collectionReversed = false, true
	answer := st.collectableJSON(rr)
	answer["status"] = "REVERSED"
	return one(answer), nil
}
