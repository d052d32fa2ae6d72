package leatsandbox_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func TestAuthentication(t *testing.T) {
	l := start(t)
	account := l.seed.Account

	t.Run("no token", func(t *testing.T) {
		a := l.withToken(t, "").call("GET", "/shops", nil)
		if a.status != http.StatusUnauthorized || a.str("message") != "Unauthenticated." {
			t.Fatalf("got %d %s", a.status, a.raw)
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		if a := l.withToken(t, "not-a-token").call("GET", "/shops", nil); a.status != http.StatusUnauthorized {
			t.Fatalf("got %d %s", a.status, a.raw)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		a := l.form("POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {account.OAuthClientID}, "client_secret": {"wrong"}})
		if a.status != http.StatusUnauthorized || a.str("error") != "invalid_client" {
			t.Fatalf("got %d %s", a.status, a.raw)
		}
	})
	t.Run("client credentials token works until it expires", func(t *testing.T) {
		a := l.form("POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {account.OAuthClientID}, "client_secret": {account.OAuthClientSecret}})
		if a.status != http.StatusOK || a.str("token_type") != "Bearer" || a.int("expires_in") != account.OAuthTokenLifetimeSeconds {
			t.Fatalf("got %d %s", a.status, a.raw)
		}
		if _, enveloped := a.body["data"]; enveloped {
			t.Fatalf("the token answer has no envelope: %s", a.raw)
		}
		client := l.withToken(t, a.str("access_token"))
		client.call("GET", "/shops", nil).ok()
		client.advance(time.Duration(account.OAuthTokenLifetimeSeconds+1) * time.Second)
		if a := client.call("GET", "/shops", nil); a.status != http.StatusUnauthorized {
			t.Fatalf("expired token accepted: %d %s", a.status, a.raw)
		}
	})
}

// Leat's PHP serialisation sends an empty meta as [] on single resources and as {} on lists.
func TestMetaIsArrayOrObject(t *testing.T) {
	l := start(t)
	tests := []struct {
		path string
		meta string
	}{
		{"/shops", `"meta":{}`},
		{"/rewards", `"meta":{}`},
		{"/tiers", `"meta":{}`},
		{"/shops/" + l.shop().UUID, `"meta":[]`},
		{"/contacts/" + l.richContact().UUID, `"meta":[]`},
		{"/contact-identifiers/find?contact_identifier_value=" + l.seed.LoyaltyCards[0].Value, `"meta":[]`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			l := l.with(t)
			if a := l.call("GET", tt.path, nil).ok(); !bytes.Contains(a.raw, []byte(tt.meta)) {
				t.Fatalf("want %s in %s", tt.meta, a.raw)
			}
		})
	}
}

func TestTransportShape(t *testing.T) {
	l := start(t)

	a := l.call("GET", "/shops", nil).ok()
	for _, header := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining"} {
		if a.header.Get(header) == "" {
			t.Errorf("missing %s", header)
		}
	}
	if a.header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
	}

	l.call("GET", "/", nil).ok() // health check

	if a := l.call("GET", "/no-such-thing", nil); a.status != http.StatusNotFound {
		t.Errorf("unknown route: %d %s", a.status, a.raw)
	}
	if a := l.call("DELETE", "/shops", nil); a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "GET" {
		t.Errorf("wrong method: %d %s %v", a.status, a.raw, a.header)
	}
	// The SDK sends some paths with a trailing slash; Laravel ignores it.
	l.call("GET", "/shops/", nil).ok()
}

// Every body encoding Leat accepts reads the same, bracket notation included.
func TestBodyEncodings(t *testing.T) {
	l := start(t)
	card := pick(t, "a loaded giftcard", l.seed.Giftcards, func(g leatsandbox.SeedGiftcard) bool {
		return g.Active && g.AmountInCents > 0 && g.ExpirationDate != nil && g.ExpirationDate.After(time.Now())
	})
	shop := l.shop().UUID

	tests := []struct {
		name string
		send func(l *leat) answer
	}{
		{"json", func(l *leat) answer {
			return l.call("POST", "/giftcard-transactions", map[string]any{"giftcard_uuid": card.UUID,
				"amount_in_cents": -100, "shop_uuid": shop, "custom_attributes": map[string]any{"step": "json"}})
		}},
		{"json with numeric strings", func(l *leat) answer {
			return l.call("POST", "/giftcard-transactions", map[string]any{"giftcard_uuid": card.UUID,
				"amount_in_cents": "-100", "shop_uuid": shop, "custom_attributes": map[string]any{"step": "json"}})
		}},
		{"urlencoded", func(l *leat) answer {
			return l.form("POST", "/giftcard-transactions", url.Values{"giftcard_uuid": {card.UUID},
				"amount_in_cents": {"-100"}, "shop_uuid": {shop}, "custom_attributes[step]": {"urlencoded"}})
		}},
		{"multipart", func(l *leat) answer {
			return l.multipart("POST", "/giftcard-transactions", map[string]string{"giftcard_uuid": card.UUID,
				"amount_in_cents": "-100", "shop_uuid": shop, "custom_attributes[step]": "multipart"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.send(l.with(t)).ok()
			if a.int("data.amount_in_cents") != -100 || a.str("data.custom_attributes.step") == "" {
				t.Fatalf("body not read: %s", a.raw)
			}
		})
	}

	t.Run("form lists in bracket notation", func(t *testing.T) {
		l := l.with(t)
		contact := l.richContact()
		a := l.form("POST", "/orders/create-and-process", url.Values{
			"external_identifier":                         {"FORM-ORDER-1"},
			"status":                                      {"COMPLETED"},
			"payment_status":                              {"PAID"},
			"total_order_amount":                          {"1250"},
			"contact[uuid]":                               {contact.UUID},
			"business_profile[uuid]":                      {shop},
			"line_items[0][external_identifier]":          {"L1"},
			"line_items[0][name]":                         {"Tea"},
			"line_items[0][quantity]":                     {"1"},
			"line_items[0][price]":                        {"1250"},
			"line_items[0][total_amount]":                 {"1250"},
			"line_items[0][product][external_identifier]": {"TEA"},
		}).ok()
		if a.str("data.order.line_items.0.name") != "Tea" || a.int("data.result.data.points") != 12*l.seed.Account.PointsPerCurrencyUnit {
			t.Fatalf("form order not read: %s", a.raw)
		}
	})

	t.Run("booleans", func(t *testing.T) {
		l := l.with(t)
		for _, value := range []string{"1", "0", "true", "false"} {
			l.form("POST", "/portal-sessions", url.Values{"shop_uuid": {shop}, "enable_registration": {value}}).ok()
		}
		l.form("POST", "/portal-sessions", url.Values{"shop_uuid": {shop}, "enable_registration": {"maybe"}}).invalid("enable_registration")
	})
}

// Concurrent calls keep the books straight (run with -race).
func TestConcurrentPrepaidPayments(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	before := l.prepaidBalance(contact.UUID)
	const payments = 20
	var wg sync.WaitGroup
	for range payments {
		wg.Add(1)
		body := `{"contact_uuid":"` + contact.UUID + `","amount_in_cents":-1,"shop_uuid":"` + l.shop().UUID + `"}`
		request := l.request("POST", "/prepaid-transactions", strings.NewReader(body), "application/json")
		go func() {
			defer wg.Done()
			response, err := l.http.Do(request)
			if err != nil {
				t.Error(err)
				return
			}
			response.Body.Close()
			if response.StatusCode != http.StatusOK {
				t.Errorf("payment answered %d", response.StatusCode)
			}
		}()
	}
	wg.Wait()
	if after := l.prepaidBalance(contact.UUID); after != before-payments {
		t.Fatalf("balance %d, want %d", after, before-payments)
	}
}
