package leat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// oauthLeat issues numbered tokens ("token-1", "token-2", …) and answers API calls with a
// shop, or with 401 for the tokens in rejected.
type oauthLeat struct {
	*httptest.Server
	tokensIssued atomic.Int32
	apiCalls     atomic.Int32
	expiresIn    int
	tokenDelay   time.Duration
	rejected     func(token string) bool

	mu          sync.Mutex
	tokenBodies []map[string]string
	tokenAuth   []string
}

func newOAuthLeat(t *testing.T, expiresIn int) *oauthLeat {
	t.Helper()
	l := &oauthLeat{expiresIn: expiresIn, rejected: func(string) bool { return false }}
	l.Server = httptest.NewServer(http.HandlerFunc(l.serve))
	t.Cleanup(l.Close)
	return l
}

func (l *oauthLeat) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/oauth/token" {
		var body map[string]string
		raw, _ := io.ReadAll(r.Body)
		json.Unmarshal(raw, &body)
		l.mu.Lock()
		l.tokenBodies = append(l.tokenBodies, body)
		l.tokenAuth = append(l.tokenAuth, r.Header.Get("Authorization"))
		l.mu.Unlock()
		if body["client_secret"] != "s3cr3t" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client","message":"Client authentication failed"}`)
			return
		}
		time.Sleep(l.tokenDelay)
		n := l.tokensIssued.Add(1)
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":%d,"access_token":"token-%d"}`, l.expiresIn, n)
		return
	}
	l.apiCalls.Add(1)
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !strings.HasPrefix(token, "token-") || l.rejected(token) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"Unauthenticated."}`)
		return
	}
	io.WriteString(w, okShop)
}

func newOAuthClient(t *testing.T, baseURL, secret string) (*Client, *clientCredentials) {
	t.Helper()
	creds := ClientCredentials("42", secret)
	c, _ := newTestClient(t, baseURL, func(cfg *Config) { cfg.Credentials = creds })
	return c, creds.(*clientCredentials)
}

func TestTokenIsCachedUntilShortlyBeforeExpiry(t *testing.T) {
	leat := newOAuthLeat(t, 3600)
	c, creds := newOAuthClient(t, leat.URL, "s3cr3t")
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	creds.now = func() time.Time { return now }
	ctx := context.Background()

	steps := []struct {
		advance    time.Duration
		wantTokens int32
	}{
		{0, 1},
		{time.Minute, 1},
		{57 * time.Minute, 1}, // at 58 min more than a minute is left
		{90 * time.Second, 2}, // at 59.5 min it is renewed
		{time.Second, 2},      // and the new token is cached
	}
	for i, step := range steps {
		now = now.Add(step.advance)
		if _, err := c.GetShop(ctx, "s1"); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := leat.tokensIssued.Load(); got != step.wantTokens {
			t.Fatalf("step %d: %d tokens issued, want %d", i, got, step.wantTokens)
		}
	}

	want := map[string]string{"grant_type": "client_credentials", "client_id": "42", "client_secret": "s3cr3t"}
	leat.mu.Lock()
	defer leat.mu.Unlock()
	for i, body := range leat.tokenBodies {
		if fmt.Sprint(body) != fmt.Sprint(want) || leat.tokenAuth[i] != "" {
			t.Errorf("token request %d: body %v, Authorization %q", i, body, leat.tokenAuth[i])
		}
	}
}

func TestRejectedTokenIsRenewedOnce(t *testing.T) {
	t.Run("renewed token accepted", func(t *testing.T) {
		leat := newOAuthLeat(t, 3600)
		leat.rejected = func(token string) bool { return token == "token-1" }
		c, _ := newOAuthClient(t, leat.URL, "s3cr3t")

		// A write is safe to resend after a 401: Leat rejected it before doing anything.
		if _, err := c.LockVoucher(context.Background(), "v1"); err != nil {
			t.Fatal(err)
		}
		if leat.tokensIssued.Load() != 2 || leat.apiCalls.Load() != 2 {
			t.Fatalf("%d tokens, %d calls; want 2 and 2", leat.tokensIssued.Load(), leat.apiCalls.Load())
		}
	})
	t.Run("renewed token rejected too", func(t *testing.T) {
		leat := newOAuthLeat(t, 3600)
		leat.rejected = func(string) bool { return true }
		c, _ := newOAuthClient(t, leat.URL, "s3cr3t")

		_, err := c.GetShop(context.Background(), "s1")
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if leat.tokensIssued.Load() != 2 || leat.apiCalls.Load() != 2 {
			t.Fatalf("%d tokens, %d calls; want 2 and 2", leat.tokensIssued.Load(), leat.apiCalls.Load())
		}
	})
}

func TestPersonalAccessTokenIsNotRenewed(t *testing.T) {
	leat := newFakeLeat(t, reply{status: 401, body: `{"message":"Unauthenticated."}`})
	c, _ := newTestClient(t, leat.URL)

	_, err := c.GetShop(context.Background(), "s1")
	if !errors.Is(err, ErrUnauthorized) || len(leat.seen()) != 1 {
		t.Fatalf("err = %v after %d requests", err, len(leat.seen()))
	}
}

func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	leat := newOAuthLeat(t, 3600)
	leat.tokenDelay = 50 * time.Millisecond
	c, _ := newOAuthClient(t, leat.URL, "s3cr3t")

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			_, err := c.GetShop(context.Background(), "s1")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := leat.tokensIssued.Load(); got != 1 {
		t.Fatalf("%d tokens fetched, want 1", got)
	}
}

func TestTokenWaitEndsWithTheContext(t *testing.T) {
	leat := newOAuthLeat(t, 3600)
	leat.tokenDelay = time.Second
	c, creds := newOAuthClient(t, leat.URL, "s3cr3t")
	creds.fetching <- struct{}{} // another caller is fetching
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	_, err := c.GetShop(ctx, "s1")
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) || leat.apiCalls.Load() != 0 {
		t.Fatalf("err = %v", err)
	}
}

func TestCredentialsStayOutOfErrorsAndLogs(t *testing.T) {
	leat := newOAuthLeat(t, 3600)
	c, creds := newOAuthClient(t, leat.URL, "wrong-secret")

	_, err := c.GetShop(context.Background(), "s1")
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized from the token endpoint", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Path != "/oauth/token" {
		t.Errorf("err = %#v, want an APIError of /oauth/token", err)
	}
	for _, text := range []string{
		err.Error(),
		fmt.Sprintf("%v %+v %#v", creds, creds, creds),
		fmt.Sprintf("%+v", Config{Credentials: PersonalAccessToken("pat-token")}),
	} {
		if strings.Contains(text, "wrong-secret") || strings.Contains(text, "pat-token") {
			t.Errorf("secret leaked: %s", text)
		}
	}
}
