package leatsandbox

import (
	"maps"
	"time"
)

// Voucher statuses as Leat reports them.
const (
	voucherActive      = "ACTIVE"
	voucherLocked      = "LOCKED"
	voucherRedeemed    = "REDEEMED"
	voucherExpired     = "EXPIRED"
	voucherDeactivated = "DEACTIVATED"
	voucherInactive    = "INACTIVE"
)

// lockDuration is how long a voucher lock holds before Leat releases it by itself.
const lockDuration = time.Hour

type promotion struct {
	id                 int
	uuid               string
	name               string
	description        string
	active             bool
	voucherLimit       int    // 0 means unlimited
	limitPerContact    int    // 0 means unlimited
	expirationDuration *int64 // seconds a new voucher stays valid
	attributes         map[string]string
}

type voucher struct {
	id                      int
	uuid                    string
	code                    string
	promotion               *promotion
	contact                 *contact // nil: anybody may redeem it, naming themselves
	activationDate          *time.Time
	expirationDate          *time.Time
	totalRedemptionsAllowed int
	timesRedeemed           int
	redeemedAt              *time.Time
	deactivated             bool
	inactive                bool
	attributes              map[string]string // the voucher's own custom attributes
	lock                    *voucherLock      // the latest lock, kept after release for its release key
	createdAt               time.Time
}

type voucherLock struct {
	releaseKey string
	lockedAt   time.Time
	unlockedAt *time.Time // set by release or redeem
}

type voucherRedemption struct {
	uuid      string
	voucher   *voucher
	contact   *contact
	shop      *shop // nil when redeemed without shop_uuid
	createdAt time.Time
	reversed  bool
}

func (l *voucherLock) systemReleaseAt() time.Time {
	return l.lockedAt.Add(lockDuration)
}

// held tells whether the lock still holds at now; Leat releases it by itself one hour after locking, which
// the sandbox works out when asked instead of running a timer.
func (l *voucherLock) held(now time.Time) bool {
	return l != nil && l.unlockedAt == nil && now.Before(l.systemReleaseAt())
}

func (l *voucherLock) json(now time.Time) object {
	unlockedAt, systemReleaseAt := optionalTimestamp(l.unlockedAt), any(timestamp(l.systemReleaseAt()))
	if !l.held(now) {
		systemReleaseAt = nil
		if l.unlockedAt == nil {
			unlockedAt = timestamp(l.systemReleaseAt())
		}
	}
	return object{"release_key": l.releaseKey, "locked_at": timestamp(l.lockedAt), "unlocked_at": unlockedAt,
		"system_release_at": systemReleaseAt}
}

// status is derived at each read, so expiry and automatic lock release follow the sandbox clock.
func (v *voucher) status(now time.Time) string {
	switch {
	case v.deactivated:
		return voucherDeactivated
	case v.timesRedeemed >= v.totalRedemptionsAllowed:
		return voucherRedeemed
	case v.expirationDate != nil && !now.Before(*v.expirationDate):
		return voucherExpired
	case v.inactive || (v.activationDate != nil && now.Before(*v.activationDate)):
		return voucherInactive
	case v.lock.held(now):
		return voucherLocked
	}
	return voucherActive
}

// refusal is the redeem-family error that stops any use of the voucher; a lock is handled by each caller.
func (v *voucher) refusal(now time.Time) error {
	switch v.status(now) {
	case voucherDeactivated:
		return errVoucherDeactivated
	case voucherRedeemed:
		return errVoucherRedeemed
	case voucherExpired:
		return errVoucherExpired
	case voucherInactive:
		return errVoucherInactive
	}
	if !v.promotion.active {
		return errPromotionInactive
	}
	return nil
}

// promotionFields are the keys every promotion shape shares.
func promotionFields(p *promotion) object {
	return object{
		"uuid":                p.uuid,
		"name":                p.name,
		"description":         p.description,
		"voucher_limit":       p.voucherLimit,
		"limit_per_contact":   p.limitPerContact,
		"expiration_duration": optional(p.expirationDuration),
	}
}

// promotionJSON is a promotion on its own: custom attributes in a nested "attributes" object.
func (st *state) promotionJSON(p *promotion) object {
	o := promotionFields(p)
	o["id"] = p.id
	o["is_active"] = p.active
	o["attributes"] = customAttributes(st.promotionAttributes, p.attributes)
	return o
}

