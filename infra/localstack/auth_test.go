package localstack_test

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal"
	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/shared/api"
	"github.com/leatpos/gateway/shared/tenancy"
)

// otherTenant creates a second tenant on the same Leat account with a POS key,
// to show that nothing of one tenant reaches the other.
func otherTenant(t *testing.T) string {
	t.Helper()
	return otherTenantKey(t, tenancy.ScopePOS, "other-store")
}

// otherTenantKey creates a second tenant with one location and a key of the
// scope; the location may have the same id as one of the demo tenant's.
func otherTenantKey(t *testing.T, scope tenancy.Scope, location tenancy.LocationID) string {
	t.Helper()
	ctx := context.Background()
	other := stack.Tenant
	other.ID, other.Name = tenancy.TenantID("other-"+strconv.FormatInt(time.Now().UnixNano(), 36)), "Other tenant"
	other.Locations = []tenancy.Location{{ID: location, Name: "Other store", ShopUUID: stack.Tenant.Locations[0].ShopUUID}}
	other.DefaultLocation = location
	if err := stack.Directory.CreateTenant(ctx, other); err != nil {
		t.Fatal(err)
	}
	raw, key, err := tenancy.IssueAPIKey(other, "other "+string(scope), []tenancy.Scope{scope}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Directory.SaveAPIKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestAuthentication(t *testing.T) {
	disabled := func() string {
		raw, key, err := tenancy.IssueAPIKey(stack.Tenant, "revoked till", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		key.Disabled = true
		if err := stack.Directory.SaveAPIKey(context.Background(), key); err != nil {
			t.Fatal(err)
		}
		return raw
	}()
	tests := []struct {
		name    string
		req     request
		status  int
		code    string
		edgeMsg string
	}{
		{"no Authorization header", request{NoKey: true}, 401, "", "Unauthorized"},
		// Denied by the authorizer itself: no business function runs.
		{"unknown key", request{Key: "lpg_notarealkeyatall"}, 403, "", "Forbidden"},
		{"not a bearer token", request{Headers: map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}}, 403, "", "Forbidden"},
		{"disabled key", request{Key: disabled}, 403, "", "Forbidden"},
		{"back-office key on a till route", request{Key: stack.BackofficeKey}, 403, "forbidden", ""},
		{"operator key on a till route", request{Key: stack.OpsKey}, 403, "forbidden", ""},
		{"till key for a location it is not bound to", request{Headers: map[string]string{"Location-Id": string(stack.Tenant.Locations[1].ID)}}, 403, "forbidden", ""},
		{"another tenant's location", request{Key: otherTenant(t), Headers: map[string]string{"Location-Id": string(stack.Tenant.Locations[0].ID)}}, 403, "forbidden", ""},
		{"unknown route", request{Path: "/v1/nothing-here", Undocumented: true}, 404, "", "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req
			r.Method = http.MethodGet
			if r.Path == "" {
				r.Path = "/v1/customers/" + richest(t).UUID
			}
			a := call(t, r)
			if a.Status != tt.status {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			if tt.edgeMsg != "" {
				if msg, _ := a.json(t)["message"].(string); msg != tt.edgeMsg {
					t.Fatalf("edge answer %s", a.Body)
				}
				return
			}
			if a.problemCode(t) != tt.code {
				t.Fatalf("problem %s", a.Body)
			}
		})
	}
}

// TestAuthorizerAnswersAreCached: the local API Gateway keeps the
// authorizer's answer for an identity as template.yaml's ReauthorizeEvery
// says, as AWS does: a key disabled after a request keeps working until the
// answer expires.
func TestAuthorizerAnswersAreCached(t *testing.T) {
	raw, key, err := tenancy.IssueAPIKey(stack.Tenant, "cached till", []tenancy.Scope{tenancy.ScopePOS}, []tenancy.LocationID{stack.Tenant.Locations[0].ID}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Directory.SaveAPIKey(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	overview := request{Method: http.MethodGet, Path: "/v1/customers/" + richest(t).UUID, Key: raw}
	if a := call(t, overview); a.Status != http.StatusOK {
		t.Fatalf("a new key: %d %s", a.Status, a.Body)
	}
	key.Disabled = true
	if err := stack.Directory.SaveAPIKey(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	if a := call(t, overview); a.Status != http.StatusOK {
		t.Fatalf("within ReauthorizeEvery a key disabled since answers %d, want the cached 200", a.Status)
	}
}

// TestIdempotentReplay: an identify by email, which may create the
// customer, is answered once per key.
func TestIdempotentReplay(t *testing.T) {
	anna := richest(t)
	key := newIdempotencyKey()
	send := func(apiKey, body string) answer {
		return call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Key: apiKey, Body: body,
			Headers: map[string]string{"Idempotency-Key": key}})
	}
	body := `{"email":"` + anna.Email + `"}`
	first := send(stack.POSKey, body)
	if first.Status != http.StatusOK || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %v %s", first.Status, first.Header, first.Body)
	}
	replay := send(stack.POSKey, body)
	if replay.Status != http.StatusOK || replay.Header.Get("Idempotent-Replayed") != "true" || string(replay.Body) != string(first.Body) {
		t.Fatalf("replay: %d %v %s", replay.Status, replay.Header, replay.Body)
	}
	reused := send(stack.POSKey, `{"email":"someone.else@example.com"}`)
	if reused.Status != http.StatusUnprocessableEntity || reused.problemCode(t) != "idempotency_key_reused" {
		t.Fatalf("reused key: %d %s", reused.Status, reused.Body)
	}
	// Keys belong to a tenant: the same key from another tenant is a new request.
	other := send(otherTenant(t), `{"email":"someone.else@example.com"}`)
	if other.Status != http.StatusOK || other.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("other tenant, same key: %d %v %s", other.Status, other.Header, other.Body)
	}
	// Invalid input is not stored, so the client can fix it and retry with the same key.
	fixKey := newIdempotencyKey()
	bad := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: `{}`, Headers: map[string]string{"Idempotency-Key": fixKey}})
	fixed := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: body, Headers: map[string]string{"Idempotency-Key": fixKey}})
	if bad.Status != http.StatusBadRequest || fixed.Status != http.StatusOK {
		t.Fatalf("fix and retry: %d then %d %s", bad.Status, fixed.Status, fixed.Body)
	}
}

