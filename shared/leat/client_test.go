package leat

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// reply is one scripted answer of a fakeLeat.
type reply struct {
	status     int
	body       string
	retryAfter string
	// hang keeps the request open until the client gives up.
	hang bool
	// drop closes the connection without answering.
	drop bool
}

// seen is a request as the fake server received it.
type seen struct {
	method, path, query, body string
	header                    http.Header
}

// fakeLeat answers with its replies in order, repeating the last one.
type fakeLeat struct {
	*httptest.Server
	mu       sync.Mutex
	replies  []reply
	requests []seen
}

func newFakeLeat(t *testing.T, replies ...reply) *fakeLeat {
	t.Helper()
	f := &fakeLeat{replies: replies}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeLeat) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, string(body), r.Header.Clone()})
	rep := f.replies[min(n, len(f.replies)-1)]
	f.mu.Unlock()

	switch {
	case rep.hang:
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	case rep.drop:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if rep.retryAfter != "" {
		w.Header().Set("Retry-After", rep.retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(cmp.Or(rep.status, http.StatusOK))
	io.WriteString(w, rep.body)
}

func (f *fakeLeat) seen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.requests...)
}

// newTestClient returns a client of baseURL with a Personal Access Token and a retry policy
// of 4 attempts. It records the waits between attempts instead of sleeping.
func newTestClient(t *testing.T, baseURL string, configure ...func(*Config)) (*Client, *[]time.Duration) {
	t.Helper()
	cfg := Config{
		BaseURL:     baseURL,
		Credentials: PersonalAccessToken("pat-token"),
		Retry:       RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second},
	}
	for _, f := range configure {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return c, &waits
}

const okShop = `{"data":{"uuid":"s1","name":"HQ"},"meta":[]}`

func TestNewValidatesConfig(t *testing.T) {
	pat := PersonalAccessToken("t")
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", Config{Credentials: pat}, true},
		{"sandbox host", Config{BaseURL: "http://127.0.0.1:8080/", Credentials: pat}, true},
		{"missing credentials", Config{}, false},
		{"empty token", Config{Credentials: PersonalAccessToken(" ")}, false},
		{"client credentials without secret", Config{Credentials: ClientCredentials("1", "")}, false},
		{"no scheme", Config{BaseURL: "api.leat.com", Credentials: pat}, false},
		{"query in base URL", Config{BaseURL: "https://api.leat.com?x=1", Credentials: pat}, false},
		{"negative attempts", Config{Credentials: pat, Retry: RetryPolicy{MaxAttempts: -1}}, false},
		{"base delay above max", Config{Credentials: pat, Retry: RetryPolicy{BaseDelay: time.Minute}}, false},
		{"negative attempt timeout", Config{Credentials: pat, AttemptTimeout: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if tt.ok && err != nil {
				t.Fatalf("New: %v", err)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("New error = %v, want ErrInvalidArgument", err)
			}
		})
	}
}

func TestRequestsCarryHeadersAndAPIRoot(t *testing.T) {
	leat := newFakeLeat(t, reply{body: okShop})
	c, _ := newTestClient(t, leat.URL+"/")

	if _, err := c.GetShop(context.Background(), "shop/1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateContact(context.Background(), CreateContactRequest{Email: "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	got := leat.seen()
	if got[0].path != "/api/v3/oauth/clients/shops/shop%2F1" {
		t.Errorf("path = %q, want the escaped id under the API root", got[0].path)
	}
	for i, r := range got {
		if r.header.Get("Accept") != "application/json" || r.header.Get("Authorization") != "Bearer pat-token" || r.header.Get("User-Agent") == "" {
			t.Errorf("request %d headers = %v", i, r.header)
		}
	}
	if ct := got[0].header.Get("Content-Type"); ct != "" {
		t.Errorf("GET without body sent Content-Type %q", ct)
	}
	if ct := got[1].header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("POST Content-Type = %q", ct)
	}
}

func TestEmptyIdentifierIsRejectedBeforeSending(t *testing.T) {
	leat := newFakeLeat(t, reply{body: okShop})
	c, _ := newTestClient(t, leat.URL)
	_, err := c.GetContact(context.Background(), " ")
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v, want ErrInvalidArgument", err)
	}
	if n := len(leat.seen()); n != 0 {
		t.Fatalf("sent %d requests", n)
	}
}

