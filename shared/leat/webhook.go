package leat

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// SignatureHeader is the header in which Leat signs webhook deliveries.
const SignatureHeader = "Signature"

// ErrInvalidSignature matches every webhook that fails verification.
var ErrInvalidSignature = errors.New("leat: invalid webhook signature")

// WebhookEvent is a webhook delivery: {"type": "<event type>", "data": {…}}. The data of
// each event type is undocumented and often names related objects by uuid only.
type WebhookEvent struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// SignWebhook returns the signature Leat sends for body: the lowercase hex HMAC-SHA256 of
// the raw body, keyed with the subscription secret (or the account secret when the
// subscription has none).
func SignWebhook(secret string, body []byte) string {
	return hex.EncodeToString(webhookMAC(secret, body))
}

func webhookMAC(secret string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return mac.Sum(nil)
}

// VerifyWebhook checks the Signature header against the raw request body, in constant time,
// and decodes the event. Pass the body exactly as received: Leat signs PHP's JSON encoding
// (escaped slashes and unicode), which re-encoding would change.
func VerifyWebhook(secret string, header http.Header, body []byte) (*WebhookEvent, error) {
	if secret == "" {
		// An empty key is no secret: anyone could sign with it.
		return nil, fmt.Errorf("%w: no secret configured", ErrInvalidSignature)
	}
	signature := strings.TrimSpace(header.Get(SignatureHeader))
	if signature == "" {
		return nil, fmt.Errorf("%w: missing %s header", ErrInvalidSignature, SignatureHeader)
	}
	given, err := hex.DecodeString(signature)
	if err != nil {
		return nil, fmt.Errorf("%w: %s header is not hex", ErrInvalidSignature, SignatureHeader)
	}
	if !hmac.Equal(given, webhookMAC(secret, body)) {
		return nil, fmt.Errorf("%w: signature does not match", ErrInvalidSignature)
	}
	var event WebhookEvent
	if err := json.Unmarshal(body, &event); err != nil {
		return nil, fmt.Errorf("leat: decode webhook: %w", err)
	}
	return &event, nil
}
