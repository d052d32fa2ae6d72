package leatsandbox

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

type contact struct {
	id              int
	creditBalanceID int
	uuid            string
	email           string
	firstName       string
	lastName        string
	tier            *tier
	points          int64
	prepaidCents    int64
	createdAt       time.Time
}

type tier struct {
	uuid        string
	name        string
	description string
	position    int
}

// identifier is a contact identifier: a loyalty card number or QR payload.
type identifier struct {
	value   string
	name    string
	active  bool
	contact *contact // nil for a card nobody owns yet
}

func (st *state) contactByUUID(uuid string) (*contact, error) {
	if c := st.contacts.get(uuid); c != nil {
		return c, nil
	}
	return nil, errContactNotFound
}

// contactByEmail matches emails case-insensitively, like the MySQL collation behind Leat.
func (st *state) contactByEmail(email string) *contact {
	return st.contacts.find(func(c *contact) bool { return strings.EqualFold(c.email, email) })
}

// usableIdentifier finds an identifier that may be used to act for its contact (60003, 60004).
func (st *state) usableIdentifier(value string) (*identifier, error) {
	id := st.identifiers.get(value)
	if id == nil {
		return nil, errIdentifierNotFound
	}
	if !id.active {
		return nil, errIdentifierInactive
	}
	return id, nil
}

// contactSummary is the {uuid, email} reference embedded in identifiers, vouchers, orders and transactions.
func contactSummary(c *contact) any {
	if c == nil {
		return nil
	}
	return object{"uuid": c.uuid, "email": c.email}
}

// contactWithBalance is the reference embedded in receptions and collectable rewards.
func contactWithBalance(c *contact) object {
	return object{"uuid": c.uuid, "email": c.email,
		"credit_balance": object{"id": c.creditBalanceID, "balance": c.points}}
}

func tierJSON(t *tier) object {
	if t == nil {
		// Leat answers a contact without a tier with empty values; clients test for an empty name.
		return object{"uuid": nil, "name": nil, "description": nil, "position": nil, "media": nil}
	}
	return object{"uuid": t.uuid, "name": t.name, "description": t.description, "position": t.position, "media": nil}
}

func identifierJSON(id *identifier) object {
	return object{"name": id.name, "value": id.value, "active": id.active, "contact": contactSummary(id.contact)}
}

// optionalIdentifier is the identifier embedded in transactions, without its contact.
func optionalIdentifier(id *identifier) any {
	if id == nil {
		return nil
	}
	return object{"name": id.name, "value": id.value, "active": id.active}
}

func (st *state) contactJSON(c *contact) object {
	var tierValue any
	if c.tier != nil {
		tierValue = tierJSON(c.tier)
	}
	var defaultIdentifier any
	if id := st.identifiers.find(func(id *identifier) bool { return id.contact == c && id.active }); id != nil {
		defaultIdentifier = id.value
	}
	return object{
		"id":    c.id,
		"uuid":  c.uuid,
		"email": c.email,
		// Deprecated by Leat in favour of current_values; still present, empty here.
		"attributes":      []any{},
		"tier":            tierValue,
		"subscriptions":   []any{},
		"credit_balance":  object{"id": c.creditBalanceID, "balance": c.points},
		"prepaid_balance": object{"balance_in_cents": c.prepaidCents},
		"current_values": object{
			"email":                      c.email,
			"firstname":                  c.firstName,
			"lastname":                   c.lastName,
			"loyalty_balance":            c.points,
			"prepaid_balance":            float64(c.prepaidCents) / 100, // major units on the wire only
			"status":                     "ACTIVE",
			"is_anonymous":               false,
			"default_contact_identifier": defaultIdentifier,
			"created_at":                 timestamp(c.createdAt),
		},
		"current_display_values": object{
			"email":           c.email,
			"firstname":       c.firstName,
			"lastname":        c.lastName,
			"loyalty_balance": strconv.FormatInt(c.points, 10),
			"prepaid_balance": st.displayAmount(c.prepaidCents),
			"status":          "Active",
			"is_anonymous":    "No",
			"created_at":      c.createdAt.Format("02-01-2006 15:04"),
		},
	}
}

