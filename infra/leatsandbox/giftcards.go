package leatsandbox

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

type giftcardProgram struct {
	id             int
	uuid           string
	name           string
	maxAmountCents int64
	expirationDays *int
}

type giftcard struct {
	id             int
	uuid           string
	hash           string // the code printed on or encoded in the card
	kind           string // PHYSICAL or DIGITAL
	program        *giftcardProgram
	balanceCents   int64
	active         bool
	expirationDate *time.Time
	createdAt      time.Time
}

type giftcardTransaction struct {
	id               int
	uuid             string
	card             *giftcard
	shop             *shop
	amountCents      int64 // positive loads the card, negative pays with it
	customAttributes map[string]string
	createdAt        time.Time
	reversedBy       *giftcardTransaction
	reverses         *giftcardTransaction
}

// SentEmail is a giftcard email the sandbox would have sent; tests read them instead of a mailbox.
type SentEmail struct {
	GiftcardUUID string            `json:"giftcard_uuid"`
	GiftcardHash string            `json:"giftcard_hash"`
	ContactUUID  string            `json:"contact_uuid"`
	Email        string            `json:"email"`
	EmailUUID    string            `json:"email_uuid,omitempty"`
	MergeTags    map[string]string `json:"merge_tags,omitempty"`
	SentAt       time.Time         `json:"sent_at"`
}

func programJSON(p *giftcardProgram) object {
	return object{"id": p.id, "uuid": p.uuid, "name": p.name, "max_amount_in_cents": p.maxAmountCents,
		"calculator_flow": "DEFAULT", "expiration_days": optional(p.expirationDays)}
}

func (st *state) giftcardJSON(g *giftcard) object {
	var formattedExpiration any
	if g.expirationDate != nil {
		formattedExpiration = g.expirationDate.Format(time.DateOnly)
	}
	return object{
		"id":                        g.id,
		"uuid":                      g.uuid,
		"type":                      g.kind,
		"hash":                      g.hash,
		"amount_in_cents":           g.balanceCents,
		"amount":                    float64(g.balanceCents) / 100, // major units on the wire only
		"display_amount":            st.displayAmount(g.balanceCents),
		"upgradeable":               true,
		"active":                    g.active,
		"expiration_date":           optionalTimestamp(g.expirationDate),
		"formatted_expiration_date": formattedExpiration,
		"url":                       strings.TrimSuffix(st.account.ContactsPortalURL, "/") + "/giftcard-balance?hash=" + url.QueryEscape(g.hash),
		"giftcard_program":          programJSON(g.program),
		"giftcard_recipients":       []any{},
	}
}

func giftcardTransactionJSON(t *giftcardTransaction) object {
	return object{
		"id":                t.id,
		"uuid":              t.uuid,
		"amount_in_cents":   t.amountCents,
		"type":              "STANDARD",
		"settled":           false,
		"card":              object{"id": t.card.id, "uuid": t.card.uuid, "hash": t.card.hash},
		"shop":              shopJSON(t.shop),
		"settlements":       []any{},
		"custom_attributes": t.customAttributes,
		"created_at":        timestamp(t.createdAt),
	}
}

func (st *state) giftcardByUUID(uuid string) (*giftcard, error) {
	if g := st.giftcards.get(uuid); g != nil {
		return g, nil
	}
	return nil, errGiftcardNotFound
}

func (st *state) programByUUID(uuid string) (*giftcardProgram, error) {
	if p := st.programs.get(uuid); p != nil {
		return p, nil
	}
	return nil, errGiftcardProgramNotFound
}

// applyAmount moves money on or off the card under Leat's rules: a blocked card does not exist for
// payments, an expired one is refused, the balance never goes below zero and a load never takes it above
// the program's maximum.
func (g *giftcard) applyAmount(amountCents int64, now time.Time) error {
	switch balance := g.balanceCents + amountCents; {
	case !g.active:
		return errGiftcardNotFound
	case g.expirationDate != nil && !now.Before(*g.expirationDate):
		return errGiftcardExpired
	case balance < 0:
		return errGiftcardInsufficient
	case amountCents > 0 && g.program != nil && balance > g.program.maxAmountCents:
		return errGiftcardMaxExceeded
	default:
		g.balanceCents = balance
		return nil
	}
}

