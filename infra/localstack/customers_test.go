package localstack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/leat"
)

func identify(t *testing.T, body string) answer {
	t.Helper()
	return call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: body})
}

func TestIdentifyByCard(t *testing.T) {
	anna := richest(t)
	c := card(t, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Contact == anna.Email && c.Active })
	a := identify(t, `{"identifier":"`+c.Value+`"}`)
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	var got struct {
		Contact struct {
			UUID           string `json:"uuid"`
			Email          string `json:"email"`
			Points         int64  `json:"points"`
			Tier           *struct{ Name string }
			PrepaidBalance struct {
				Amount   int64  `json:"amount"`
				Currency string `json:"currency"`
			} `json:"prepaid_balance"`
		} `json:"contact"`
		Identifier struct{ Value string } `json:"identifier"`
	}
	if err := json.Unmarshal(a.Body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Contact.UUID != anna.UUID || got.Contact.Email != anna.Email || got.Contact.Points != anna.Points ||
		got.Contact.Tier == nil || got.Contact.Tier.Name != anna.Tier ||
		got.Contact.PrepaidBalance.Amount != anna.PrepaidBalanceInCents || got.Contact.PrepaidBalance.Currency != "EUR" ||
		got.Identifier.Value != c.Value {
		t.Fatalf("identified as %+v, want %+v", got, anna)
	}
	if a.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id header")
	}
}

func TestIdentifyByEmailFindsOrCreates(t *testing.T) {
	known := seed().Contacts[1]
	a := identify(t, `{"email":"`+known.Email+`"}`)
	if a.Status != http.StatusOK || a.json(t)["contact"].(map[string]any)["uuid"] != known.UUID {
		t.Fatalf("known email: %d %s", a.Status, a.Body)
	}
	created := identify(t, `{"email":"new.customer@example.com"}`)
	contact, _ := created.json(t)["contact"].(map[string]any)
	if created.Status != http.StatusOK || contact["uuid"] == "" || contact["points"] != 0.0 {
		t.Fatalf("new email: %d %s", created.Status, created.Body)
	}
	again := identify(t, `{"email":"new.customer@example.com"}`)
	if again.json(t)["contact"].(map[string]any)["uuid"] != contact["uuid"] {
		t.Fatal("the same email created a second customer")
	}
}

func TestIdentifyRefusals(t *testing.T) {
	unlinked := card(t, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Contact == "" })
	inactive := card(t, func(c leatsandbox.SeedLoyaltyCard) bool { return !c.Active })
	tests := []struct {
		name      string
		body      string
		headers   map[string]string
		status    int
		code      string
		field     string
		fieldCode string
	}{
		{"unknown card", `{"identifier":"NO-SUCH-CARD"}`, nil, 404, "identifier_not_found", "", ""},
		{"card linked to nobody", `{"identifier":"` + unlinked.Value + `"}`, nil, 409, "identifier_not_linked", "", ""},
		{"blocked card", `{"identifier":"` + inactive.Value + `"}`, nil, 409, "identifier_inactive", "", ""},
		{"neither field", `{}`, nil, 400, "validation_failed", "identifier", "required_without"},
		{"both fields", `{"identifier":"A","email":"a@example.com"}`, nil, 400, "validation_failed", "identifier", "excluded_with"},
		{"not an email", `{"email":"not-an-email"}`, nil, 400, "validation_failed", "email", "email"},
		{"too long", `{"identifier":"` + string(make([]byte, 0)) + longString(256) + `"}`, nil, 400, "validation_failed", "identifier", "max"},
		{"wrong type", `{"identifier":42}`, nil, 400, "validation_failed", "identifier", "type"},
		{"tenant in the body", `{"identifier":"A","tenant":"other"}`, nil, 400, "validation_failed", "tenant", "unknown_field"},
		{"not JSON", `{"identifier":`, nil, 400, "malformed_body", "", ""},
		{"two JSON values", `{"identifier":"A"} {}`, nil, 400, "malformed_body", "", ""},
		{"a list, not an object", `["A"]`, nil, 400, "malformed_body", "", ""},
		{"form encoded", `identifier=A`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", "", ""},
		{"no idempotency key", `{"identifier":"A"}`, map[string]string{"Idempotency-Key": ""}, 400, "validation_failed", "Idempotency-Key", "required"},
		{"idempotency key with a space", `{"identifier":"A"}`, map[string]string{"Idempotency-Key": "a b"}, 400, "validation_failed", "Idempotency-Key", "format"},
		{"bad location header", `{"identifier":"A"}`, map[string]string{"Location-Id": "Not A Slug"}, 400, "validation_failed", "Location-Id", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: tt.body, Headers: tt.headers})
			if a.Status != tt.status || a.problemCode(t) != tt.code {
				t.Fatalf("got %d %s, want %d %s", a.Status, a.Body, tt.status, tt.code)
			}
			if tt.field == "" {
				return
			}
			var p struct {
				Errors []struct{ Field, Code, Message string }
			}
			_ = json.Unmarshal(a.Body, &p)
			if !slices.ContainsFunc(p.Errors, func(e struct{ Field, Code, Message string }) bool {
				return e.Field == tt.field && e.Code == tt.fieldCode && e.Message != ""
			}) {
				t.Fatalf("errors %+v do not name %s/%s", p.Errors, tt.field, tt.fieldCode)
			}
		})
	}
}