func TestEnvelopeDecoding(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantPage Page[Voucher]
	}{
		{"meta empty array", `{"data":[{"uuid":"v1"}],"meta":[]}`, Page[Voucher]{}},
		{"meta empty object", `{"data":[{"uuid":"v1"}],"meta":{}}`, Page[Voucher]{}},
		{"meta absent", `{"data":[{"uuid":"v1"}]}`, Page[Voucher]{}},
		{
			"laravel paginator with string per_page and top-level links",
			`{"data":[{"uuid":"v1"}],"links":{"first":"x","last":"y","prev":null,"next":"z"},
			  "meta":{"current_page":2,"from":31,"last_page":3,"links":[{"url":null,"label":"&laquo;","active":false}],"path":"p","per_page":"30","to":60,"total":61}}`,
			Page[Voucher]{Page: 2, PerPage: 30, LastPage: 3, Total: 61},
		},
		{
			"giftcard transaction convention",
			`{"data":[{"uuid":"v1"}],"meta":{"page":1,"limit":10,"viewing_from":1,"viewing_to":10,"last_page":120,"total":1192}}`,
			Page[Voucher]{Page: 1, PerPage: 10, LastPage: 120, Total: 1192},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leat := newFakeLeat(t, reply{body: tt.body})
			c, _ := newTestClient(t, leat.URL)
			page, err := c.ListVouchers(context.Background(), ListVouchersRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || page.Items[0].UUID != "v1" {
				t.Errorf("items = %+v", page.Items)
			}
			want := tt.wantPage
			if page.Page != want.Page || page.PerPage != want.PerPage || page.LastPage != want.LastPage || page.Total != want.Total {
				t.Errorf("page = %d/%d per %d total %d, want %d/%d per %d total %d",
					page.Page, page.LastPage, page.PerPage, page.Total, want.Page, want.LastPage, want.PerPage, want.Total)
			}
			if page.HasNext() != (want.Page < want.LastPage) {
				t.Errorf("HasNext = %v", page.HasNext())
			}
		})
	}
}

