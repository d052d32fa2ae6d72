package leatsandbox_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

// page is an answer of the claim page.
type page struct {
	status int
	body   string
}

// openClaimPage requests the claim page of a token URL from the sandbox, as a browser would: no bearer
// token, a form body for POST (nil for GET).
func (l *leat) openClaimPage(method, tokenURL string, form url.Values) page {
	l.t.Helper()
	u, err := url.Parse(tokenURL)
	if err != nil {
		l.t.Fatal(err)
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, l.server.URL+u.RequestURI(), body)
	if err != nil {
		l.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	response, err := l.http.Do(req)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, u.RequestURI(), err)
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	if err != nil {
		l.t.Fatal(err)
	}
	if contentType := response.Header.Get("Content-Type"); !strings.HasPrefix(contentType, "text/html") {
		l.t.Fatalf("claim page answered %q: %s", contentType, raw)
	}
	return page{status: response.StatusCode, body: string(raw)}
}

// shows asserts the page's status and that it contains each of texts.
func (p page) shows(t *testing.T, status int, texts ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d: %s", p.status, status, p.body)
	}
	for _, text := range texts {
		if !strings.Contains(p.body, text) {
			t.Fatalf("page lacks %q: %s", text, p.body)
		}
	}
}

func TestClaimPageCreditsANewContactByEmail(t *testing.T) {
	l := start(t)
	rate := l.seed.Account.PointsPerCurrencyUnit
	tokenURL := l.loyaltyToken(map[string]any{"unique_id": "RECEIPT-1", "unit_value": "42.50"})

	l.openClaimPage("GET", tokenURL, nil).shows(t, http.StatusOK, "<form", `name="email"`, `name="card"`)
	l.openClaimPage("POST", tokenURL, url.Values{"email": {"not an email"}}).shows(t, http.StatusBadRequest, "valid email", "<form")

	claimed := l.openClaimPage("POST", tokenURL, url.Values{"email": {"new.customer@example.com"}})
	claimed.shows(t, http.StatusOK, "new.customer@example.com")
	found := l.call("GET", "/contacts/find-one-by?email=new.customer@example.com", nil).ok()
	if found.int("data.credit_balance.balance") != 42*rate {
		t.Fatalf("new contact: %s", found.raw)
	}

	l.openClaimPage("POST", tokenURL, url.Values{"email": {"someone.else@example.com"}}).shows(t, http.StatusConflict, "already been claimed")
	l.openClaimPage("GET", tokenURL, nil).shows(t, http.StatusConflict, "already been claimed")
	l.call("POST", "/contacts", map[string]any{"email": "someone.else@example.com"}).ok() // the refused claim created nobody
	l.call("POST", "/loyalty-tokens/claim", claimBody(t, tokenURL, found.str("data.uuid"))).fails(1034)
	if got := l.points(found.str("data.uuid")); got != 42*rate {
		t.Fatalf("balance %d after claims of a used token, want %d", got, 42*rate)
	}
}

func TestClaimPageCreditsTheOwnerOfACard(t *testing.T) {
	l := start(t)
	card := pick(t, "a card of a contact", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Active && c.Contact != "" })
	blank := pick(t, "a card of nobody", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Active && c.Contact == "" })
	blocked := pick(t, "a blocked card", l.seed.LoyaltyCards, func(c leatsandbox.SeedLoyaltyCard) bool { return !c.Active })
	owner := l.contactByEmail(card.Contact)
	tokenURL := l.loyaltyToken(map[string]any{"unique_id": "RECEIPT-2", "credits": 20})

	for _, refused := range []url.Values{{"card": {blank.Value}}, {"card": {blocked.Value}}, {"card": {"NO-SUCH-CARD"}},
		{}, {"card": {card.Value}, "email": {owner.Email}}} {
		l.openClaimPage("POST", tokenURL, refused).shows(t, http.StatusBadRequest, "<form")
	}
	l.openClaimPage("POST", tokenURL, url.Values{"card": {card.Value}}).shows(t, http.StatusOK, "20 points", owner.Email)
	if got := l.points(owner.UUID); got != owner.Points+20 {
		t.Fatalf("balance %d, want %d", got, owner.Points+20)
	}
}

func TestClaimPageRefusesInvalidLinks(t *testing.T) {
	l := start(t)
	tokenURL := l.loyaltyToken(map[string]any{"unique_id": "RECEIPT-3", "unit_value": "10.00"})
	tampered := strings.Replace(tokenURL, "unit_value=10.00", "unit_value=99.00", 1)
	unsigned, _, _ := strings.Cut(tokenURL, "&hash=")
	contact := l.richContact()

	for _, link := range []string{tampered, unsigned, l.seed.Account.ContactsPortalURL + "/l"} {
		l.openClaimPage("GET", link, nil).shows(t, http.StatusBadRequest, "not a valid loyalty token")
		l.openClaimPage("POST", link, url.Values{"email": {contact.Email}}).shows(t, http.StatusBadRequest, "not a valid loyalty token")
	}
	if l.points(contact.UUID) != contact.Points {
		t.Fatal("an invalid link credited points")
	}
}

// The claim page is the portal, not Leat's API: faults do not hit it and the request log leaves it out.
func TestClaimPageIsNotLeatsAPI(t *testing.T) {
	l := start(t)
	tokenURL := l.loyaltyToken(map[string]any{"unique_id": "RECEIPT-4", "credits": 1})
	l.inject(leatsandbox.Fault{Kind: leatsandbox.FaultServerError})
	l.server.Sandbox.ClearRequests()

	l.openClaimPage("GET", tokenURL, nil).shows(t, http.StatusOK, "<form")
	if records := l.server.Sandbox.Requests(); len(records) != 0 {
		t.Fatalf("claim page requests logged: %+v", records)
	}
}