func (st *state) addGiftcardTransaction(g *giftcard, s *shop, amountCents int64, attributes map[string]string, now time.Time) *giftcardTransaction {
	t := &giftcardTransaction{id: st.nextID(), uuid: newUUID(), card: g, shop: s, amountCents: amountCents,
		customAttributes: attributes, createdAt: now}
	st.giftcardTransactions.add(t.uuid, t)
	return t
}

// GET /giftcards/find-one-by
func (st *state) findGiftcard(c *call) (reply, error) {
	hash := c.in.requiredString("hash")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	g := st.giftcards.find(func(g *giftcard) bool { return g.hash == hash })
	if g == nil {
		return reply{}, errGiftcardNotFound
	}
	return one(st.giftcardJSON(g)), nil
}

// GET /giftcards/{uuid}
func (st *state) getGiftcard(c *call) (reply, error) {
	g, err := st.giftcardByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(st.giftcardJSON(g)), nil
}

// GET /giftcards
func (st *state) listGiftcards(c *call) (reply, error) {
	programUUID := c.in.string("giftcard_program_uuid")
	request := c.in.pageRequest("limit", 30, 100)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	var p *giftcardProgram
	if programUUID != "" {
		var err error
		if p, err = st.programByUUID(programUUID); err != nil {
			return reply{}, err
		}
	}
	matches := st.giftcards.filter(func(g *giftcard) bool { return p == nil || g.program == p })
	items := make([]object, 0, len(matches))
	for _, g := range matches {
		items = append(items, st.giftcardJSON(g))
	}
	return giftcardPage(paginate(items, request)), nil
}

// POST /giftcards: the public API only creates digital cards (type 1).
func (st *state) createGiftcard(c *call) (reply, error) {
	kind := c.in.requiredInteger("type")
	programUUID := c.in.requiredString("giftcard_program_uuid")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if kind != 1 {
		return reply{}, errOnlyDigitalGiftcards
	}
	p, err := st.programByUUID(programUUID)
	if err != nil {
		return reply{}, err
	}
	g := &giftcard{id: st.nextID(), uuid: newUUID(), hash: newCode(10), kind: "DIGITAL", program: p, active: true,
		createdAt: c.now}
	if p.expirationDays != nil {
		expires := c.now.AddDate(0, 0, *p.expirationDays)
		g.expirationDate = &expires
	}
	st.giftcards.add(g.uuid, g)
	return one(st.giftcardJSON(g)), nil
}

