package leat

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// The Loyalty Token API: Leat builds a token URL (what LoyaltyToken.URL does without a call)
// and claims one for a contact.

// loyaltyTokenVersion is the token version whose URL layout Leat documents, the one
// LoyaltyToken.URL builds.
const loyaltyTokenVersion = "v3"

// CreateLoyaltyTokenRequest asks Leat for a loyalty token URL. Set UnitValue or Credits, not
// both.
type CreateLoyaltyTokenRequest struct {
	// Version defaults to "v3". Leat's "v1" tokens take Credits, "v2" tokens a UnitValue.
	Version  string `json:"version"`
	ShopUUID string `json:"shop_uuid"`
	// UniqueID must be unique over all tokens (the POS order id, for example): Leat credits
	// one claim per id.
	UniqueID string `json:"unique_id"`
	// UnitValue is what the claim earns points on by the earning rule (UnitValueFromCents
	// for money spent); UnitName defaults to DefaultLoyaltyUnit.
	UnitValue UnitValue `json:"unit_value,omitzero"`
	UnitName  string    `json:"unit_name,omitempty"`
	// Credits makes the token worth a fixed number of points instead.
	Credits int64 `json:"credits,omitempty"`
}

// CreateLoyaltyToken returns the claim URL of a new loyalty token, for a QR code on the
// receipt. It moves no points; they move when the customer claims the URL. It fails with
// CodeShopNotFound, CodeUnitNotFound, CodeCreditsRequired, CodeUnitsRequired or
// CodeInvalidInput. Repeating it is harmless, since Leat credits one claim per UniqueID
// however many URLs name it, so it is retried like a read.
func (c *Client) CreateLoyaltyToken(ctx context.Context, req CreateLoyaltyTokenRequest) (string, error) {
	if req.Version == "" {
		req.Version = loyaltyTokenVersion
	}
	if err := checkAward(req.UnitName, req.UnitValue, req.Credits); err != nil {
		return "", err
	}
	r := post("/loyalty-tokens").body(req)
	r.idempotent = true
	tokenURL, err := fetch[string](ctx, c, r)
	if err != nil {
		return "", err
	}
	return *tokenURL, nil
}

// ClaimLoyaltyTokenRequest claims a loyalty token for a contact. Every field but ContactUUID
// comes from the token's URL and must be sent as signed: ParseLoyaltyTokenURL reads them.
type ClaimLoyaltyTokenRequest struct {
	Version  string `json:"version"`
	ShopUUID string `json:"shop_uuid"`
	UniqueID string `json:"unique_id"`
	// Timestamp is the token's Unix time in seconds.
	Timestamp int64     `json:"timestamp"`
	UnitName  string    `json:"unit_name,omitempty"`
	UnitValue UnitValue `json:"unit_value,omitzero"`
	Credits   int64     `json:"credits,omitempty"`
	Hash      string    `json:"hash"`
	// ContactUUID is who gets the points.
	ContactUUID string `json:"contact_uuid"`
}

// ParseLoyaltyTokenURL reads a loyalty token URL (from CreateLoyaltyToken, LoyaltyToken.URL or
// a scanned receipt) into the request that claims it; set ContactUUID before claiming.
func ParseLoyaltyTokenURL(tokenURL string) (ClaimLoyaltyTokenRequest, error) {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return ClaimLoyaltyTokenRequest{}, fmt.Errorf("%w: loyalty token URL: %v", ErrInvalidArgument, err)
	}
	q := u.Query()
	claim := ClaimLoyaltyTokenRequest{Version: q.Get("version"), ShopUUID: q.Get("shop_uuid"),
		UniqueID: q.Get("unique_id"), UnitName: q.Get("unit_name"), Hash: q.Get("hash")}
	if claim.Version == "" || claim.ShopUUID == "" || claim.UniqueID == "" || claim.Hash == "" {
		return ClaimLoyaltyTokenRequest{}, fmt.Errorf("%w: loyalty token URL %q lacks version, shop_uuid, unique_id or hash", ErrInvalidArgument, tokenURL)
	}
	if claim.Timestamp, err = strconv.ParseInt(q.Get("timestamp"), 10, 64); err != nil {
		return ClaimLoyaltyTokenRequest{}, fmt.Errorf("%w: loyalty token timestamp %q", ErrInvalidArgument, q.Get("timestamp"))
	}
	if text := q.Get("unit_value"); text != "" {
		if claim.UnitValue, err = parseUnitValue(text); err != nil {
			return ClaimLoyaltyTokenRequest{}, fmt.Errorf("%w: %v", ErrInvalidArgument, err)
		}
	}
	if text := q.Get("credits"); text != "" {
		if claim.Credits, err = strconv.ParseInt(text, 10, 64); err != nil {
			return ClaimLoyaltyTokenRequest{}, fmt.Errorf("%w: loyalty token credits %q", ErrInvalidArgument, text)
		}
	}
	return claim, checkAward(claim.UnitName, claim.UnitValue, claim.Credits)
}

// ClaimLoyaltyToken GIVES THE TOKEN'S POINTS to a contact and returns the credit reception.
// Leat credits a UniqueID once: a second claim fails with CodeStagedCreditReceptionRedeemed. A
// hash that does not match the token fails with CodeInvalidInput on "hash"; other failures are
// CodeContactNotFound, CodeShopNotFound and CodeUnitNotFound. On ErrOutcomeUnknown, claim
// again: if the first claim went through, the second fails with
// CodeStagedCreditReceptionRedeemed and no points move twice.
func (c *Client) ClaimLoyaltyToken(ctx context.Context, req ClaimLoyaltyTokenRequest) (*CreditReception, error) {
	if err := checkAward(req.UnitName, req.UnitValue, req.Credits); err != nil {
		return nil, err
	}
	return fetch[CreditReception](ctx, c, post("/loyalty-tokens/claim").body(req))
}