// voucherJSON carries the promotion's custom attributes twice, as Leat does: in the voucher's "attributes"
// (together with the voucher's own values, which win) and flattened into the embedded promotion.
func (st *state) voucherJSON(v *voucher, now time.Time) object {
	embedded := promotionFields(v.promotion)
	for name, value := range customAttributes(st.promotionAttributes, v.promotion.attributes) {
		embedded[name] = value
	}
	attributes := maps.Clone(v.promotion.attributes)
	if attributes == nil {
		attributes = map[string]string{}
	}
	maps.Copy(attributes, v.attributes)
	status := v.status(now)
	return object{
		"id":                        v.id,
		"uuid":                      v.uuid,
		"code":                      v.code,
		"status":                    status,
		"name":                      v.promotion.name,
		"description":               v.promotion.description,
		"activation_date":           optionalTimestamp(v.activationDate),
		"expiration_date":           optionalTimestamp(v.expirationDate),
		"redeemed_at":               optionalTimestamp(v.redeemedAt),
		"is_redeemed":               status == voucherRedeemed,
		"redemptions_remaining":     max(0, v.totalRedemptionsAllowed-v.timesRedeemed),
		"times_redeemed":            v.timesRedeemed,
		"total_redemptions_allowed": v.totalRedemptionsAllowed,
		"attributes":                customAttributes(st.promotionAttributes, attributes),
		"contact":                   contactSummary(v.contact),
		"promotion":                 embedded,
	}
}

func (st *state) voucherByUUID(uuid string) (*voucher, error) {
	if v := st.vouchers.get(uuid); v != nil {
		return v, nil
	}
	return nil, errVoucherNotFound
}

func (st *state) promotionByUUID(uuid string) (*promotion, error) {
	if p := st.promotions.get(uuid); p != nil {
		return p, nil
	}
	return nil, errPromotionNotFound
}

// voucherUser checks who uses a voucher: an unlinked voucher needs a contact, a linked one accepts only
// its own contact. The contact_uuid must already have passed validation.
func (st *state) voucherUser(v *voucher, contactUUID string) (*contact, error) {
	if contactUUID == "" {
		return v.contact, nil
	}
	user, err := st.contactByUUID(contactUUID)
	if err != nil {
		return nil, err
	}
	if v.contact != nil && v.contact != user {
		return nil, invalidField("contact_uuid", "The voucher does not belong to this contact.")
	}
	return user, nil
}

// GET /vouchers
func (st *state) listVouchers(c *call) (reply, error) {
	contactUUID := c.in.string("contact_uuid")
	promotionUUID := c.in.string("promotion_uuid")
	status := c.in.oneOf("status", voucherActive, voucherRedeemed, voucherExpired, voucherDeactivated,
		voucherInactive, voucherLocked)
	request := c.in.pageRequest("limit", 30, 500)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	var owner *contact
	if contactUUID != "" {
		var err error
		if owner, err = st.contactByUUID(contactUUID); err != nil {
			return reply{}, err
		}
	}
	var p *promotion
	if promotionUUID != "" {
		var err error
		if p, err = st.promotionByUUID(promotionUUID); err != nil {
			return reply{}, err
		}
	}
	matches := st.vouchers.filter(func(v *voucher) bool {
		return (owner == nil || v.contact == owner) && (p == nil || v.promotion == p) &&
			(status == "" || v.status(c.now) == status)
	})
	items := make([]object, 0, len(matches))
	for _, v := range matches {
		items = append(items, st.voucherJSON(v, c.now))
	}
	return laravelPage(c.request, paginate(items, request)), nil
}

// GET /vouchers/find
func (st *state) findVoucher(c *call) (reply, error) {
	code := c.in.requiredString("code")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	v := st.vouchers.find(func(v *voucher) bool { return v.code == code })
	if v == nil {
		return reply{}, errVoucherNotFound
	}
	return one(st.voucherJSON(v, c.now)), nil
}