func TestUnreadableSuccessAnswers(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		write       bool
		wantUnknown bool
	}{
		{"read without data member", `{"meta":[]}`, false, false},
		{"read with broken JSON", `{"data":`, false, false},
		{"write without data member", `{"message":"ok"}`, true, true},
		{"write with wrong types", `{"data":{"amount_in_cents":"lots"}}`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leat := newFakeLeat(t, reply{body: tt.body})
			c, _ := newTestClient(t, leat.URL)
			var err error
			if tt.write {
				_, err = c.CreatePrepaidTransaction(context.Background(), CreatePrepaidTransactionRequest{ContactUUID: "c", ShopUUID: "s", AmountInCents: -100})
			} else {
				_, err = c.GetShop(context.Background(), "s1")
			}
			var decodeErr *DecodeError
			if !errors.As(err, &decodeErr) {
				t.Fatalf("err = %v, want *DecodeError", err)
			}
			if errors.Is(err, ErrOutcomeUnknown) != tt.wantUnknown {
				t.Errorf("errors.Is(ErrOutcomeUnknown) = %v, want %v", !tt.wantUnknown, tt.wantUnknown)
			}
			if n := len(leat.seen()); n != 1 {
				t.Errorf("sent %d requests, want 1", n)
			}
		})
	}
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		wantCode   Code
		wantIs     []error
		wantNotIs  []error
		wantMsg    string
		wantFields map[string][]string
	}{
		{
			name:     "business error",
			status:   400,
			body:     `{"message":"Onvoldoende punten | Insufficient credits.","code":1017,"status_code":400}`,
			wantCode: CodeInsufficientCredits, wantIs: []error{CodeInsufficientCredits},
			wantNotIs: []error{CodeContactNotFound, ErrTransient, ErrUnauthorized, ErrNotFound},
			wantMsg:   "Onvoldoende punten | Insufficient credits.",
		},
		{
			name:     "validation error with field bag",
			status:   400,
			body:     `{"message":"Invalid input.","code":1003,"status_code":400,"errors":{"email":["The email must be a valid email address."]}}`,
			wantCode: CodeInvalidInput, wantIs: []error{CodeInvalidInput},
			wantMsg:    "Invalid input.",
			wantFields: map[string][]string{"email": {"The email must be a valid email address."}},
		},
		{
			name:     "empty field bag as PHP array",
			status:   400,
			body:     `{"message":"Voucher is already locked.","code":80017,"status_code":400,"errors":[]}`,
			wantCode: CodeVoucherAlreadyLocked, wantIs: []error{CodeVoucherAlreadyLocked},
			wantMsg: "Voucher is already locked.",
		},
		{
			name:   "unauthenticated",
			status: 401, body: `{"message":"Unauthenticated."}`,
			wantIs: []error{ErrUnauthorized}, wantNotIs: []error{ErrTransient}, wantMsg: "Unauthenticated.",
		},
		{
			name:   "forbidden",
			status: 403, body: `{"message":"Forbidden."}`,
			wantIs: []error{ErrUnauthorized}, wantMsg: "Forbidden.",
		},
		{
			name:   "unknown route",
			status: 404, body: `<html>Not Found</html>`,
			wantIs: []error{ErrNotFound}, wantMsg: "Not Found",
		},
		{
			name:     "not found with a Leat code",
			status:   404,
			body:     `{"message":"Contact not found.","code":55031,"status_code":404}`,
			wantCode: CodeContactNotFound, wantIs: []error{CodeContactNotFound}, wantNotIs: []error{ErrNotFound},
			wantMsg: "Contact not found.",
		},
		{
			name:   "method not allowed",
			status: 405, body: ``,
			wantIs: []error{ErrMethodNotAllowed}, wantMsg: "Method Not Allowed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leat := newFakeLeat(t, reply{status: tt.status, body: tt.body})
			c, waits := newTestClient(t, leat.URL)
			_, err := c.CreateRewardReception(context.Background(), CreateRewardReceptionRequest{ContactUUID: "c", RewardUUID: "r", ShopUUID: "s"})

			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if apiErr.Code != tt.wantCode || apiErr.StatusCode != tt.status || apiErr.Message != tt.wantMsg {
				t.Errorf("got code %d status %d message %q", apiErr.Code, apiErr.StatusCode, apiErr.Message)
			}
			if apiErr.Method != http.MethodPost || apiErr.Path != "/reward-receptions" {
				t.Errorf("got %s %s", apiErr.Method, apiErr.Path)
			}
			if len(apiErr.Fields) != len(tt.wantFields) || (tt.wantFields != nil && apiErr.Fields["email"][0] != tt.wantFields["email"][0]) {
				t.Errorf("fields = %v, want %v", apiErr.Fields, tt.wantFields)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = false", target)
				}
			}
			for _, target := range append(tt.wantNotIs, ErrOutcomeUnknown) {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = true", target)
				}
			}
			if len(leat.seen()) != 1 || len(*waits) != 0 {
				t.Errorf("business errors must not be retried: %d requests", len(leat.seen()))
			}
			if strings.Contains(err.Error(), "pat-token") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestReadsAreRetriedOnTransientFailures(t *testing.T) {
	leat := newFakeLeat(t,
		reply{status: 429, body: `{"message":"Too Many Attempts."}`, retryAfter: "1"},
		reply{status: 503},
		reply{status: 500},
		reply{body: okShop},
	)
	c, waits := newTestClient(t, leat.URL)

	shop, err := c.GetShop(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if shop.Name != "HQ" || len(leat.seen()) != 4 {
		t.Fatalf("shop %+v after %d requests", shop, len(leat.seen()))
	}
	if len(*waits) != 3 || (*waits)[0] != time.Second {
		t.Fatalf("waits = %v, want Retry-After (1s) first, then two backoffs", *waits)
	}
	// Backoff after attempt n lies in [base·2^(n-1)/2, base·2^(n-1)].
	for i, bounds := range [][2]time.Duration{{100 * time.Millisecond, 200 * time.Millisecond}, {200 * time.Millisecond, 400 * time.Millisecond}} {
		if w := (*waits)[i+1]; w < bounds[0] || w > bounds[1] {
			t.Errorf("wait %d = %v, want within %v", i+2, w, bounds)
		}
	}
}

func TestRetriesStopAtMaxAttempts(t *testing.T) {
	leat := newFakeLeat(t, reply{status: 502, body: `{"message":"Bad gateway"}`})
	c, waits := newTestClient(t, leat.URL)

	_, err := c.ListShops(context.Background())
	var transient *TransientError
	if !errors.As(err, &transient) || !errors.Is(err, ErrServerError) || !errors.Is(err, ErrTransient) {
		t.Fatalf("err = %v, want a server-error TransientError", err)
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		t.Error("a read never has an unknown outcome")
	}
	if transient.Attempts != 4 || len(leat.seen()) != 4 || len(*waits) != 3 {
		t.Errorf("attempts %d, requests %d, waits %d; want 4, 4, 3", transient.Attempts, len(leat.seen()), len(*waits))
	}
}

func TestBackoffIsCapped(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: 3 * time.Second}
	for attempt := 1; attempt < 40; attempt++ {
		if d := p.backoff(attempt); d <= 0 || d > p.MaxDelay {
			t.Fatalf("backoff(%d) = %v, want within (0, %v]", attempt, d, p.MaxDelay)
		}
	}
}