// TestScanRecordsNoIdempotencyKey: identifying by card only reads Leat, so
// it pays no idempotency record: the same key for another card is answered
// afresh, not refused as reused.
func TestScanRecordsNoIdempotencyKey(t *testing.T) {
	anna := richest(t)
	c := card(t, func(c leatsandbox.SeedLoyaltyCard) bool { return c.Contact == anna.Email && c.Active })
	key := map[string]string{"Idempotency-Key": newIdempotencyKey()}
	first := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: `{"identifier":"` + c.Value + `"}`, Headers: key})
	again := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: `{"identifier":"` + c.Value + `"}`, Headers: key})
	other := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: `{"identifier":"SOMETHING-ELSE"}`, Headers: key})
	if first.Status != http.StatusOK || again.Status != http.StatusOK || again.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the same scan twice: %d, then %d %v", first.Status, again.Status, again.Header)
	}
	if other.Status != http.StatusNotFound || other.problemCode(t) != "identifier_not_found" {
		t.Fatalf("another card with the same key: %d %s", other.Status, other.Body)
	}
	if missing := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: `{"identifier":"` + c.Value + `"}`,
		Headers: map[string]string{"Idempotency-Key": ""}}); missing.Status != http.StatusBadRequest {
		t.Fatalf("a scan without an Idempotency-Key: %d %s", missing.Status, missing.Body)
	}
}

func TestConcurrentRetryIsToldToWait(t *testing.T) {
	anna := richest(t)
	// Leat answers the first request slowly, so the retry arrives while it runs.
	slow := leatsandbox.Fault{Kind: leatsandbox.FaultLatency, Path: "/contacts/find-or-create", Delay: 700 * time.Millisecond, Times: 1}
	if err := stack.Sandbox.InjectFault(slow); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Sandbox.ClearFaults)
	req := request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: `{"email":"` + anna.Email + `"}`,
		Headers: map[string]string{"Idempotency-Key": newIdempotencyKey()}}
	type result struct {
		answer
		err error
	}
	first := make(chan result, 1)
	go func() {
		a, err := exchange(req)
		first <- result{a, err}
	}()
	time.Sleep(200 * time.Millisecond)
	retry := call(t, req)
	if retry.Status != http.StatusConflict || retry.problemCode(t) != "request_in_progress" || retry.Header.Get("Retry-After") == "" {
		t.Fatalf("retry while running: %d %v %s", retry.Status, retry.Header, retry.Body)
	}
	if r := <-first; r.err != nil || r.Status != http.StatusOK || len(r.Mismatches) > 0 {
		t.Fatalf("first request: %v %d %s %v", r.err, r.Status, r.Body, r.Mismatches)
	}
	if again := call(t, req); again.Status != http.StatusOK || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry after it finished: %d %s", again.Status, again.Body)
	}
}

