package leatsandbox

import "time"

type prepaidTransaction struct {
	uuid         string
	contact      *contact
	shop         *shop
	identifier   *identifier
	amountCents  int64 // positive tops up, negative pays
	balanceAfter int64
	createdAt    time.Time
	reversedBy   *prepaidTransaction
	reverses     *prepaidTransaction
}

func (st *state) prepaidBalanceJSON(cents int64) object {
	return object{"balance_in_cents": cents, "balance": st.displayAmount(cents)}
}

func (st *state) prepaidTransactionJSON(t *prepaidTransaction) object {
	return object{
		"uuid":               t.uuid,
		"amount_in_cents":    t.amountCents,
		"prepaid_balance":    st.prepaidBalanceJSON(t.balanceAfter),
		"created_at":         timestamp(t.createdAt),
		"shop":               shopJSON(t.shop),
		"contact_identifier": optionalIdentifier(t.identifier),
	}
}

// applyPrepaid moves money on the contact's prepaid balance, which never goes below zero. Leat does not
// document the error for an insufficient balance; the sandbox answers a validation error (1003) on
// amount_in_cents.
func (st *state) applyPrepaid(c *contact, s *shop, id *identifier, amountCents int64, now time.Time) (*prepaidTransaction, error) {
	if c.prepaidCents+amountCents < 0 {
		return nil, invalidField("amount_in_cents", "The prepaid balance is insufficient for this amount.")
	}
	c.prepaidCents += amountCents
	t := &prepaidTransaction{uuid: newUUID(), contact: c, shop: s, identifier: id, amountCents: amountCents,
		balanceAfter: c.prepaidCents, createdAt: now}
	st.prepaidTransactions.add(t.uuid, t)
	return t, nil
}

// POST /prepaid-transactions: the contact is named by uuid or by one of its identifiers.
func (st *state) createPrepaidTransaction(c *call) (reply, error) {
	contactUUID := c.in.string("contact_uuid")
	identifierValue := c.in.string("contact_identifier_value")
	amount := c.in.nonZeroAmount("amount_in_cents")
	shopUUID := c.in.requiredString("shop_uuid")
	if contactUUID == "" && identifierValue == "" {
		c.in.fail("contact_uuid", "The contact uuid field is required when contact identifier value is not present.")
		c.in.fail("contact_identifier_value", "The contact identifier value field is required when contact uuid is not present.")
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	s, err := st.shopByUUID(shopUUID)
	if err != nil {
		return reply{}, err
	}
	var id *identifier
	var owner *contact
	if identifierValue != "" {
		if id, err = st.usableIdentifier(identifierValue); err != nil {
			return reply{}, err
		}
		if owner = id.contact; owner == nil {
			return reply{}, errIdentifierNotLinked
		}
	}
	if contactUUID != "" {
		if owner, err = st.contactByUUID(contactUUID); err != nil {
			return reply{}, err
		}
	}
	t, err := st.applyPrepaid(owner, s, id, amount, c.now)
	if err != nil {
		return reply{}, err
	}
	return one(st.prepaidTransactionJSON(t)), nil
}

// POST /prepaid-transactions/{uuid}/reverse: a new transaction of the opposite sign, at most once unless
// second_reverse=apply.
func (st *state) reversePrepaidTransaction(c *call) (reply, error) {
	original := st.prepaidTransactions.get(c.pathUUID())
	switch {
	case original == nil:
		return reply{}, errModelNotFound
	case original.reverses != nil:
		return reply{}, invalidField("prepaid_transaction_uuid", "A reversal cannot be reversed.")
	case original.reversedBy != nil:
		if err := c.repeatedReverse("prepaid_transaction_uuid", "prepaid transaction"); err != nil {
			return reply{}, err
		}
	}
	reversal, err := st.applyPrepaid(original.contact, original.shop, original.identifier, -original.amountCents, c.now)
	if err != nil {
		return reply{}, err
	}
	reversal.reverses, original.reversedBy = original, reversal
	return one(st.prepaidTransactionJSON(reversal)), nil
}

// GET /prepaid-transactions: newest first, each with its contact.
func (st *state) listPrepaidTransactions(c *call) (reply, error) {
	contactUUID := c.in.string("contact_uuid")
	shopUUID := c.in.string("shop_uuid")
	request := c.in.pageRequest("limit", 10, 30)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	var owner *contact
	var s *shop
	var err error
	if contactUUID != "" {
		if owner, err = st.contactByUUID(contactUUID); err != nil {
			return reply{}, err
		}
	}
	if shopUUID != "" {
		if s, err = st.shopByUUID(shopUUID); err != nil {
			return reply{}, err
		}
	}
	matches := st.prepaidTransactions.filter(func(t *prepaidTransaction) bool {
		return (owner == nil || t.contact == owner) && (s == nil || t.shop == s)
	})
	items := make([]object, 0, len(matches))
	for i := len(matches) - 1; i >= 0; i-- {
		item := st.prepaidTransactionJSON(matches[i])
		item["contact"] = contactSummary(matches[i].contact)
		items = append(items, item)
	}
	return transactionPage(paginate(items, request)), nil
}
