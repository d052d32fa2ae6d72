package leat

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestVerifyWebhook(t *testing.T) {
	const secret = "whsec"
	// PHP's json_encode escapes slashes and non-ASCII; verification must use these exact bytes.
	body := []byte(`{"type":"voucher_redeemed","data":{"uuid":"v1","url":"https:\/\/x\/y","name":"Caf\u00e9"}}`)
	signature := SignWebhook(secret, body)

	tests := []struct {
		name      string
		secret    string
		signature string
		body      []byte
		wantErr   bool
	}{
		{"valid", secret, signature, body, false},
		{"valid, uppercase hex and spaces", secret, "  " + strings.ToUpper(signature) + " ", body, false},
		{"tampered body", secret, signature, []byte(strings.Replace(string(body), "v1", "v2", 1)), true},
		{"re-encoded body", secret, signature, []byte(`{"type":"voucher_redeemed","data":{"uuid":"v1","url":"https://x/y","name":"Café"}}`), true},
		{"wrong secret", "other", signature, body, true},
		{"empty secret", "", SignWebhook("", body), body, true},
		{"missing header", secret, "", body, true},
		{"not hex", secret, "zz" + signature[2:], body, true},
		{"truncated", secret, signature[:40], body, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			if tt.signature != "" {
				header.Set(SignatureHeader, tt.signature)
			}
			event, err := VerifyWebhook(tt.secret, header, tt.body)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidSignature) || event != nil {
					t.Fatalf("err = %v, want ErrInvalidSignature", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if event.Type != "voucher_redeemed" || !strings.Contains(string(event.Data), `"uuid":"v1"`) {
				t.Errorf("event = %+v", event)
			}
		})
	}
}

func TestSignWebhookIsLowercaseHexHMACSHA256(t *testing.T) {
	// RFC 4231 test case 2.
	got := SignWebhook("Jefe", []byte("what do ya want for nothing?"))
	if want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"; got != want {
		t.Errorf("SignWebhook = %s, want %s", got, want)
	}
}
