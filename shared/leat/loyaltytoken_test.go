package leat

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"
)

func TestLoyaltyTokenURLReproducesLeatTestVector(t *testing.T) {
	token := LoyaltyToken{
		ShopUUID:  "abcde-1235-hijkl-1i2k3",
		UniqueID:  "my_unique_id",
		Timestamp: time.Unix(1646314054, 0),
		UnitValue: UnitValueFromInt(10),
	}
	got, err := token.URL("https://acme.piggy.eu/", "very_secret")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://acme.piggy.eu/l?version=v3&shop_uuid=abcde-1235-hijkl-1i2k3&unique_id=my_unique_id" +
		"&timestamp=1646314054&unit_name=purchase_amount&unit_value=10&hash=60585d543ff8bbd07ad9798b44241981b4e2d423"
	if got != want {
		t.Errorf("URL =\n %s\nwant\n %s", got, want)
	}
}

func TestLoyaltyTokenURLSignsWhatItShows(t *testing.T) {
	token := LoyaltyToken{ShopUUID: "s1", UniqueID: "order-7", Timestamp: time.Unix(1700000000, 0), UnitName: "visits", UnitValue: UnitValueFromCents(1040)}
	got, err := token.URL("https://acme.com", "s3cr3t")
	if err != nil {
		t.Fatal(err)
	}
	// The hash is sha1sum of
	// "version=v3&shop_uuid=s1&unique_id=order-7&timestamp=1700000000&unit_name=visits&unit_value=10.40&secret=s3cr3t".
	want := "https://acme.com/l?version=v3&shop_uuid=s1&unique_id=order-7&timestamp=1700000000&unit_name=visits&unit_value=10.40" +
		"&hash=2e6160bf70f8463bf8d3aecde24dcc1e3803eb6b"
	if got != want {
		t.Errorf("URL =\n %s\nwant\n %s", got, want)
	}
}

func TestLoyaltyTokenURLRejectsIncompleteOrAmbiguousTokens(t *testing.T) {
	valid := LoyaltyToken{ShopUUID: "s1", UniqueID: "o1", Timestamp: time.Unix(1, 0), UnitValue: UnitValueFromInt(1)}
	tests := map[string]struct {
		mutate func(*LoyaltyToken)
		base   string
		secret string
	}{
		"no shop":             {func(t *LoyaltyToken) { t.ShopUUID = "" }, "https://p", "s"},
		"ampersand in id":     {func(t *LoyaltyToken) { t.UniqueID = "a&secret=x" }, "https://p", "s"},
		"space in unit name":  {func(t *LoyaltyToken) { t.UnitName = "purchase amount" }, "https://p", "s"},
		"no timestamp":        {func(t *LoyaltyToken) { t.Timestamp = time.Time{} }, "https://p", "s"},
		"no unit value":       {func(t *LoyaltyToken) { t.UnitValue = UnitValue{} }, "https://p", "s"},
		"no secret":           {func(*LoyaltyToken) {}, "https://p", ""},
		"relative portal URL": {func(*LoyaltyToken) {}, "acme.com", "s"},
		"portal URL w/ query": {func(*LoyaltyToken) {}, "https://p?x=1", "s"},
	}
	for name, tt := range tests {
		token := valid
		tt.mutate(&token)
		if _, err := token.URL(tt.base, tt.secret); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

func TestUnitValueFormatting(t *testing.T) {
	tests := []struct {
		value UnitValue
		want  string
	}{
		{UnitValueFromCents(1040), "10.40"},
		{UnitValueFromCents(1000), "10.00"},
		{UnitValueFromCents(5), "0.05"},
		{UnitValueFromCents(0), "0.00"},
		{UnitValueFromCents(-250), "-2.50"},
		{UnitValueFromCents(math.MinInt64), "-92233720368547758.08"},
		{UnitValueFromInt(10), "10"},
		{UnitValueFromInt(-3), "-3"},
	}
	for _, tt := range tests {
		if got := tt.value.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
		encoded, err := json.Marshal(tt.value)
		if err != nil || string(encoded) != tt.want {
			t.Errorf("JSON %s, %v; want the number %s", encoded, err, tt.want)
		}
	}
}
