package leat

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestRewardCustomAttributes(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Attributes
	}{
		{
			name: "strings, numbers, booleans, null and nested values",
			json: `{"id":3,"uuid":"r1","title":"Kelp Shake","type":"PHYSICAL","reward_type":"PHYSICAL","is_active":true,
				"description":null,"required_credits":75,"media":{"type":"image","value":"https://x/y.png"},
				"pre_redeemable":true,"expiration_duration":6307200,"stock":null,"cost_price":1.5,"active":true,
				"mypos_discount_type":"free_item","mypos_product_code":"SKU-1,SKU-2","mypos_discount_value":12.50,
				"mypos_stackable":false,"mypos_unset":"","mypos_missing":null,"mypos_options":{"a": [1, 2]}}`,
			want: Attributes{
				"mypos_discount_type":  "free_item",
				"mypos_product_code":   "SKU-1,SKU-2",
				"mypos_discount_value": "12.50",
				"mypos_stackable":      "false",
				"mypos_unset":          "",
				"mypos_missing":        "",
				"mypos_options":        `{"a":[1,2]}`,
			},
		},
		{
			name: "no custom attributes",
			json: `{"uuid":"r1","title":"Shake","reward_type":"DIGITAL","required_credits":10}`,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reward Reward
			if err := json.Unmarshal([]byte(tt.json), &reward); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(reward.Attributes, tt.want) {
				t.Errorf("Attributes = %#v\nwant %#v", reward.Attributes, tt.want)
			}
		})
	}

	var reward Reward
	if err := json.Unmarshal([]byte(tests[0].json), &reward); err != nil {
		t.Fatal(err)
	}
	want := Reward{
		ID: 3, UUID: "r1", Title: "Kelp Shake", RequiredCredits: 75, Media: &Media{Type: "image", Value: "https://x/y.png"},
		Type: RewardPhysical, IsActive: true, PreRedeemable: true, ExpirationSeconds: 6307200, Attributes: reward.Attributes,
	}
	if !reflect.DeepEqual(reward, want) {
		t.Errorf("known fields = %+v\nwant %+v", reward, want)
	}
}

func TestAttributesAcceptPHPShapes(t *testing.T) {
	tests := map[string]Attributes{
		`{}`:                       {},
		`[]`:                       nil,
		`null`:                     nil,
		`{"a":"x","b":3,"c":true}`: {"a": "x", "b": "3", "c": "true"},
	}
	for input, want := range tests {
		var got Attributes
		if err := json.Unmarshal([]byte(input), &got); err != nil {
			t.Errorf("%s: %v", input, err)
			continue
		}
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: got %#v, want %#v", input, got, want)
		}
	}
	var got Attributes
	if err := json.Unmarshal([]byte(`["not","a","map"]`), &got); err == nil {
		t.Error("a non-empty array was accepted")
	}
}

func TestGiftcardTransactionCustomAttributes(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Attributes
	}{
		{"none", `{"uuid":"t1","amount_in_cents":-100,"settlements":[]}`, nil},
		{"nested object", `{"uuid":"t1","custom_attributes":{"gateway_step":"s-1"},"settlements":[]}`, Attributes{"gateway_step": "s-1"}},
		{"nested empty array", `{"uuid":"t1","custom_attributes":[]}`, nil},
		{"flattened", `{"uuid":"t1","gateway_step":"s-1","settlements":[{"id":1}]}`, Attributes{"gateway_step": "s-1"}},
		{"both", `{"uuid":"t1","custom_attributes":{"a":"1"},"b":2}`, Attributes{"a": "1", "b": "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tx GiftcardTransaction
			if err := json.Unmarshal([]byte(tt.json), &tx); err != nil {
				t.Fatal(err)
			}
			if tx.UUID != "t1" || !reflect.DeepEqual(tx.CustomAttributes, tt.want) {
				t.Errorf("got %+v, want attributes %#v", tx, tt.want)
			}
		})
	}
}

func TestFlexInt(t *testing.T) {
	for input, want := range map[string]flexInt{`30`: 30, `"30"`: 30, `null`: 0, `""`: 0} {
		var got flexInt
		if err := json.Unmarshal([]byte(input), &got); err != nil || got != want {
			t.Errorf("%s: got %d, %v; want %d", input, got, err, want)
		}
	}
	var got flexInt
	if err := json.Unmarshal([]byte(`"thirty"`), &got); err == nil {
		t.Error(`"thirty" was accepted`)
	}
}
