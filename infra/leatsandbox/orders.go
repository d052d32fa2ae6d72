package leatsandbox

import (
	"fmt"
	"time"
)

// Orders follow Leat's "new conventions" (leat-api.md §8.7): business_profile instead of shop, relations as
// objects, amounts as integers in minor units and a POINTS_TRANSACTION as the result.

type order struct {
	uuid             string
	externalID       string
	reference        string
	status           string
	paymentStatus    string
	currency         string
	contact          *contact
	shop             *shop
	orderAmount      *int64
	totalDiscount    int64
	totalOrderAmount int64
	paidAt           *time.Time
	completedAt      *time.Time
	lines            []*orderLine
	appliedDiscounts []object
	charges          []object
	totalCharges     int64
	createdAt        time.Time

	earnableCents   int64 // line and sub-line totals: what points are earned on
	pointsEarned    int64
	returnedCents   int64 // part of earnableCents taken back by returns so far
	pointsCorrected int64 // points the returns have taken back so far
}

// orderLine is a line item or a sub-line item; both are returned the same way.
type orderLine struct {
	uuid              string
	externalID        string
	name              string
	quantity          int64
	priceCents        int64
	totalCents        int64 // price × quantity − discount, without sub-lines
	discountCents     int64
	productExternalID string
	subLines          []*orderLine
	returnedQuantity  int64
	returnedCents     int64
}

type orderReturn struct {
	uuid       string
	externalID string
	status     string
	order      *order
	lines      []returnedLine
	createdAt  time.Time
}

type returnedLine struct {
	uuid     string
	line     *orderLine
	quantity int64
	cents    int64
	subLine  bool
}

// pointsFor applies the account's earning rule: points per whole currency unit.
func (st *state) pointsFor(cents int64) int64 {
	if cents <= 0 {
		return 0
	}
	return cents / 100 * st.account.PointsPerCurrencyUnit
}

// readLines reads line_items or sub_line_items; external identifiers are unique within one list.
func readLines(items []fields, withSubLines bool) []*orderLine {
	lines := make([]*orderLine, 0, len(items))
	seen := map[string]bool{}
	for _, item := range items {
		line := &orderLine{
			uuid:              newUUID(),
			externalID:        item.requiredString("external_identifier"),
			name:              item.requiredString("name"),
			quantity:          item.requiredPositiveInteger("quantity"),
			priceCents:        item.requiredInteger("price"),
			totalCents:        item.requiredInteger("total_amount"),
			productExternalID: item.object("product").string("external_identifier"),
		}
		line.discountCents, _ = item.integer("discount_amount")
		if seen[line.externalID] {
			item.fail("external_identifier", "The "+item.label("external_identifier")+" field has a duplicate value.")
		}
		seen[line.externalID] = true
		if withSubLines {
			line.subLines = readLines(item.list("sub_line_items"), false)
		}
		lines = append(lines, line)
	}
	return lines
}

func lineJSON(l *orderLine) object {
	var product any
	if l.productExternalID != "" {
		product = object{"external_identifier": l.productExternalID, "name": l.name}
	}
	subLines := make([]object, 0, len(l.subLines))
	for _, sub := range l.subLines {
		subLines = append(subLines, lineJSON(sub))
	}
	return object{
		"uuid":                l.uuid,
		"external_identifier": l.externalID,
		"name":                l.name,
		"quantity":            l.quantity,
		"price":               l.priceCents,
		"total_amount":        l.totalCents,
		"discount_amount":     l.discountCents,
		"product":             product,
		"sub_line_items":      subLines,
	}
}

func (st *state) orderJSON(o *order) object {
	lines := make([]object, 0, len(o.lines))
	for _, l := range o.lines {
		lines = append(lines, lineJSON(l))
	}
	return object{
		"uuid":                         o.uuid,
		"contact":                      contactSummary(o.contact),
		"business_profile":             shopJSON(o.shop),
		"external_identifier":          o.externalID,
		"reference":                    nullIfEmpty(o.reference),
		"status":                       o.status,
		"payment_status":               o.paymentStatus,
		"currency":                     o.currency,
		"formatted_total_order_amount": currencySymbol(o.currency) + " " + majorUnits(o.totalOrderAmount),
		"order_amount":                 optional(o.orderAmount),
		"total_charges_amount":         o.totalCharges,
		"total_discount_amount":        o.totalDiscount,
		"total_order_amount":           o.totalOrderAmount,
		"paid_at":                      optionalTimestamp(o.paidAt),
		"completed_at":                 optionalTimestamp(o.completedAt),
		"line_items":                   lines,
		"applied_discounts":            o.appliedDiscounts,
		"charges":                      o.charges,
		"created_at":                   timestamp(o.createdAt),
		"updated_at":                   timestamp(o.createdAt),
	}
}

func pointsResult(points, newBalance int64) object {
	return object{"type": "POINTS_TRANSACTION", "data": object{"points": points, "new_balance": newBalance}}
}

