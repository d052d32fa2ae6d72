package leatsandbox_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loyaltyToken asks the sandbox for a loyalty token URL; body adds unique_id and unit_value or credits.
func (l *leat) loyaltyToken(body map[string]any) string {
	l.t.Helper()
	request := map[string]any{"version": "v3", "shop_uuid": l.shop().UUID}
	for key, value := range body {
		request[key] = value
	}
	return l.call("POST", "/loyalty-tokens", request).ok().str("data")
}

// claimBody is the body of POST /loyalty-tokens/claim for a token URL: its query fields plus the contact.
func claimBody(t *testing.T, tokenURL, contactUUID string) map[string]any {
	t.Helper()
	u, err := url.Parse(tokenURL)
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"contact_uuid": contactUUID}
	for key, values := range u.Query() {
		body[key] = values[0]
	}
	return body
}

func TestLoyaltyTokenURLIsSignedWithTheAccountSecret(t *testing.T) {
	l := start(t)
	account := l.seed.Account
	tokenURL := l.loyaltyToken(map[string]any{"unique_id": "ORDER-1", "unit_value": json.Number("10.40")})

	base, query, found := strings.Cut(tokenURL, "?")
	if !found || base != account.ContactsPortalURL+"/l" {
		t.Fatalf("token URL %s is not on %s/l", tokenURL, account.ContactsPortalURL)
	}
	signed, hash, found := strings.Cut(query, "&hash=")
	wantPrefix := "version=v3&shop_uuid=" + l.shop().UUID + "&unique_id=ORDER-1&timestamp="
	if !found || !strings.HasPrefix(signed, wantPrefix) || !strings.HasSuffix(signed, "&unit_name=purchase_amount&unit_value=10.40") {
		t.Fatalf("query %s is not in Leat's order", query)
	}
	sum := sha1.Sum([]byte(signed + "&secret=" + account.AccountSecret))
	if hash != hex.EncodeToString(sum[:]) {
		t.Fatalf("hash %s is not the SHA-1 of the query and the account secret", hash)
	}
	stamp, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(signed, wantPrefix), "&unit_name=purchase_amount&unit_value=10.40"), 10, 64)
	if now := l.server.Sandbox.Clock().Now(); err != nil || time.Unix(stamp, 0).After(now) || now.Sub(time.Unix(stamp, 0)) > time.Minute {
		t.Fatalf("timestamp %d is not the sandbox's now (%v)", stamp, err)
	}
}

func TestLoyaltyTokenClaimCreditsOnce(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	rate := l.seed.Account.PointsPerCurrencyUnit
	tests := []struct {
		name   string
		token  map[string]any
		points int64
	}{
		{"purchase amount", map[string]any{"unique_id": "ORDER-UNIT", "unit_value": "23.95"}, 23 * rate},
		{"fixed credits, shop named shop_id", map[string]any{"unique_id": "ORDER-CREDITS", "credits": 15, "shop_id": l.shop().UUID}, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			body := claimBody(t, l.loyaltyToken(tt.token), contact.UUID)
			before := l.points(contact.UUID)

			claimed := l.call("POST", "/loyalty-tokens/claim", body).ok()
			if claimed.str("data.type") != "credit_reception" || claimed.int("data.credits") != tt.points ||
				claimed.int("data.contact.credit_balance.balance") != before+tt.points {
				t.Fatalf("claim: %s", claimed.raw)
			}
			l.call("POST", "/loyalty-tokens/claim", body).fails(1034)
			if got := l.points(contact.UUID); got != before+tt.points {
				t.Fatalf("balance %d, want %d: credited once", got, before+tt.points)
			}
		})
	}
}

func TestLoyaltyTokenClaimRefusals(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	valid := claimBody(t, l.loyaltyToken(map[string]any{"unique_id": "ORDER-REFUSED", "unit_value": "10.00"}), contact.UUID)
	with := func(changes map[string]any) map[string]any {
		body := map[string]any{}
		for key, value := range valid {
			body[key] = value
		}
		for key, value := range changes {
			body[key] = value
		}
		return body
	}
	tests := []struct {
		name  string
		body  map[string]any
		field string // for 1003
		code  int
	}{
		{"wrong hash", with(map[string]any{"hash": strings.Repeat("0", 40)}), "hash", 1003},
		{"amount changed after signing", with(map[string]any{"unit_value": "100.00"}), "hash", 1003},
		{"no hash", with(map[string]any{"hash": ""}), "hash", 1003},
		{"no contact", with(map[string]any{"contact_uuid": ""}), "contact_uuid", 1003},
		{"unknown contact", with(map[string]any{"contact_uuid": unknownUUID}), "", 55031},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			before := l.points(contact.UUID)
			a := l.call("POST", "/loyalty-tokens/claim", tt.body)
			if tt.field != "" {
				a.invalid(tt.field)
			} else {
				a.fails(tt.code)
			}
			if l.points(contact.UUID) != before {
				t.Fatal("a refused claim changed the balance")
			}
		})
	}
	// None of the refusals used the token up.
	l.call("POST", "/loyalty-tokens/claim", valid).ok()
}

func TestLoyaltyTokenCreationRefusals(t *testing.T) {
	l := start(t)
	tests := []struct {
		name  string
		body  map[string]any
		field string // for 1003
		code  int
	}{
		{"v1 takes credits", map[string]any{"version": "v1", "unique_id": "T1", "unit_value": "1.00"}, "", 60018},
		{"v2 takes units", map[string]any{"version": "v2", "unique_id": "T2", "credits": 5}, "", 60019},
		{"unknown version", map[string]any{"version": "v9", "unique_id": "T3", "credits": 5}, "version", 1003},
		{"unknown unit", map[string]any{"unique_id": "T4", "unit_value": "1.00", "unit_name": "visits"}, "", 60007},
		{"unknown shop", map[string]any{"unique_id": "T5", "credits": 5, "shop_uuid": unknownUUID}, "", 1008},
		{"no shop", map[string]any{"unique_id": "T6", "credits": 5, "shop_uuid": ""}, "shop_uuid", 1003},
		{"unique id needing escapes", map[string]any{"unique_id": "A&B", "credits": 5}, "unique_id", 1003},
		{"no award", map[string]any{"unique_id": "T7"}, "unit_value", 1003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			body := map[string]any{"version": "v3", "shop_uuid": l.shop().UUID}
			for key, value := range tt.body {
				body[key] = value
			}
			a := l.call("POST", "/loyalty-tokens", body)
			if tt.field != "" {
				a.invalid(tt.field)
			} else {
				a.fails(tt.code)
			}
		})
	}
}
