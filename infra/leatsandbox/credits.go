package leatsandbox

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Credit receptions give a contact points: earned on a purchase (a unit_value of the purchase_amount unit,
// through the account's earning rule) or a fixed number of credits. Reversals and loyalty token claims are
// credit receptions too.

// apiChannel is the channel Leat reports for what was created through the API: everything in the sandbox.
const apiChannel = "API"

// purchaseAmountUnit is the account's one loyalty unit and its default: money spent, in major units.
const purchaseAmountUnit = "purchase_amount"

type creditReception struct {
	uuid       string
	contact    *contact
	shop       *shop
	identifier *identifier
	credits    int64 // negative for the reversal of a credit reception
	// unitValueCents is the purchase amount the credits were earned on, nil for fixed credits.
	unitValueCents *int64
	// loyaltyTokenID is the unique_id of the loyalty token this reception redeemed, "" for others.
	loyaltyTokenID string
	createdAt      time.Time
	// compensation marks a reversal (of a reward or credit reception): it cannot be reversed itself.
	compensation bool
	reversed     bool
}

// award is what a credit reception or loyalty token gives: a purchase amount, or a fixed number of credits.
type award struct {
	unitName  string
	unitValue string // as received: loyalty token hashes sign this exact text; "" for fixed credits
	cents     int64  // unitValue in minor units
	credits   int64  // the fixed credits; 0 with a unit value
}

// award reads unit_name and unit_value, or credits; exactly one of unit_value and credits must be there.
func (f fields) award() award {
	var a award
	hasCredits := f.has("credits")
	a.unitValue = f.string("unit_value")
	switch {
	case a.unitValue != "" && hasCredits:
		f.fail("credits", "The "+f.label("credits")+" field prohibits "+f.label("unit_value")+" from being present.")
	case a.unitValue == "" && !hasCredits:
		f.fail("unit_value", "The "+f.label("unit_value")+" field is required when "+f.label("credits")+" is not present.")
	case hasCredits:
		a.credits = f.positiveInteger("credits", 0)
	default:
		a.unitName = f.string("unit_name")
		if a.unitName == "" {
			a.unitName = purchaseAmountUnit
		}
		cents, err := parseMajorUnits(a.unitValue)
		if err != nil {
			f.fail("unit_value", "The "+f.label("unit_value")+" "+err.Error()+".")
		}
		a.cents = cents
	}
	return a
}

// maxWholeDigits keeps purchase amounts far from int64 overflow once turned into cents.
const maxWholeDigits = 13

// parseMajorUnits reads a non-negative decimal in major units ("10.40", "10.4", "10") into cents, digit by
// digit, so an amount never passes through a float. Every currency the sandbox formats has two decimals.
func parseMajorUnits(text string) (int64, error) {
	if strings.HasPrefix(text, "-") {
		return 0, errors.New("must be at least 0")
	}
	whole, fraction, hasPoint := strings.Cut(text, ".")
	if whole == "" || (hasPoint && fraction == "") || !isDigits(whole) || !isDigits(fraction) {
		return 0, errors.New("must be a number")
	}
	if len(fraction) > 2 {
		return 0, errors.New("may not have more than 2 decimals")
	}
	if len(strings.TrimLeft(whole, "0")) > maxWholeDigits {
		return 0, errors.New("is too large")
	}
	cents, err := strconv.ParseInt(whole+fraction+strings.Repeat("0", 2-len(fraction)), 10, 64)
	if err != nil {
		return 0, errors.New("is too large")
	}
	return cents, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// points is what an award is worth: fixed credits as they are, a purchase amount by the earning rule.
func (st *state) points(a award) int64 {
	if a.unitValue == "" {
		return a.credits
	}
	return st.pointsFor(a.cents)
}

// checkUnit refuses units the account does not have (60007).
func checkUnit(a award) error {
	if a.unitValue != "" && a.unitName != purchaseAmountUnit {
		return errUnitNotFound
	}
	return nil
}

// addCreditReception books cr: the contact gets its credits (or loses them, for a negative reversal).
func (st *state) addCreditReception(cr *creditReception) *creditReception {
	cr.uuid = newUUID()
	cr.contact.points += cr.credits
	st.creditReceptions.add(cr.uuid, cr)
	return cr
}

// receive books the credit reception a contact earns with an award.
func (st *state) receive(receiver *contact, s *shop, a award, now time.Time) *creditReception {
	cr := &creditReception{contact: receiver, shop: s, credits: st.points(a), createdAt: now}
	if a.unitValue != "" {
		cr.unitValueCents = &a.cents
	}
	return st.addCreditReception(cr)
}

func (st *state) creditReceptionJSON(cr *creditReception) object {
	var unit, unitValue any
	if cr.unitValueCents != nil {
		unit = object{"id": 1, "name": purchaseAmountUnit, "label": "Purchase amount",
			"prefix": currencySymbol(st.account.Currency), "is_default": true}
		unitValue = json.Number(majorUnits(*cr.unitValueCents)) // a decimal number on the wire, never a float
	}
	return object{
		"type":               "credit_reception",
		"uuid":               cr.uuid,
		"credits":            cr.credits,
		"contact":            contactWithBalance(cr.contact),
		"shop":               shopJSON(cr.shop),
		"contact_identifier": optionalIdentifier(cr.identifier),
		"channel":            apiChannel,
		"created_at":         timestamp(cr.createdAt),
		"unit":               unit,
		"unit_value":         unitValue,
	}
}

// POST /credit-receptions
func (st *state) createCreditReception(c *call) (reply, error) {
	contactUUID := c.in.requiredString("contact_uuid")
	shopUUID := c.in.requiredString("shop_uuid")
	earned := c.in.award()
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	receiver, err := st.contactByUUID(contactUUID)
	if err != nil {
		return reply{}, err
	}
	s, err := st.shopByUUID(shopUUID)
	if err != nil {
		return reply{}, err
	}
	if err := checkUnit(earned); err != nil {
		return reply{}, err
	}
	return one(st.creditReceptionJSON(st.receive(receiver, s, earned, c.now))), nil
}

// POST /credit-receptions/{uuid}/reverse: a compensating credit reception with the opposite credits. Like
// a giftcard reversal that would overdraw the card, one that would take the balance below zero is refused
// (1017) rather than applied in part.
func (st *state) reverseCreditReception(c *call) (reply, error) {
	original := st.creditReceptions.get(c.pathUUID())
	switch {
	case original == nil:
		return reply{}, errModelNotFound
	case original.compensation:
		return reply{}, invalidField("credit_reception_uuid", "A reversal cannot be reversed.")
	case original.reversed:
		if err := c.repeatedReverse("credit_reception_uuid", "credit reception"); err != nil {
			return reply{}, err
		}
	}
	if original.contact.points < original.credits {
		return reply{}, errInsufficientCredits
	}
	original.reversed = true
	reversal := st.addCreditReception(&creditReception{contact: original.contact, shop: original.shop,
		identifier: original.identifier, credits: -original.credits, createdAt: c.now, compensation: true})
	return one(st.creditReceptionJSON(reversal)), nil
}
