package leatsandbox

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Loyalty tokens (leat-api.md §11) let a customer claim points after the sale, from a URL on the receipt
// signed with the account secret. A token's unique_id is claimed at most once, however it is claimed:
// through the API or on the claim page.

// loyaltyToken is the content of a loyalty token URL.
type loyaltyToken struct {
	version   string
	shopUUID  string
	uniqueID  string
	timestamp string // Unix seconds, exactly as signed
	award     award
	hash      string // as claimed
}

// loyaltyToken reads a token; a token being claimed (signed) also carries its timestamp and hash. The shop
// may be named shop_uuid (docs, Postman) or shop_id (the PHP SDK).
func (f fields) loyaltyToken(signed bool) loyaltyToken {
	t := loyaltyToken{version: f.requiredOneOf("version", "v1", "v2", "v3")}
	if t.shopUUID = f.string("shop_uuid"); t.shopUUID == "" {
		t.shopUUID = f.string("shop_id")
	}
	if t.shopUUID == "" {
		f.fail("shop_uuid", "The "+f.label("shop_uuid")+" field is required.")
	}
	// Leat signs the query string unescaped, so a character that a URL must escape would make the text
	// signed and the text sent differ.
	if t.uniqueID = f.requiredString("unique_id"); t.uniqueID != "" && !isUnreserved(t.uniqueID) {
		f.fail("unique_id", "The "+f.label("unique_id")+" may only contain letters, digits and -._~.")
	}
	t.award = f.award()
	if signed {
		if t.timestamp = f.requiredString("timestamp"); !isDigits(t.timestamp) {
			f.fail("timestamp", "The "+f.label("timestamp")+" must be an integer.")
		}
		t.hash = f.requiredString("hash")
	}
	return t
}

func isUnreserved(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-._~", r)) {
			return false
		}
	}
	return true
}

// query is the token's query string in the order Leat signs it. Leat documents the layout of unit tokens
// only; a credits token is taken to carry credits=N where a unit token has its unit pair.
func (t loyaltyToken) query() string {
	q := "version=" + t.version + "&shop_uuid=" + t.shopUUID + "&unique_id=" + t.uniqueID + "&timestamp=" + t.timestamp
	if t.award.unitValue == "" {
		return q + "&credits=" + strconv.FormatInt(t.award.credits, 10)
	}
	return q + "&unit_name=" + t.award.unitName + "&unit_value=" + t.award.unitValue
}

// signature is the lowercase hex SHA-1 of the query followed by "&secret=<account secret>": a plain hash,
// not an HMAC.
func (t loyaltyToken) signature(secret string) string {
	sum := sha1.Sum([]byte(t.query() + "&secret=" + secret))
	return hex.EncodeToString(sum[:])
}

func (t loyaltyToken) signedWith(secret string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(t.hash)), []byte(t.signature(secret))) == 1
}

// claimable returns the token's shop, or why the token cannot be claimed: what it names does not exist
// (1008, 60007), its version takes the other kind of award (60018, 60019), or its unique_id was claimed
// before (1034).
func (st *state) claimable(t loyaltyToken) (*shop, error) {
	s, err := st.tokenShop(t)
	if err != nil {
		return nil, err
	}
	if st.creditReceptions.find(func(cr *creditReception) bool { return cr.loyaltyTokenID == t.uniqueID }) != nil {
		return nil, errTokenAlreadyClaimed
	}
	return s, nil
}

func (st *state) tokenShop(t loyaltyToken) (*shop, error) {
	s, err := st.shopByUUID(t.shopUUID)
	if err != nil {
		return nil, err
	}
	switch {
	case t.version == "v1" && t.award.unitValue != "":
		return nil, errCreditsRequired
	case t.version == "v2" && t.award.unitValue == "":
		return nil, errUnitsRequired
	}
	return s, checkUnit(t.award)
}

// redeemLoyaltyToken credits the claimant of a token whose hash was checked: the one way a token turns into
// points, for the API and the claim page alike.
func (st *state) redeemLoyaltyToken(t loyaltyToken, claimant *contact, now time.Time) (*creditReception, error) {
	s, err := st.claimable(t)
	if err != nil {
		return nil, err
	}
	cr := st.receive(claimant, s, t.award, now)
	cr.loyaltyTokenID = t.uniqueID
	return cr, nil
}

// POST /loyalty-tokens: the signed URL of a new token, timestamped now. Nothing is stored: the URL carries
// everything its claim needs.
func (st *state) createLoyaltyToken(c *call) (reply, error) {
	t := c.in.loyaltyToken(false)
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if _, err := st.tokenShop(t); err != nil {
		return reply{}, err
	}
	t.timestamp = strconv.FormatInt(c.now.Unix(), 10)
	url := strings.TrimSuffix(st.account.ContactsPortalURL, "/") + claimPagePath + "?" + t.query() +
		"&hash=" + t.signature(st.account.AccountSecret)
	return one(url), nil
}

// POST /loyalty-tokens/claim: the credit reception the token gives the contact.
func (st *state) claimLoyaltyToken(c *call) (reply, error) {
	t := c.in.loyaltyToken(true)
	contactUUID := c.in.requiredString("contact_uuid")
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	if !t.signedWith(st.account.AccountSecret) {
		return reply{}, invalidField("hash", "The hash does not match the token.")
	}
	claimant, err := st.contactByUUID(contactUUID)
	if err != nil {
		return reply{}, err
	}
	cr, err := st.redeemLoyaltyToken(t, claimant, c.now)
	if err != nil {
		return reply{}, err
	}
	return one(st.creditReceptionJSON(cr)), nil
}
