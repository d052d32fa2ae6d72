package leat

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CreditReception gives a contact points: earned on an amount of a loyalty unit (money spent,
// by default) through the account's earning rule, or a fixed number of credits. Reversals and
// claimed loyalty tokens are credit receptions too.
type CreditReception struct {
	// Type is "credit_reception".
	Type string `json:"type"`
	UUID string `json:"uuid"`
	// Credits is the points given; negative for the reversal of a credit reception.
	Credits int64 `json:"credits"`
	// Contact.CreditBalance is the balance after the reception.
	Contact           ContactSummary     `json:"contact"`
	Shop              Shop               `json:"shop"`
	ContactIdentifier *ContactIdentifier `json:"contact_identifier"`
	Channel           string             `json:"channel"`
	CreatedAt         time.Time          `json:"created_at"`
	// Unit and UnitValue say what the points were earned on; nil and zero for fixed credits.
	Unit      *LoyaltyUnit `json:"unit"`
	UnitValue UnitValue    `json:"unit_value"`
}

// LoyaltyUnit is what points are earned on; DefaultLoyaltyUnit is money spent, in major
// units.
type LoyaltyUnit struct {
	Name      string `json:"name"`
	Label     string `json:"label"`
	Prefix    string `json:"prefix"`
	IsDefault bool   `json:"is_default"`
}

// UnmarshalJSON reads a unit value that Leat sends as a JSON number, a numeric string or null,
// keeping its decimal text as it is.
func (v *UnitValue) UnmarshalJSON(data []byte) error {
	text := strings.Trim(string(data), `"`)
	if text == "null" || text == "" {
		*v = UnitValue{}
		return nil
	}
	parsed, err := parseUnitValue(text)
	if err != nil {
		return err
	}
	*v = parsed
	return nil
}

// parseUnitValue accepts a plain decimal ("10.40", "-2.5", "10"): no exponent, no sign but
// minus, no grouping.
func parseUnitValue(text string) (UnitValue, error) {
	whole, fraction, hasPoint := strings.Cut(strings.TrimPrefix(text, "-"), ".")
	if whole == "" || (hasPoint && fraction == "") || !allDigits(whole) || !allDigits(fraction) {
		return UnitValue{}, fmt.Errorf("leat: unit value %q is not a decimal", text)
	}
	return UnitValue{text}, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// checkAward refuses, before anything is sent, what Leat would refuse: points come from a
// unit value or a positive number of credits, never both.
func checkAward(unitName string, unitValue UnitValue, credits int64) error {
	switch {
	case unitValue.IsZero() && credits == 0:
		return fmt.Errorf("%w: give a UnitValue or Credits", ErrInvalidArgument)
	case !unitValue.IsZero() && credits != 0:
		return fmt.Errorf("%w: give a UnitValue or Credits, not both", ErrInvalidArgument)
	case credits < 0:
		return fmt.Errorf("%w: Credits must be positive, not %d", ErrInvalidArgument, credits)
	case credits > 0 && unitName != "":
		return fmt.Errorf("%w: UnitName goes with a UnitValue, not with Credits", ErrInvalidArgument)
	}
	return nil
}

// CreateCreditReceptionRequest gives a contact points. Set UnitValue or Credits, not both.
type CreateCreditReceptionRequest struct {
	ContactUUID string `json:"contact_uuid"`
	ShopUUID    string `json:"shop_uuid"`
	// UnitValue is what the points are earned on by the account's earning rule: for
	// DefaultLoyaltyUnit, the money spent in major units (UnitValueFromCents).
	UnitValue UnitValue `json:"unit_value,omitzero"`
	// UnitName defaults to DefaultLoyaltyUnit.
	UnitName string `json:"unit_name,omitempty"`
	// Credits gives a fixed number of points instead.
	Credits int64 `json:"credits,omitempty"`
}

// CreateCreditReception GIVES POINTS to a contact. It fails with CodeContactNotFound,
// CodeShopNotFound, CodeUnitNotFound or CodeInvalidInput. Leat has no key to find a credit
// reception by, so on ErrOutcomeUnknown compare the contact's balance with the balance before
// the call before crediting again: a blind retry may credit twice.
func (c *Client) CreateCreditReception(ctx context.Context, req CreateCreditReceptionRequest) (*CreditReception, error) {
	if err := checkAward(req.UnitName, req.UnitValue, req.Credits); err != nil {
		return nil, err
	}
	return fetch[CreditReception](ctx, c, post("/credit-receptions").body(req))
}

// ReverseCreditReception TAKES THE POINTS BACK: it creates the opposite credit reception and
// returns it. It fails with CodeModelNotFound for an unknown uuid and CodeInsufficientCredits
// when the contact has spent the points. Leat does not document what reversing twice does:
// it may refuse (CodeInvalidInput) or take the points again. So on ErrOutcomeUnknown check the
// contact's balance before reversing again; never retry blindly.
func (c *Client) ReverseCreditReception(ctx context.Context, creditReceptionUUID string) (*CreditReception, error) {
	return fetch[CreditReception](ctx, c, post("/credit-receptions/%s/reverse", creditReceptionUUID))
}