// POST /giftcards/{uuid}/send-by-email: nothing leaves the sandbox; the email is recorded instead.
func (st *state) sendGiftcardByEmail(c *call) (reply, error) {
	contactUUID := c.in.requiredString("contact_uuid")
	emailUUID := c.in.string("email_uuid")
	mergeTags := c.in.attributes("merge_tags")
	for name := range mergeTags {
		if !strings.HasPrefix(name, "custom.") {
			c.in.fail("merge_tags", "The merge tags keys must start with custom.")
		}
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	g, err := st.giftcardByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	recipient, err := st.contactByUUID(contactUUID)
	if err != nil {
		return reply{}, err
	}
	st.sentEmails = append(st.sentEmails, SentEmail{GiftcardUUID: g.uuid, GiftcardHash: g.hash,
		ContactUUID: recipient.uuid, Email: recipient.email, EmailUUID: emailUUID, MergeTags: mergeTags, SentAt: c.now})
	return one(object{"message": "success", "data": "Email successfully sent"}), nil
}

// GET /giftcard-programs
func (st *state) listGiftcardPrograms(*call) (reply, error) {
	items := make([]object, 0, len(st.programs.all()))
	for _, p := range st.programs.all() {
		items = append(items, programJSON(p))
	}
	return many(items), nil
}

// POST /giftcard-transactions
func (st *state) createGiftcardTransaction(c *call) (reply, error) {
	giftcardUUID := c.in.requiredString("giftcard_uuid")
	amount := c.in.nonZeroAmount("amount_in_cents")
	shopUUID := c.in.requiredString("shop_uuid")
	attributes := c.in.attributes("custom_attributes")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	s, err := st.shopByUUID(shopUUID)
	if err != nil {
		return reply{}, err
	}
	g, err := st.giftcardByUUID(giftcardUUID)
	if err != nil {
		return reply{}, err
	}
	if err := g.applyAmount(amount, c.now); err != nil {
		return reply{}, err
	}
	return one(giftcardTransactionJSON(st.addGiftcardTransaction(g, s, amount, attributes, c.now))), nil
}

// GET /giftcard-transactions/{uuid}
func (st *state) getGiftcardTransaction(c *call) (reply, error) {
	t := st.giftcardTransactions.get(c.pathUUID())
	if t == nil {
		return reply{}, errGiftcardTransactionNotFound
	}
	return one(giftcardTransactionJSON(t)), nil
}

// GET /giftcard-transactions. Leat's reference names the card filter giftcard_hash (the code on the card);
// giftcard_uuid is accepted too. Newest first unless sort=created_at asks for the oldest first.
func (st *state) listGiftcardTransactions(c *call) (reply, error) {
	giftcardHash := c.in.string("giftcard_hash")
	giftcardUUID := c.in.string("giftcard_uuid")
	shopUUID := c.in.string("shop_uuid")
	created := c.in.timeRange("created_at")
	oldestFirst := c.in.oneOf("sort", "created_at", "-created_at") == "created_at"
	request := c.in.pageRequest("perPage", 10, 100)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	var byHash, byUUID *giftcard
	if giftcardHash != "" {
		if byHash = st.giftcards.find(func(g *giftcard) bool { return g.hash == giftcardHash }); byHash == nil {
			return reply{}, errGiftcardNotFound
		}
	}
	if giftcardUUID != "" {
		var err error
		if byUUID, err = st.giftcardByUUID(giftcardUUID); err != nil {
			return reply{}, err
		}
	}
	var s *shop
	if shopUUID != "" {
		var err error
		if s, err = st.shopByUUID(shopUUID); err != nil {
			return reply{}, err
		}
	}
	matches := st.giftcardTransactions.filter(func(t *giftcardTransaction) bool {
		return (byHash == nil || t.card == byHash) && (byUUID == nil || t.card == byUUID) &&
			(s == nil || t.shop == s) && created.contains(t.createdAt)
	})
	if !oldestFirst {
		slices.Reverse(matches)
	}
	items := make([]object, 0, len(matches))
	for _, t := range matches {
		items = append(items, giftcardTransactionJSON(t))
	}
	return transactionPage(paginate(items, request)), nil
}

// POST /giftcard-transactions/{uuid}/reverse: a new transaction of the opposite sign. Leat only reverses a
// card's last transaction (55025); a transaction is reversed at most once, and a reversal is final. Under
// second_reverse=apply a repeated reverse is a blind repeat of the compensation: its first reversal is now
// the card's last transaction, so the 55025 rule does not stop it.
func (st *state) reverseGiftcardTransaction(c *call) (reply, error) {
	original := st.giftcardTransactions.get(c.pathUUID())
	switch {
	case original == nil:
		return reply{}, errGiftcardTransactionNotFound
	case original.reverses != nil:
		return reply{}, invalidField("giftcard_transaction_uuid", "A reversal cannot be reversed.")
	case original.reversedBy != nil:
		if err := c.repeatedReverse("giftcard_transaction_uuid", "giftcard transaction"); err != nil {
			return reply{}, err
		}
	default:
		cardTransactions := st.giftcardTransactions.filter(func(t *giftcardTransaction) bool { return t.card == original.card })
		if cardTransactions[len(cardTransactions)-1] != original {
			return reply{}, errNotLastGiftcardTransaction
		}
	}
	if err := original.card.applyAmount(-original.amountCents, c.now); err != nil {
		return reply{}, err
	}
	reversal := st.addGiftcardTransaction(original.card, original.shop, -original.amountCents, map[string]string{}, c.now)
	reversal.reverses, original.reversedBy = original, reversal
	return one(giftcardTransactionJSON(reversal)), nil
}

// nonZeroAmount reads a required, signed amount in cents. Leat documents no rule for zero; a transaction
// that moves nothing is most likely a client bug, so the sandbox refuses it.
func (f fields) nonZeroAmount(key string) int64 {
	if !f.requireField(key) {
		return 0
	}
	amount, ok := f.integer(key)
	if ok && amount == 0 {
		f.fail(key, "The "+f.label(key)+" must not be zero.")
	}
	return amount
}
