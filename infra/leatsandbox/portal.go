package leatsandbox

import (
	"strings"
	"time"
)

// portalFlowFields are the fields a flow-specific portal session (POST /portal-sessions/<flow>) requires
// on top of the common body.
var portalFlowFields = map[string][]string{
	"redeem-giftcards": {"amount_in_cents"},
}

type portalSession struct {
	uuid      string
	contact   *contact
	shop      *shop
	createdAt time.Time
}

func (st *state) portalSessionJSON(p *portalSession) object {
	var contactRef any
	if p.contact != nil {
		contactRef = object{"uuid": p.contact.uuid}
	}
	return object{
		"uuid":       p.uuid,
		"url":        strings.TrimSuffix(st.account.ContactsPortalURL, "/") + "/portal-sessions?uuid=" + p.uuid,
		"contact":    contactRef,
		"shop":       shopJSON(p.shop),
		"created_at": timestamp(p.createdAt),
	}
}

// createPortalSession serves POST /portal-sessions and its variants; the flow is the path after
// /portal-sessions. The shop may be named shop_uuid (docs, SDK) or business_profile_uuid (Postman).
func (st *state) createPortalSession(c *call) (reply, error) {
	in := c.in
	shopUUID := in.string("shop_uuid")
	if shopUUID == "" {
		shopUUID = in.string("business_profile_uuid")
	}
	if shopUUID == "" {
		in.fail("shop_uuid", "The shop uuid field is required.")
	}
	contactUUID := in.string("contact_uuid")
	in.oneOf("scanner_type", "camera", "hand_scanner")
	in.oneOf("camera_service", "1", "2", "3")
	in.oneOf("facing_mode", "user", "environment")
	in.oneOf("primary_identification_method", "email", "identifier")
	for _, key := range []string{"enable_email_identification", "enable_registration", "enable_on_screen_keyboard", "allow_multiple_giftcards"} {
		in.boolean(key, false)
	}
	flow := strings.TrimPrefix(strings.TrimPrefix(c.request.URL.Path, apiRoot+"/portal-sessions"), "/")
	for _, key := range portalFlowFields[flow] {
		if in.requireField(key) {
			in.integer(key)
		}
	}
	if err := in.err(); err != nil {
		return reply{}, err
	}
	s, err := st.shopByUUID(shopUUID)
	if err != nil {
		return reply{}, err
	}
	session := &portalSession{uuid: newUUID(), shop: s, createdAt: c.now}
	if contactUUID != "" {
		if session.contact, err = st.contactByUUID(contactUUID); err != nil {
			return reply{}, err
		}
	}
	st.portalSessions.add(session.uuid, session)
	answer := st.portalSessionJSON(session)
	answer["events"] = []any{}
	return created(answer), nil
}

// GET /portal-sessions/{uuid}
func (st *state) getPortalSession(c *call) (reply, error) {
	session := st.portalSessions.get(c.pathUUID())
	if session == nil {
		return reply{}, errModelNotFound
	}
	return one(st.portalSessionJSON(session)), nil
}
