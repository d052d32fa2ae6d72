package localstack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/shared/tenancy"
)

// matrixRoute is a route of the API with the scope it needs and a request
// that reaches it: a path with real ids, a body that would pass.
type matrixRoute struct {
	method, path string
	scope        tenancy.Scope
	body         string
	// tenantData: the path names one of the tenant's checkouts, orders or
	// returns, which another tenant's key must not find.
	tenantData bool
}

// TestAuthorizationMatrix sends every route of the API with every kind of
// key: none, malformed, unknown, disabled, each scope, one bound to a
// location the route is not asked for, and another tenant's key of the
// right scope. Each gets the exact status and code, and no refused request
// changes anything.
func TestAuthorizationMatrix(t *testing.T) {
	contact := newCustomer(t, 0)
	orderID, done := paidOrder(t, newBasket(contact))
	returned(t, orderID, map[string]any{"return_id": "R1", "lines": []map[string]any{{"line_id": "1", "quantity": 1}}})
	checkoutPath := "/v1/checkouts/" + done.CheckoutID
	routes := []matrixRoute{
		{http.MethodPost, "/v1/customers/identify", tenancy.ScopePOS, `{"identifier":"LEAT-1001"}`, false},
		{http.MethodGet, "/v1/customers/" + contact, tenancy.ScopePOS, "", false},
		{http.MethodGet, "/v1/vouchers/WELCOME-ANNA", tenancy.ScopePOS, "", false},
		{http.MethodGet, "/v1/giftcards/GC-5000-0001", tenancy.ScopePOS, "", false},
		{http.MethodPost, "/v1/portal-sessions", tenancy.ScopePOS, `{"kind":"default","contact_uuid":"` + contact + `"}`, false},
		{http.MethodPost, "/v1/checkouts", tenancy.ScopePOS, newBasket(contact).body(t), false},
		{http.MethodGet, checkoutPath, tenancy.ScopePOS, "", true},
		{http.MethodPost, checkoutPath + "/payment", tenancy.ScopePOS, `{"outcome":"paid"}`, true},
		{http.MethodPost, checkoutPath + "/cancel", tenancy.ScopePOS, "", true},
		{http.MethodPost, checkoutPath + "/tenders", tenancy.ScopePOS, `{"type":"giftcard","code":"GC-5000-0001","amount":100}`, true},
		{http.MethodPost, "/v1/orders/" + orderID + "/customer", tenancy.ScopePOS, `{"contact_uuid":"` + contact + `"}`, true},
		{http.MethodPost, "/v1/orders/" + orderID + "/claim-link", tenancy.ScopePOS, "", true},
		{http.MethodGet, "/v1/orders", tenancy.ScopeBackend, "", false},
		{http.MethodGet, "/v1/orders/" + orderID, tenancy.ScopeBackend, "", true},
		{http.MethodPost, "/v1/orders/" + orderID + "/returns", tenancy.ScopeBackend, `{"return_id":"R2","full":true}`, true},
		{http.MethodGet, "/v1/orders/" + orderID + "/returns/R1", tenancy.ScopeBackend, "", true},
		{http.MethodGet, "/v1/ops/checkouts", tenancy.ScopeOps, "", false},
		{http.MethodGet, "/v1/ops/returns", tenancy.ScopeOps, "", false},
		{http.MethodPost, "/v1/ops/checkouts/" + done.CheckoutID + "/retry-compensation", tenancy.ScopeOps, "", true},
		{http.MethodPost, "/v1/ops/orders/" + orderID + "/returns/R1/retry", tenancy.ScopeOps, "", true},
	}
	assertCoversTheAPI(t, routes)

	disabled := issueKey(t, stack.Tenant, tenancy.ScopePOS, nil, true)
	keys := map[tenancy.Scope]string{tenancy.ScopePOS: stack.POSKey, tenancy.ScopeBackend: stack.BackofficeKey, tenancy.ScopeOps: stack.OpsKey}
	// A key of each scope bound to the demo tenant's second location only.
	elsewhere := map[tenancy.Scope]string{}
	for scope := range keys {
		elsewhere[scope] = issueKey(t, stack.Tenant, scope, []tenancy.LocationID{stack.Tenant.Locations[1].ID}, false)
	}
	others := map[tenancy.Scope]string{}
	for scope := range keys {
		others[scope] = otherTenantKey(t, scope, "shop-1")
	}

	stack.Sandbox.ClearRequests()
	for _, route := range routes {
		type want struct {
			status int
			code   string // a problem's code, or the edge's message
			edge   bool
		}
		cases := map[string]struct {
			req  request
			want want
		}{
			"no key":       {request{NoKey: true}, want{status: 401, code: "Unauthorized", edge: true}},
			"malformed":    {request{Headers: map[string]string{"Authorization": "Bearer"}}, want{status: 403, code: "Forbidden", edge: true}},
			"unknown":      {request{Key: "lpg_" + strings.Repeat("0", 43)}, want{status: 403, code: "Forbidden", edge: true}},
			"disabled":     {request{Key: disabled}, want{status: 403, code: "Forbidden", edge: true}},
			"not a bearer": {request{Headers: map[string]string{"Authorization": "Basic " + stack.POSKey}}, want{status: 403, code: "Forbidden", edge: true}},
		}
		for scope, key := range keys {
			if scope != route.scope {
				cases["scope "+string(scope)] = struct {
					req  request
					want want
				}{request{Key: key, Headers: map[string]string{"Location-Id": "shop-1"}}, want{status: 403, code: "forbidden"}}
			}
		}
		cases["a location the key does not serve"] = struct {
			req  request
			want want
		}{request{Key: elsewhere[route.scope], Headers: map[string]string{"Location-Id": "shop-1"}}, want{status: 403, code: "forbidden"}}
		if key, ok := others[route.scope]; ok && route.tenantData {
			cases["another tenant"] = struct {
				req  request
				want want
			}{request{Key: key, Headers: map[string]string{"Location-Id": "shop-1"}}, want{status: 404, code: "checkout_not_found"}}
		}
		for name, c := range cases {
			t.Run(route.method+" "+route.path+"/"+name, func(t *testing.T) {
				r := c.req
				r.Method, r.Path, r.Body = route.method, route.path, route.body
				a := call(t, r)
				var got string
				if c.want.edge {
					got, _ = a.json(t)["message"].(string)
				} else {
					got = a.problemCode(t)
				}
				if a.Status != c.want.status || got != c.want.code {
					t.Errorf("%d %s, want %d %s", a.Status, a.Body, c.want.status, c.want.code)
				}
				// The problem names the path asked for; nothing else of the tenant.
				if shown := a.json(t); shown != nil {
					delete(shown, "instance")
					if body, _ := json.Marshal(shown); strings.Contains(string(body), contact) {
						t.Errorf("the refusal shows the tenant's customer: %s", a.Body)
					}
				}
			})
		}
	}
	for _, r := range stack.Sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("a refused request wrote to Leat: %s %s", r.Method, r.Path)
		}
	}
	if o := readOrder(t, orderID); len(o.Returns) != 1 {
		t.Errorf("returns %d: a refused request changed the order", len(o.Returns))
	}
}