// POST /orders/create-and-process. Points come from the line items (and sub-line items), never from the
// header totals, whose sums Leat does not check either. A cancelled order earns nothing. An external
// identifier already used is refused, unless order_duplicate=accept makes it another order.
func (st *state) createAndProcessOrder(c *call) (reply, error) {
	in := c.in
	o := &order{
		uuid:             newUUID(),
		externalID:       in.requiredString("external_identifier"),
		reference:        in.string("reference"),
		status:           in.requiredOneOf("status", "CREATED", "PENDING", "COMPLETED", "CANCELLED"),
		paymentStatus:    in.requiredOneOf("payment_status", "UNPAID", "PENDING", "PAID"),
		currency:         in.string("currency"),
		totalOrderAmount: in.requiredInteger("total_order_amount"),
		paidAt:           in.date("paid_at"),
		completedAt:      in.date("completed_at"),
		createdAt:        c.now,
	}
	if amount, ok := in.integer("order_amount"); ok {
		o.orderAmount = &amount
	}
	o.totalDiscount, _ = in.integer("total_discount_amount")
	if o.currency == "" {
		o.currency = st.account.Currency
	}
	in.requireField("contact")
	contactUUID := in.object("contact").requiredString("uuid")
	in.requireField("business_profile")
	shopUUID := in.object("business_profile").requiredString("uuid")
	o.lines = readLines(in.requiredList("line_items"), true)
	o.appliedDiscounts = readAppliedDiscounts(in.list("applied_discounts"))
	o.charges, o.totalCharges = readCharges(in.list("charges"))
	if o.externalID != "" && c.variant(VariantOrderDuplicate) == OrderDuplicateRefuse &&
		st.orders.find(func(existing *order) bool { return existing.externalID == o.externalID }) != nil {
		in.fail("external_identifier", "The external identifier has already been taken.")
	}
	if err := in.err(); err != nil {
		return reply{}, err
	}
	var err error
	if o.contact, err = st.contactByUUID(contactUUID); err != nil {
		return reply{}, err
	}
	if o.shop, err = st.shopByUUID(shopUUID); err != nil {
		return reply{}, err
	}

	for _, l := range o.lines {
		o.earnableCents += l.totalCents
		for _, sub := range l.subLines {
			o.earnableCents += sub.totalCents
		}
	}
	if o.status != "CANCELLED" {
		o.pointsEarned = st.pointsFor(o.earnableCents)
	}
	o.contact.points += o.pointsEarned
	st.orders.add(o.uuid, o)
	return one(object{"order": st.orderJSON(o), "result": pointsResult(o.pointsEarned, o.contact.points)}), nil
}

func readAppliedDiscounts(items []fields) []object {
	discounts := make([]object, 0, len(items))
	for _, item := range items {
		value, _ := item.lookup("value")
		discounts = append(discounts, object{
			"uuid":                newUUID(),
			"external_identifier": item.requiredString("external_identifier"),
			"name":                item.requiredString("name"),
			"amount":              item.requiredInteger("amount"),
			"type":                nullIfEmpty(item.oneOf("type", "PERCENTAGE", "ABSOLUTE")),
			"value":               value,
			"applied_to":          item.requiredString("applied_to"),
		})
	}
	return discounts
}

func readCharges(items []fields) (charges []object, totalCents int64) {
	charges = make([]object, 0, len(items))
	for _, item := range items {
		total := item.requiredInteger("total_amount")
		amount, _ := item.integer("amount")
		discount, _ := item.integer("discount_amount")
		charges = append(charges, object{
			"uuid":                newUUID(),
			"external_identifier": item.requiredString("external_identifier"),
			"name":                item.requiredString("name"),
			"amount":              amount,
			"discount_amount":     discount,
			"total_amount":        total,
		})
		totalCents += total
	}
	return charges, totalCents
}

// GET /orders/find: the newest order with the external identifier, which under order_duplicate=accept
// may name several.
func (st *state) findOrder(c *call) (reply, error) {
	externalID := c.in.requiredString("external_identifier")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	o := st.orders.findLast(func(o *order) bool { return o.externalID == externalID })
	if o == nil {
		return reply{}, errModelNotFound
	}
	return one(st.orderJSON(o)), nil
}