func longString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	return string(b)
}

func TestCustomerOverview(t *testing.T) {
	anna := richest(t)
	a := call(t, request{Method: http.MethodGet, Path: "/v1/customers/" + anna.UUID})
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	var got struct {
		Contact struct{ Points int64 }
		Rewards []struct {
			UUID           string
			RequiredPoints int64 `json:"required_points"`
			Affordable     bool
			PointsNeeded   int64 `json:"points_needed"`
			Discount       struct{ Kind string }
		}
		Offers []struct {
			Kind, UUID, Code string
			Discount         struct{ Kind string }
		}
	}
	if err := json.Unmarshal(a.Body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Contact.Points != anna.Points {
		t.Fatalf("points %d, want %d", got.Contact.Points, anna.Points)
	}
	// Leat lists what the contact can claim: active rewards still in stock.
	var claimable []leatsandbox.SeedReward
	for _, r := range seed().Rewards {
		if r.Active && (r.Stock == nil || *r.Stock > 0) {
			claimable = append(claimable, r)
		}
	}
	if len(got.Rewards) != len(claimable) {
		t.Fatalf("%d rewards, want the %d claimable ones", len(got.Rewards), len(claimable))
	}
	for i, r := range got.Rewards {
		if i > 0 && got.Rewards[i-1].RequiredPoints > r.RequiredPoints {
			t.Fatalf("rewards not ascending by required points: %+v", got.Rewards)
		}
		if r.Affordable != (anna.Points >= r.RequiredPoints) || r.PointsNeeded != max(r.RequiredPoints-anna.Points, 0) {
			t.Fatalf("reward %+v with %d points", r, anna.Points)
		}
		if r.Discount.Kind == "" || r.Discount.Kind == "invalid" {
			t.Fatalf("reward %s has discount %q", r.UUID, r.Discount.Kind)
		}
	}
	wantOffers := map[string]bool{}
	for _, v := range seed().Vouchers {
		if v.Contact == anna.Email && v.Status == "ACTIVE" && v.TimesRedeemed == 0 {
			wantOffers[v.Code] = true
		}
	}
	for _, c := range seed().CollectableRewards {
		if c.Contact == anna.Email {
			wantOffers[c.UUID] = true
		}
	}
	for _, o := range got.Offers {
		delete(wantOffers, o.Code)
		delete(wantOffers, o.UUID)
	}
	if len(wantOffers) > 0 {
		t.Fatalf("offers %+v miss %v", got.Offers, wantOffers)
	}
}

func TestCustomerOverviewRefusals(t *testing.T) {
	tests := []struct {
		name, path string
		status     int
		code       string
	}{
		{"unknown customer", "/v1/customers/00000000-0000-4000-8000-000000000000", 404, "customer_not_found"},
		{"not a Leat id", "/v1/customers/has%20space", 400, "validation_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, request{Method: http.MethodGet, Path: tt.path})
			if a.Status != tt.status || a.problemCode(t) != tt.code {
				t.Fatalf("got %d %s", a.Status, a.Body)
			}
		})
	}
}

// TestReturningCardIsIdentifiedInOneRoundTrip: the second scan of a card
// reads its customer from Leat while Leat verifies the card, so the cashier
// waits for one round trip, not two, with its overview too; the first scan
// of a card it has not seen takes two.
func TestReturningCardIsIdentifiedInOneRoundTrip(t *testing.T) {
	faults, err := leatsandbox.ParseFaults("latency=100ms")
	if err != nil {
		t.Fatal(err)
	}
	scan := func(card, query string) int {
		t.Helper()
		for _, f := range faults {
			if err := stack.Sandbox.InjectFault(f); err != nil {
				t.Fatal(err)
			}
		}
		defer stack.Sandbox.ClearFaults()
		stack.Sandbox.ClearRequests()
		a := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify" + query, Body: `{"identifier":"` + card + `"}`})
		var got struct {
			Overview *struct {
				Rewards []any `json:"rewards"`
			} `json:"overview"`
		}
		if a.Status != http.StatusOK || json.Unmarshal(a.Body, &got) != nil || (query != "") != (got.Overview != nil && len(got.Overview.Rewards) > 0) {
			t.Fatalf("identify %s%s: %d %s", card, query, a.Status, a.Body)
		}
		return leatsandbox.CriticalPath(stack.Sandbox.Requests())
	}
	contact := newCustomer(t, 0)
	card := fmt.Sprintf("CARD-%d", time.Now().UnixNano())
	if _, err := leatClient(t).CreateContactIdentifier(context.Background(), leat.CreateContactIdentifierRequest{Value: card, ContactUUID: contact}); err != nil {
		t.Fatal(err)
	}
	if first := scan(card, ""); first != 2 {
		t.Errorf("a card scanned for the first time took %d round trips, want 2", first)
	}
	if again := scan(card, ""); again != 1 {
		t.Errorf("a returning card took %d round trips, want 1", again)
	}
	if withOverview := scan(card, "?include=overview"); withOverview != 1 {
		t.Errorf("a returning card with its overview took %d round trips, want 1", withOverview)
	}
}