// assertCoversTheAPI fails when the OpenAPI document has a route the
// matrix does not send.
func assertCoversTheAPI(t *testing.T, routes []matrixRoute) {
	t.Helper()
	file, err := repo.Path("docs", "openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pathLine := regexp.MustCompile(`(?m)^  (/v1/\S+):$`)
	methodLine := regexp.MustCompile(`(?m)^    (get|post|put|delete|patch):$`)
	sections := pathLine.FindAllStringSubmatchIndex(string(spec), -1)
	for i, sec := range sections {
		end := len(spec)
		if i+1 < len(sections) {
			end = sections[i+1][0]
		}
		template := string(spec[sec[2]:sec[3]])
		pattern := regexp.MustCompile("^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(template), `[^/]+`) + "$")
		for _, m := range methodLine.FindAllStringSubmatch(string(spec[sec[1]:end]), -1) {
			method := strings.ToUpper(m[1])
			if !slices.ContainsFunc(routes, func(r matrixRoute) bool { return r.method == method && pattern.MatchString(r.path) }) {
				t.Errorf("the matrix does not send %s %s", method, template)
			}
		}
	}
}

// issueKey saves a new key of the tenant.
func issueKey(t *testing.T, tenant tenancy.Tenant, scope tenancy.Scope, locations []tenancy.LocationID, disabled bool) string {
	t.Helper()
	raw, key, err := tenancy.IssueAPIKey(tenant, "matrix "+string(scope), []tenancy.Scope{scope}, locations, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	key.Disabled = disabled
	if err := stack.Directory.SaveAPIKey(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	return raw
}