// POST /vouchers/{uuid}/validate: Leat documents neither answer nor errors; the sandbox answers the voucher
// when it could be redeemed now, and otherwise the error redeeming would give (80017 while locked).
func (st *state) validateVoucher(c *call) (reply, error) {
	v, err := st.voucherByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	shopUUID := c.in.requiredString("shop_uuid")
	contactUUID := c.in.string("contact_uuid")
	if v.contact == nil {
		c.in.requireField("contact_uuid")
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if _, err := st.shopByUUID(shopUUID); err != nil {
		return reply{}, err
	}
	if _, err := st.voucherUser(v, contactUUID); err != nil {
		return reply{}, err
	}
	if err := v.refusal(c.now); err != nil {
		return reply{}, err
	}
	if v.lock.held(c.now) {
		return reply{}, errVoucherLocked
	}
	return one(st.voucherJSON(v, c.now)), nil
}

// POST /vouchers/{uuid}/lock
func (st *state) lockVoucher(c *call) (reply, error) {
	v, err := st.voucherByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	if err := v.refusal(c.now); err != nil {
		return reply{}, err
	}
	if v.lock.held(c.now) {
		return reply{}, errVoucherLocked
	}
	v.lock = &voucherLock{releaseKey: newUUID(), lockedAt: c.now}
	return one(st.lockAnswer(v, c.now)), nil
}

// POST /vouchers/{uuid}/release. Releasing a lock that already ended (released before, or by the clock)
// with that lock's key succeeds again, the caller's intent being met, unless stale_release_key=refused.
func (st *state) releaseVoucher(c *call) (reply, error) {
	releaseKey := c.in.requiredString("release_key")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	v, err := st.voucherByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	if err := v.refusal(c.now); err != nil {
		return reply{}, err
	}
	if v.lock == nil || v.lock.releaseKey != releaseKey {
		return reply{}, invalidField("release_key", "The release key is invalid.")
	}
	switch {
	case v.lock.held(c.now):
		v.lock.unlockedAt = &c.now
	case c.variant(VariantStaleReleaseKey) == StaleReleaseKeyRefused:
		return reply{}, invalidField("release_key", "The lock of this release key has already ended.")
	}
	return one(st.lockAnswer(v, c.now)), nil
}

func (st *state) lockAnswer(v *voucher, now time.Time) object {
	return object{
		"voucher": object{"uuid": v.uuid, "status": v.status(now)},
		"lock":    v.lock.json(now),
	}
}

// POST /vouchers/redeem. Without shop_uuid the redemption belongs to no shop, unless
// redeem_without_shop=refuse makes the field required.
func (st *state) redeemVoucher(c *call) (reply, error) {
	code := c.in.requiredString("code")
	shopUUID := c.in.string("shop_uuid")
	if c.variant(VariantRedeemWithoutShop) == RedeemWithoutShopRefuse {
		c.in.requireField("shop_uuid")
	}
	contactUUID := c.in.string("contact_uuid")
	releaseKey := c.in.string("release_key")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	v := st.vouchers.find(func(v *voucher) bool { return v.code == code })
	if v == nil {
		return reply{}, errVoucherNotFound
	}
	if v.contact == nil && !c.in.requireField("contact_uuid") {
		return reply{}, c.in.err()
	}
	var s *shop
	if shopUUID != "" {
		var err error
		if s, err = st.shopByUUID(shopUUID); err != nil {
			return reply{}, err
		}
	}
	user, err := st.voucherUser(v, contactUUID)
	if err != nil {
		return reply{}, err
	}
	if err := v.refusal(c.now); err != nil {
		return reply{}, err
	}
	if v.lock.held(c.now) {
		if releaseKey == "" {
			return reply{}, invalidField("release_key", "The release key field is required when the voucher is locked.")
		}
		if releaseKey != v.lock.releaseKey {
			return reply{}, invalidField("release_key", "The release key is invalid.")
		}
		v.lock.unlockedAt = &c.now
	} else if releaseKey != "" && c.variant(VariantStaleReleaseKey) == StaleReleaseKeyRefused {
		return reply{}, invalidField("release_key", "The release key does not belong to a lock that holds the voucher.")
	}

	v.timesRedeemed++
	v.redeemedAt = &c.now
	redemption := &voucherRedemption{uuid: newUUID(), voucher: v, contact: user, shop: s, createdAt: c.now}
	st.redemptions.add(redemption.uuid, redemption)
	answer := st.voucherJSON(v, c.now)
	answer["voucher_redemption"] = object{"uuid": redemption.uuid, "created_at": timestamp(redemption.createdAt)}
	return one(answer), nil
}

// POST /vouchers/{uuid}/reverse, where uuid is the voucher redemption (current docs): the voucher can be
// used again. Leat documents no answer; the sandbox returns the voucher. Under second_reverse=apply a
// repeated reverse gives the use back again, even beyond the uses allowed.
func (st *state) reverseVoucherRedemption(c *call) (reply, error) {
	redemption := st.redemptions.get(c.pathUUID())
	if redemption == nil {
		return reply{}, errVoucherNotFound
	}
	if redemption.reversed {
		if err := c.repeatedReverse("voucher_redemption_uuid", "voucher redemption"); err != nil {
			return reply{}, err
		}
	}
	redemption.reversed = true
	v := redemption.voucher
	v.timesRedeemed--
	v.redeemedAt = nil
	for _, earlier := range st.redemptions.filter(func(r *voucherRedemption) bool { return r.voucher == v && !r.reversed }) {
		v.redeemedAt = &earlier.createdAt
	}
	return one(st.voucherJSON(v, c.now)), nil
}

// POST /vouchers
func (st *state) createVoucher(c *call) (reply, error) {
	promotionUUID := c.in.requiredString("promotion_uuid")
	code := c.in.string("code")
	contactUUID := c.in.string("contact_uuid")
	activationDate := c.in.date("activation_date")
	expirationDate := c.in.date("expiration_date")
	allowed := c.in.positiveInteger("total_redemptions_allowed", 1)
	attributes := c.in.attributes("custom_attributes")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	p, err := st.promotionByUUID(promotionUUID)
	if err != nil {
		return reply{}, err
	}
	if code != "" && st.vouchers.find(func(v *voucher) bool { return v.code == code }) != nil {
		return reply{}, errVoucherExists
	}
	var owner *contact
	if contactUUID != "" {
		if owner, err = st.contactByUUID(contactUUID); err != nil {
			return reply{}, err
		}
	}
	if err := st.checkVoucherLimits(p, owner, 1); err != nil {
		return reply{}, err
	}
	v := st.addVoucher(&voucher{code: code, promotion: p, contact: owner, activationDate: activationDate,
		expirationDate: expirationDate, totalRedemptionsAllowed: int(allowed), attributes: attributes}, c.now)
	return one(st.voucherJSON(v, c.now)), nil
}

// POST /vouchers/batch: Leat creates the vouchers in the background and answers 201 with the pending job;
// the sandbox creates them at once, so they are there whenever the client looks.
func (st *state) createVoucherBatch(c *call) (reply, error) {
	promotionUUID := c.in.requiredString("promotion_uuid")
	quantity := c.in.requiredPositiveInteger("quantity")
	if quantity > 500 {
		c.in.fail("quantity", "The quantity may not be greater than 500.")
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	p, err := st.promotionByUUID(promotionUUID)
	if err != nil {
		return reply{}, err
	}
	if err := st.checkVoucherLimits(p, nil, int(quantity)); err != nil {
		return reply{}, err
	}
	for range quantity {
		st.addVoucher(&voucher{promotion: p}, c.now)
	}
	return created(object{
		"uuid":     newUUID(),
		"type":     "vouchers",
		"quantity": quantity,
		"status":   "PENDING",
		// The one Leat timestamp that is not ISO-8601, as recorded.
		"created_at": c.now.Format("2006-01-02, 15:04"),
	}), nil
}

// checkVoucherLimits refuses (80008) n more vouchers of p, for owner when there is one, beyond the
// promotion's limits.
func (st *state) checkVoucherLimits(p *promotion, owner *contact, n int) error {
	ofPromotion := st.vouchers.filter(func(v *voucher) bool { return v.promotion == p })
	if p.voucherLimit > 0 && len(ofPromotion)+n > p.voucherLimit {
		return errVoucherLimitReached
	}
	if owner == nil || p.limitPerContact == 0 {
		return nil
	}
	held := 0
	for _, v := range ofPromotion {
		if v.contact == owner {
			held++
		}
	}
	if held+n > p.limitPerContact {
		return errVoucherLimitReached
	}
	return nil
}

// addVoucher completes and stores a new voucher: a readable random code unless one was chosen, single use
// unless said otherwise, and the promotion's validity period unless an expiration date was given.
func (st *state) addVoucher(v *voucher, now time.Time) *voucher {
	v.id, v.uuid, v.createdAt = st.nextID(), newUUID(), now
	if v.code == "" {
		v.code = newCode(8)
	}
	v.totalRedemptionsAllowed = max(1, v.totalRedemptionsAllowed)
	if v.expirationDate == nil && v.promotion.expirationDuration != nil {
		expires := now.Add(time.Duration(*v.promotion.expirationDuration) * time.Second)
		v.expirationDate = &expires
	}
	st.vouchers.add(v.uuid, v)
	return v
}

// GET /promotions
func (st *state) listPromotions(*call) (reply, error) {
	items := make([]object, 0, len(st.promotions.all()))
	for _, p := range st.promotions.all() {
		items = append(items, st.promotionJSON(p))
	}
	return many(items), nil
}

// POST /promotions: the client may choose the uuid, as the SDK does.
func (st *state) createPromotion(c *call) (reply, error) {
	uuid := c.in.string("uuid")
	name := c.in.requiredString("name")
	description := c.in.string("description")
	voucherLimit, _ := c.in.integer("voucher_limit")
	limitPerContact, _ := c.in.integer("limit_per_contact")
	var expirationDuration *int64
	if seconds, ok := c.in.integer("expiration_duration"); ok {
		expirationDuration = &seconds
	}
	attributes := c.in.attributes("custom_attributes")
	if uuid != "" && st.promotions.get(uuid) != nil {
		c.in.fail("uuid", "The uuid has already been taken.")
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if uuid == "" {
		uuid = newUUID()
	}
	p := &promotion{id: st.nextID(), uuid: uuid, name: name, description: description, active: true,
		voucherLimit: int(voucherLimit), limitPerContact: int(limitPerContact),
		expirationDuration: expirationDuration, attributes: attributes}
	st.promotions.add(uuid, p)
	return one(st.promotionJSON(p)), nil
}
