package leat

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultLoyaltyUnit is the unit a Loyalty Token awards points for when none is given.
const DefaultLoyaltyUnit = "purchase_amount"

// UnitValue is a loyalty unit amount written as an exact decimal, never through a float.
type UnitValue struct{ text string }

// UnitValueFromCents writes an amount of money in cents as major units with exactly two
// decimals: 1040 → "10.40", 1000 → "10.00", 5 → "0.05", -250 → "-2.50". Use it for
// purchase_amount.
func UnitValueFromCents(cents int64) UnitValue {
	sign, magnitude := "", uint64(cents)
	if cents < 0 {
		// Negating in uint64 is exact even for math.MinInt64.
		sign, magnitude = "-", -magnitude
	}
	return UnitValue{fmt.Sprintf("%s%d.%02d", sign, magnitude/100, magnitude%100)}
}

// UnitValueFromInt writes a whole number of units without decimals: 10 → "10". Use it for
// units that are counts rather than money.
func UnitValueFromInt(units int64) UnitValue {
	return UnitValue{strconv.FormatInt(units, 10)}
}

// String returns the decimal text.
func (v UnitValue) String() string { return v.text }

// IsZero reports whether v was never set.
func (v UnitValue) IsZero() bool { return v.text == "" }

// MarshalJSON writes the value as a JSON number with exactly its decimal text.
func (v UnitValue) MarshalJSON() ([]byte, error) {
	if v.text == "" {
		return []byte("null"), nil
	}
	return []byte(v.text), nil
}

// LoyaltyToken describes a points claim a customer can make later, for example through a QR
// code on the receipt. Building its URL needs no API call.
type LoyaltyToken struct {
	ShopUUID string
	// UniqueID must be unique over all tokens (the POS order id, for example); Leat refuses a
	// second claim with the same id.
	UniqueID  string
	Timestamp time.Time
	// UnitName defaults to DefaultLoyaltyUnit.
	UnitName  string
	UnitValue UnitValue
}

// URL returns the claim URL on the contacts portal at portalBaseURL (for example
// "https://acme.piggy.eu"), signed with the account secret:
//
//	<portal>/l?version=v3&shop_uuid=…&unique_id=…&timestamp=…&unit_name=…&unit_value=…&hash=…
//
// where hash is the lowercase hex SHA-1 of the same query string, without hash, followed by
// "&secret=<account secret>". Leat specifies no escaping for the signed string, so the
// identifiers and unit name must consist of letters, digits and "-._~", which need none.
func (t LoyaltyToken) URL(portalBaseURL, accountSecret string) (string, error) {
	base, err := url.Parse(portalBaseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return "", fmt.Errorf("%w: loyalty token portal URL %q must be an http(s) URL without query", ErrInvalidArgument, portalBaseURL)
	}
	unitName := t.UnitName
	if unitName == "" {
		unitName = DefaultLoyaltyUnit
	}
	for _, field := range []struct{ name, value string }{
		{"shop uuid", t.ShopUUID},
		{"unique id", t.UniqueID},
		{"unit name", unitName},
	} {
		if !isUnreserved(field.value) {
			return "", fmt.Errorf("%w: loyalty token %s %q must be non-empty and use only letters, digits and -._~", ErrInvalidArgument, field.name, field.value)
		}
	}
	if t.Timestamp.IsZero() || t.UnitValue.IsZero() || accountSecret == "" {
		return "", fmt.Errorf("%w: loyalty token needs a timestamp, a unit value and the account secret", ErrInvalidArgument)
	}

	query := "version=v3" +
		"&shop_uuid=" + t.ShopUUID +
		"&unique_id=" + t.UniqueID +
		"&timestamp=" + strconv.FormatInt(t.Timestamp.Unix(), 10) +
		"&unit_name=" + unitName +
		"&unit_value=" + t.UnitValue.String()
	sum := sha1.Sum([]byte(query + "&secret=" + accountSecret))
	return strings.TrimRight(base.String(), "/") + "/l?" + query + "&hash=" + hex.EncodeToString(sum[:]), nil
}

func isUnreserved(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', strings.ContainsRune("-._~", r):
		default:
			return false
		}
	}
	return true
}