func TestRetryAfterBeyondMaxDelayIsLeftToTheCaller(t *testing.T) {
	leat := newFakeLeat(t, reply{status: 503, retryAfter: "120"})
	c, waits := newTestClient(t, leat.URL)

	_, err := c.ListShops(context.Background())
	var transient *TransientError
	if !errors.As(err, &transient) || !errors.Is(err, ErrMaintenance) {
		t.Fatalf("err = %v, want maintenance", err)
	}
	if transient.RetryAfter != 2*time.Minute || len(leat.seen()) != 1 || len(*waits) != 0 {
		t.Errorf("RetryAfter %v after %d requests", transient.RetryAfter, len(leat.seen()))
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-3":                            0,
		"soon":                          0,
		"Thu, 02 Jan 2025 03:04:35 GMT": 30 * time.Second,
		"Thu, 02 Jan 2025 03:00:00 GMT": 0,
	}
	for header, want := range tests {
		if got := parseRetryAfter(header, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestWritesWithUnknownOutcomeAreNotRetried(t *testing.T) {
	tests := []struct {
		name       string
		reply      reply
		wantReason error
		wantCause  error
	}{
		{"500", reply{status: 500, body: `{"message":"Server Error"}`}, ErrServerError, nil},
		{"502", reply{status: 502}, ErrServerError, nil},
		{"504", reply{status: 504}, ErrServerError, nil},
		{"attempt timeout after sending", reply{hang: true}, ErrTimeout, context.DeadlineExceeded},
		{"connection dropped after sending", reply{drop: true}, ErrNetwork, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leat := newFakeLeat(t, tt.reply)
			c, waits := newTestClient(t, leat.URL, func(cfg *Config) { cfg.AttemptTimeout = 100 * time.Millisecond })

			_, err := c.CreateGiftcardTransaction(context.Background(), CreateGiftcardTransactionRequest{GiftcardUUID: "g", ShopUUID: "s", AmountInCents: -500})
			if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrTransient) || !errors.Is(err, tt.wantReason) {
				t.Fatalf("err = %v, want outcome unknown with reason %v", err, tt.wantReason)
			}
			if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
				t.Errorf("err = %v does not unwrap to %v", err, tt.wantCause)
			}
			if n := len(leat.seen()); n != 1 || len(*waits) != 0 {
				t.Errorf("write sent %d times, want exactly once", n)
			}
		})
	}
}

func TestWriteContextDeadlineIsAnUnknownOutcome(t *testing.T) {
	leat := newFakeLeat(t, reply{hang: true})
	c, _ := newTestClient(t, leat.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()

	_, err := c.RedeemVoucher(ctx, RedeemVoucherRequest{Code: "X", ShopUUID: "s"})
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout with unknown outcome wrapping context.DeadlineExceeded", err)
	}
}

func TestWritesRefusedByLeatAreRetried(t *testing.T) {
	for _, refusal := range []reply{
		{status: 429, retryAfter: "1"},
		{status: 503},
	} {
		t.Run(http.StatusText(refusal.status), func(t *testing.T) {
			leat := newFakeLeat(t, refusal, reply{body: `{"data":{"uuid":"tx1","amount_in_cents":-500},"meta":[]}`})
			c, waits := newTestClient(t, leat.URL)

			tx, err := c.CreateGiftcardTransaction(context.Background(), CreateGiftcardTransactionRequest{GiftcardUUID: "g", ShopUUID: "s", AmountInCents: -500})
			if err != nil {
				t.Fatal(err)
			}
			got := leat.seen()
			if tx.UUID != "tx1" || len(got) != 2 || len(*waits) != 1 {
				t.Fatalf("tx %+v after %d requests", tx, len(got))
			}
			if got[0].body != got[1].body || got[0].body == "" {
				t.Errorf("retry sent a different body: %q then %q", got[0].body, got[1].body)
			}
		})
	}
}