// email reads a required, well-formed email address.
func (f fields) email(key string) string {
	value := f.requiredString(key)
	if value == "" {
		return ""
	}
	if address, err := mail.ParseAddress(value); err != nil || address.Address != value {
		f.fail(key, "The "+f.label(key)+" must be a valid email address.")
		return ""
	}
	return value
}

func (st *state) addContact(email string, now time.Time) *contact {
	c := &contact{id: st.nextID(), creditBalanceID: st.nextID(), uuid: newUUID(), email: email, createdAt: now}
	st.contacts.add(c.uuid, c)
	return c
}

// findOrCreate returns the contact with this (valid) email, creating it when there is none.
func (st *state) findOrCreate(email string, now time.Time) *contact {
	if found := st.contactByEmail(email); found != nil {
		return found
	}
	return st.addContact(email, now)
}

// GET /contact-identifiers/find
func (st *state) findContactIdentifier(c *call) (reply, error) {
	value := c.in.requiredString("contact_identifier_value")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	id, err := st.usableIdentifier(value)
	if err != nil {
		return reply{}, err
	}
	return one(identifierJSON(id)), nil
}

// POST /contact-identifiers
func (st *state) createContactIdentifier(c *call) (reply, error) {
	value := c.in.requiredString("contact_identifier_value")
	name := c.in.string("contact_identifier_name")
	contactUUID := c.in.string("contact_uuid")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if st.identifiers.get(value) != nil {
		return reply{}, errIdentifierExists
	}
	id := &identifier{value: value, name: name, active: true}
	if id.name == "" {
		id.name = "Loyalty Card"
	}
	if contactUUID != "" {
		owner, err := st.contactByUUID(contactUUID)
		if err != nil {
			return reply{}, err
		}
		id.contact = owner
	}
	st.identifiers.add(value, id)
	return one(identifierJSON(id)), nil
}

// PUT /contact-identifiers/link
func (st *state) linkContactIdentifier(c *call) (reply, error) {
	value := c.in.requiredString("contact_identifier_value")
	contactUUID := c.in.requiredString("contact_uuid")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	id, err := st.usableIdentifier(value)
	if err != nil {
		return reply{}, err
	}
	owner, err := st.contactByUUID(contactUUID)
	if err != nil {
		return reply{}, err
	}
	if id.contact != nil {
		return reply{}, errIdentifierAlreadyLinked
	}
	id.contact = owner
	return one(identifierJSON(id)), nil
}

// GET /contacts/find-or-create
func (st *state) findOrCreateContact(c *call) (reply, error) {
	email := c.in.email("email")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	return one(st.contactJSON(st.findOrCreate(email, c.now))), nil
}

// GET /contacts/find-one-by
func (st *state) findContactByEmail(c *call) (reply, error) {
	email := c.in.email("email")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	found := st.contactByEmail(email)
	if found == nil {
		return reply{}, errContactNotFound
	}
	return one(st.contactJSON(found)), nil
}

// POST /contacts
func (st *state) createContact(c *call) (reply, error) {
	email := c.in.email("email")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if st.contactByEmail(email) != nil {
		return reply{}, errContactExists
	}
	return one(object{"uuid": st.addContact(email, c.now).uuid}), nil
}

// GET /contacts/{uuid}
func (st *state) getContact(c *call) (reply, error) {
	found, err := st.contactByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(st.contactJSON(found)), nil
}

// GET /contacts/{uuid}/credit-balance
func (st *state) contactCreditBalance(c *call) (reply, error) {
	found, err := st.contactByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(object{"balance": found.points}), nil
}

// GET /contacts/{uuid}/prepaid-balance
func (st *state) contactPrepaidBalance(c *call) (reply, error) {
	found, err := st.contactByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(st.prepaidBalanceJSON(found.prepaidCents)), nil
}

// GET /contacts/{uuid}/tier
func (st *state) contactTier(c *call) (reply, error) {
	found, err := st.contactByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(tierJSON(found.tier)), nil
}

// GET /tiers
func (st *state) listTiers(*call) (reply, error) {
	tiers := make([]object, 0, len(st.tiers.all()))
	for _, t := range st.tiers.all() {
		tiers = append(tiers, tierJSON(t))
	}
	return many(tiers), nil
}
