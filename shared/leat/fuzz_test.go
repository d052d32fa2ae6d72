package leat

import (
	"net/http"
	"testing"
)

// FuzzResponses decodes any body as Leat's success envelope around the
// types the gateway reads, and as Leat's error body: an error or a value,
// never a panic.
func FuzzResponses(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"uuid":"u","amount_in_cents":-100,"custom_attributes":{"lpg_step":"x"},"lpg_step":"y"}}`,
		`{"data":{"uuid":"r","title":"Coffee","required_credits":100,"custom_attributes":{"pos_discount":"free"}}}`,
		`{"data":[{"uuid":"c"}],"meta":{"current_page":1,"last_page":2}}`,
		`{"data":{"unit_value":"1.5"},"meta":[]}`,
		`{"message":"Invalid","code":"1003","errors":{"email":["The email is invalid."]}}`,
		`{"message":"x","code":1003,"errors":["a","b"]}`,
		`{"data":null}`, `{}`, `[]`, `nul`, "\x00",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, out := range []any{&GiftcardTransaction{}, &Reward{}, &[]Contact{}, &CreditReception{}, &Order{}, &Giftcard{}} {
			_ = decodeBody(request{out: out, meta: &pageMeta{}}, body)
		}
		if e := decodeAPIError(http.StatusBadRequest, body); e == nil || e.StatusCode != http.StatusBadRequest {
			t.Fatalf("error body %q read as %+v", body, e)
		}
	})
}