func TestWriteIsRetriedWhenNoConnectionOpened(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + listener.Addr().String()
	listener.Close()
	c, waits := newTestClient(t, closedURL)

	_, err = c.CreatePrepaidTransaction(context.Background(), CreatePrepaidTransactionRequest{ContactUUID: "c", ShopUUID: "s", AmountInCents: 100})
	if !errors.Is(err, ErrNetwork) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a network failure with a known outcome", err)
	}
	if len(*waits) != 3 {
		t.Errorf("waits = %v, want 3 retries", *waits)
	}
}

func TestContextEndsRetries(t *testing.T) {
	t.Run("deadline sooner than the next wait", func(t *testing.T) {
		leat := newFakeLeat(t, reply{status: 503, retryAfter: "1"})
		c, waits := newTestClient(t, leat.URL)
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()

		_, err := c.ListShops(ctx)
		if !errors.Is(err, ErrMaintenance) || len(leat.seen()) != 1 || len(*waits) != 0 {
			t.Fatalf("err = %v after %d requests and waits %v", err, len(leat.seen()), *waits)
		}
	})
	t.Run("canceled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		leat := newFakeLeat(t, reply{status: 500})
		c, _ := newTestClient(t, leat.URL, func(cfg *Config) {
			cfg.Retry = RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: time.Second}
		})
		c.sleep = func(ctx context.Context, d time.Duration) error {
			cancel()
			return sleepContext(ctx, d)
		}

		start := time.Now()
		_, err := c.ListShops(ctx)
		if !errors.Is(err, ErrServerError) || len(leat.seen()) != 1 || time.Since(start) > 900*time.Millisecond {
			t.Fatalf("err = %v after %d requests in %v", err, len(leat.seen()), time.Since(start))
		}
	})
	t.Run("canceled before the call", func(t *testing.T) {
		leat := newFakeLeat(t, reply{body: okShop})
		c, _ := newTestClient(t, leat.URL)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()

		_, err := c.CreateAndProcessOrder(ctx, OrderRequest{ExternalIdentifier: "o1"})
		if !errors.Is(err, ErrCanceled) || !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("err = %v, want canceled with known outcome", err)
		}
		if len(leat.seen()) != 0 {
			t.Error("request sent with a canceled context")
		}
	})
}

func TestHealthCheck(t *testing.T) {
	leat := newFakeLeat(t, reply{body: ``})
	c, _ := newTestClient(t, leat.URL)
	if err := c.HealthCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := leat.seen()[0]; got.method != http.MethodGet || got.path != "/api/v3/oauth/clients/" {
		t.Errorf("health check sent %s %s", got.method, got.path)
	}
}

// TestDecodeBody reads Leat's envelope: the data into its target, an object
// meta into the page's, an array meta (PHP's empty map) ignored, and no
// data member an error.
func TestDecodeBody(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantUUID string
		wantLast int
		wantErr  bool
	}{
		{"data and meta", `{"data":{"uuid":"c-1"},"meta":{"last_page":3},"links":{}}`, "c-1", 3, false},
		{"meta as an empty array", `{"meta":[],"data":{"uuid":"c-2"}}`, "c-2", 0, false},
		{"null data", `{"data":null}`, "", 0, false},
		{"no data member", `{"meta":{"last_page":3}}`, "", 0, true},
		{"data of the wrong shape", `{"data":[1]}`, "", 0, true},
		{"not JSON", `<html>`, "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var contact Contact
			var meta pageMeta
			err := decodeBody(request{out: &contact, meta: &meta}, []byte(tt.body))
			if (err != nil) != tt.wantErr || contact.UUID != tt.wantUUID || int(meta.LastPage) != tt.wantLast {
				t.Errorf("err %v, uuid %q, last page %d", err, contact.UUID, meta.LastPage)
			}
		})
	}
}