// POST /order-returns/create-and-process. Without line_items the whole remainder of the order comes back.
// An external identifier already used is refused, unless order_duplicate=accept makes it another return.
// The points taken back are proportional to the returned amounts, worked out on the running total so that
// returning everything, in any number of steps, takes back exactly what the order earned; the result's
// points are negative and the balance never drops below zero.
func (st *state) createAndProcessOrderReturn(c *call) (reply, error) {
	in := c.in
	orderRef := in.object("order")
	orderUUID, orderExternalID := orderRef.string("uuid"), orderRef.string("external_identifier")
	if orderUUID == "" && orderExternalID == "" {
		in.fail("order", "The order field must contain a uuid or an external_identifier.")
	}
	r := &orderReturn{
		uuid:       newUUID(),
		externalID: in.requiredString("external_identifier"),
		status:     in.requiredOneOf("status", "PENDING", "COMPLETED"),
		createdAt:  c.now,
	}
	if r.externalID != "" && c.variant(VariantOrderDuplicate) == OrderDuplicateRefuse &&
		st.orderReturns.find(func(existing *orderReturn) bool { return existing.externalID == r.externalID }) != nil {
		in.fail("external_identifier", "The external identifier has already been taken.")
	}
	requested := in.list("line_items")
	if err := in.err(); err != nil {
		return reply{}, err
	}
	r.order = st.orders.findLast(func(o *order) bool {
		return (orderUUID == "" || o.uuid == orderUUID) && (orderExternalID == "" || o.externalID == orderExternalID)
	})
	if r.order == nil {
		return reply{}, errModelNotFound
	}
	if requested == nil {
		if r.lines = everythingLeft(r.order.lines, false); len(r.lines) == 0 {
			in.fail("line_items", "Nothing is left to return on this order.")
		}
	} else {
		planReturn(requested, r.order.lines, false, &r.lines)
	}
	if err := in.err(); err != nil {
		return reply{}, err
	}

	o := r.order
	for _, rl := range r.lines {
		rl.line.returnedQuantity += rl.quantity
		rl.line.returnedCents += rl.cents
		o.returnedCents += rl.cents
	}
	var takeBack int64
	if o.earnableCents > 0 {
		target := o.pointsEarned * min(o.returnedCents, o.earnableCents) / o.earnableCents
		takeBack, o.pointsCorrected = target-o.pointsCorrected, target
	}
	takeBack = min(takeBack, o.contact.points)
	o.contact.points -= takeBack
	st.orderReturns.add(r.uuid, r)
	return one(object{"return": returnJSON(r), "result": pointsResult(-takeBack, o.contact.points)}), nil
}

// planReturn checks each requested line against what is left of the original line, recording problems in
// the request's validation bag; nothing changes until the whole return is known to be valid.
func planReturn(requested []fields, lines []*orderLine, subLines bool, plan *[]returnedLine) {
	for _, item := range requested {
		externalID := item.requiredString("external_identifier")
		quantity := item.requiredInteger("quantity")
		totalAmount, hasTotal := item.integer("total_amount")
		var line *orderLine
		for _, candidate := range lines {
			if candidate.externalID == externalID {
				line = candidate
			}
		}
		if line == nil {
			if externalID != "" {
				item.fail("external_identifier", "The selected "+item.label("external_identifier")+" is invalid.")
			}
			continue
		}
		leftQuantity, leftCents := left(line, *plan)
		switch {
		case quantity < 0:
			item.fail("quantity", "The "+item.label("quantity")+" must be at least 0.")
		case quantity > leftQuantity:
			item.fail("quantity", fmt.Sprintf("The %s may not be greater than %d, the quantity left to return.", item.label("quantity"), leftQuantity))
		default:
			cents := refundFor(line, quantity, leftQuantity, leftCents)
			if hasTotal {
				cents = totalAmount
			}
			*plan = append(*plan, returnedLine{uuid: newUUID(), line: line, quantity: quantity, cents: cents, subLine: subLines})
		}
		if !subLines {
			planReturn(item.list("sub_line_items"), line.subLines, true, plan)
		}
	}
}

// everythingLeft plans the return of whatever has not been returned yet.
func everythingLeft(lines []*orderLine, subLines bool) []returnedLine {
	var plan []returnedLine
	for _, line := range lines {
		if leftQuantity, leftCents := left(line, nil); leftQuantity > 0 {
			plan = append(plan, returnedLine{uuid: newUUID(), line: line, quantity: leftQuantity, cents: leftCents, subLine: subLines})
		}
		plan = append(plan, everythingLeft(line.subLines, true)...)
	}
	return plan
}

// left is what of a line can still be returned, counting earlier returns and lines planned in this one.
func left(line *orderLine, plan []returnedLine) (quantity, cents int64) {
	quantity, cents = line.quantity-line.returnedQuantity, line.totalCents-line.returnedCents
	for _, planned := range plan {
		if planned.line == line {
			quantity -= planned.quantity
			cents -= planned.cents
		}
	}
	return quantity, cents
}

// refundFor is the line amount that returning quantity items gives back: its share of the line total, and
// exactly the rest for the last items so rounding never leaves cents behind.
func refundFor(line *orderLine, quantity, leftQuantity, leftCents int64) int64 {
	if quantity == leftQuantity {
		return leftCents
	}
	return line.totalCents * quantity / line.quantity
}

func returnJSON(r *orderReturn) object {
	lineReturns, subLineReturns := []object{}, []object{}
	for _, rl := range r.lines {
		if rl.subLine {
			subLineReturns = append(subLineReturns, object{"uuid": rl.uuid, "quantity": rl.quantity, "sub_line_item": object{"uuid": rl.line.uuid}})
		} else {
			lineReturns = append(lineReturns, object{"uuid": rl.uuid, "quantity": rl.quantity, "line_item": object{"uuid": rl.line.uuid}})
		}
	}
	return object{
		"uuid":                  r.uuid,
		"external_identifier":   r.externalID,
		"status":                r.status,
		"order":                 object{"uuid": r.order.uuid},
		"line_item_returns":     lineReturns,
		"sub_line_item_returns": subLineReturns,
		"created_at":            timestamp(r.createdAt),
	}
}