func TestLeatUnavailable(t *testing.T) {
	anna := richest(t)
	fault := leatsandbox.Fault{Kind: leatsandbox.FaultMaintenance, Method: http.MethodGet, Path: "/contacts/{uuid}", RetryAfter: time.Second}
	if err := stack.Sandbox.InjectFault(fault); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Sandbox.ClearFaults)
	a := call(t, request{Method: http.MethodGet, Path: "/v1/customers/" + anna.UUID})
	if a.Status != http.StatusServiceUnavailable || a.problemCode(t) != "leat_unavailable" || a.Header.Get("Retry-After") == "" {
		t.Fatalf("got %d %v %s", a.Status, a.Header, a.Body)
	}
	stack.Sandbox.ClearFaults()

	// A failure upstream is not stored either: the same key succeeds once Leat is back.
	key := map[string]string{"Idempotency-Key": newIdempotencyKey()}
	body := `{"email":"` + anna.Email + `"}`
	if err := stack.Sandbox.InjectFault(leatsandbox.Fault{Kind: leatsandbox.FaultServerError, Path: "/contacts/find-or-create"}); err != nil {
		t.Fatal(err)
	}
	failed := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: body, Headers: key})
	stack.Sandbox.ClearFaults()
	retried := call(t, request{Method: http.MethodPost, Path: "/v1/customers/identify", Body: body, Headers: key})
	if failed.Status != http.StatusServiceUnavailable || retried.Status != http.StatusOK || retried.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("failed %d %s, then %d %s", failed.Status, failed.Body, retried.Status, retried.Body)
	}
}

// TestFailedStartSaysWhy: a stack that cannot start answers why, having
// stopped what it had started, instead of failing on a stack it never had.
func TestFailedStartSaysWhy(t *testing.T) {
	_, err := localstack.Start(context.Background(), localstack.Options{
		DynamoDBEndpoint: os.Getenv(ddblocal.EndpointEnv), TableName: "failed-start", SandboxAddr: "256.0.0.1:1",
	})
	if err == nil || !strings.Contains(err.Error(), "256.0.0.1") {
		t.Fatalf("err = %v, want the sandbox address that could not be served", err)
	}
}

// TestBodyOverTheCapIsRefusedUnread: a body over the cap is refused before
// it is decoded, with a clear code, on any POST.
func TestBodyOverTheCapIsRefusedUnread(t *testing.T) {
	huge := `{"identifier":"` + strings.Repeat("x", api.MaxBodyBytes) + `"}`
	for _, path := range []string{"/v1/customers/identify", "/v1/checkouts", "/v1/checkouts/shop-1.B-1/cancel"} {
		a := call(t, request{Method: http.MethodPost, Path: path, Body: huge})
		if a.Status != http.StatusRequestEntityTooLarge || a.problemCode(t) != "payload_too_large" {
			t.Errorf("%s: %d %s", path, a.Status, a.Body)
		}
	}
}

// TestLeatAnswerUnreadable: an answer the gateway cannot read is a broken
// contract, answered 502 leat_bad_response without Retry-After, not an outage.
func TestLeatAnswerUnreadable(t *testing.T) {
	anna := richest(t)
	if err := stack.Sandbox.InjectFault(leatsandbox.Fault{Kind: leatsandbox.FaultGarbled, Method: http.MethodGet, Path: "/contacts/{uuid}", Times: 1}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Sandbox.ClearFaults)
	a := call(t, request{Method: http.MethodGet, Path: "/v1/customers/" + anna.UUID})
	if a.Status != http.StatusBadGateway || a.problemCode(t) != "leat_bad_response" || a.Header.Get("Retry-After") != "" {
		t.Errorf("%d %s (Retry-After %q)", a.Status, a.Body, a.Header.Get("Retry-After"))
	}
}
