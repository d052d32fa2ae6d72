package leat

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// TestCreditAndTokenEndpoints checks what the credit reception and loyalty token calls send, and
// how a credit reception decodes.
func TestCreditAndTokenEndpoints(t *testing.T) {
	ctx := context.Background()
	const reception = `{"type":"credit_reception","uuid":"cr1","credits":10,"contact":{"uuid":"c1","email":"a@b.c","credit_balance":{"balance":110}},
		"shop":{"uuid":"s1"},"channel":"API","created_at":"2024-01-01T10:00:00+00:00",
		"unit":{"id":1,"name":"purchase_amount","label":"Purchase amount","prefix":"€","is_default":true},"unit_value":10.40}`
	tests := []struct {
		name  string
		call  func(c *Client) (any, error)
		data  string
		path  string
		body  string
		check func(t *testing.T, got any)
	}{
		{
			name: "credit reception on a purchase",
			call: func(c *Client) (any, error) {
				return c.CreateCreditReception(ctx, CreateCreditReceptionRequest{ContactUUID: "c1", ShopUUID: "s1", UnitValue: UnitValueFromCents(1040)})
			},
			data: reception, path: "/credit-receptions",
			body: `{"contact_uuid":"c1","shop_uuid":"s1","unit_value":10.40}`,
			check: func(t *testing.T, got any) {
				cr := got.(*CreditReception)
				if cr.Credits != 10 || cr.Contact.CreditBalance.Balance != 110 || cr.Unit == nil || cr.Unit.Name != DefaultLoyaltyUnit ||
					cr.UnitValue.String() != "10.40" || cr.Channel != "API" {
					t.Errorf("got %+v", cr)
				}
			},
		},
		{
			name: "credit reception of fixed credits",
			call: func(c *Client) (any, error) {
				return c.CreateCreditReception(ctx, CreateCreditReceptionRequest{ContactUUID: "c1", ShopUUID: "s1", Credits: 25})
			},
			data: `{"uuid":"cr2","credits":25,"unit":null,"unit_value":null}`, path: "/credit-receptions",
			body:  `{"contact_uuid":"c1","shop_uuid":"s1","credits":25}`,
			check: func(t *testing.T, got any) { wantZeroUnit(t, got.(*CreditReception)) },
		},
		{
			name:  "reverse credit reception",
			call:  func(c *Client) (any, error) { return c.ReverseCreditReception(ctx, "cr1") },
			data:  `{"uuid":"cr3","credits":-10,"unit_value":"10.40"}`,
			path:  "/credit-receptions/cr1/reverse",
			check: func(t *testing.T, got any) { wantValue("10.40")(t, got.(*CreditReception).UnitValue.String()) },
		},
		{
			name: "loyalty token, version by default",
			call: func(c *Client) (any, error) {
				return c.CreateLoyaltyToken(ctx, CreateLoyaltyTokenRequest{ShopUUID: "s1", UniqueID: "o1", UnitValue: UnitValueFromCents(999)})
			},
			data: `"https://acme.com/l?version=v3"`, path: "/loyalty-tokens",
			body:  `{"version":"v3","shop_uuid":"s1","unique_id":"o1","unit_value":9.99}`,
			check: wantValue("https://acme.com/l?version=v3"),
		},
		{
			name: "claim loyalty token",
			call: func(c *Client) (any, error) {
				return c.ClaimLoyaltyToken(ctx, ClaimLoyaltyTokenRequest{Version: "v3", ShopUUID: "s1", UniqueID: "o1", Timestamp: 1700000000,
					Credits: 5, Hash: "h", ContactUUID: "c1"})
			},
			data: `{"uuid":"cr4","credits":5}`, path: "/loyalty-tokens/claim",
			body: `{"version":"v3","shop_uuid":"s1","unique_id":"o1","timestamp":1700000000,"credits":5,"hash":"h","contact_uuid":"c1"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leat := newFakeLeat(t, reply{body: `{"data":` + tt.data + `,"meta":[]}`})
			c, _ := newTestClient(t, leat.URL)
			got, err := tt.call(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			sent := leat.seen()
			if len(sent) != 1 || sent[0].method != "POST" || sent[0].path != apiRoot+tt.path {
				t.Fatalf("sent %+v, want one POST %s", sent, tt.path)
			}
			if tt.body != "" && !reflect.DeepEqual(decodeJSON(t, sent[0].body), decodeJSON(t, tt.body)) {
				t.Errorf("sent body\n %s\nwant\n %s", sent[0].body, tt.body)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func wantZeroUnit(t *testing.T, cr *CreditReception) {
	t.Helper()
	if cr.Unit != nil || !cr.UnitValue.IsZero() {
		t.Errorf("fixed credits decoded with unit %+v, value %q", cr.Unit, cr.UnitValue)
	}
}

// Creating a token moves nothing, so a lost answer is asked again; claiming one moves points, so
// a lost answer is the caller's unknown outcome.
func TestLoyaltyTokenCallsRetryOnlyWhatMovesNothing(t *testing.T) {
	ctx := context.Background()
	leat := newFakeLeat(t, reply{drop: true}, reply{body: `{"data":"https://acme.com/l?x","meta":[]}`})
	c, _ := newTestClient(t, leat.URL)
	if _, err := c.CreateLoyaltyToken(ctx, CreateLoyaltyTokenRequest{ShopUUID: "s1", UniqueID: "o1", Credits: 5}); err != nil || len(leat.seen()) != 2 {
		t.Fatalf("CreateLoyaltyToken after a dropped answer: %v after %d requests, want success on the second", err, len(leat.seen()))
	}

	leat = newFakeLeat(t, reply{drop: true})
	c, _ = newTestClient(t, leat.URL)
	_, err := c.ClaimLoyaltyToken(ctx, ClaimLoyaltyTokenRequest{Version: "v3", ShopUUID: "s1", UniqueID: "o1", Timestamp: 1, Credits: 5, Hash: "h", ContactUUID: "c1"})
	if !errors.Is(err, ErrOutcomeUnknown) || len(leat.seen()) != 1 {
		t.Fatalf("ClaimLoyaltyToken after a dropped answer: %v after %d requests, want ErrOutcomeUnknown after one", err, len(leat.seen()))
	}
}

func TestAwardsAreRefusedBeforeSending(t *testing.T) {
	leat := newFakeLeat(t, reply{body: `{"data":{}}`})
	c, _ := newTestClient(t, leat.URL)
	ctx := context.Background()
	calls := map[string]func() error{
		"reception without award": func() error {
			return errOf(c.CreateCreditReception(ctx, CreateCreditReceptionRequest{ContactUUID: "c1", ShopUUID: "s1"}))
		},
		"token with both": func() error {
			return errOf(c.CreateLoyaltyToken(ctx, CreateLoyaltyTokenRequest{ShopUUID: "s1", UniqueID: "o1", Credits: 1, UnitValue: UnitValueFromInt(1)}))
		},
		"claim with negative credits": func() error {
			return errOf(c.ClaimLoyaltyToken(ctx, ClaimLoyaltyTokenRequest{ShopUUID: "s1", UniqueID: "o1", Credits: -1}))
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if sent := leat.seen(); len(sent) != 0 {
		t.Fatalf("sent %d requests", len(sent))
	}
}

func errOf[T any](_ T, err error) error { return err }

func TestUnitValueDecodes(t *testing.T) {
	for raw, want := range map[string]string{`10.40`: "10.40", `"7.5"`: "7.5", `null`: "", `-2`: "-2"} {
		var v UnitValue
		if err := v.UnmarshalJSON([]byte(raw)); err != nil || v.String() != want {
			t.Errorf("UnmarshalJSON(%s) = %q, %v; want %q", raw, v.String(), err, want)
		}
	}
	for _, raw := range []string{`1e3`, `"ten"`, `true`, `"1."`} {
		var v UnitValue
		if err := v.UnmarshalJSON([]byte(raw)); err == nil {
			t.Errorf("UnmarshalJSON(%s) = %q, want an error", raw, v.String())
		}
	}
}
