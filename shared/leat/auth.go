package leat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Credentials authenticate the client's API calls. Use PersonalAccessToken (preferred by
// Leat) or ClientCredentials. A Credentials value caches its token, so give each Client its
// own, or share one among Clients of the same Leat host.
type Credentials interface {
	// accessToken returns the bearer token for the next call; c reaches the token endpoint.
	accessToken(ctx context.Context, c *Client) (string, error)
	// rejected is told that Leat answered 401 to token, and reports whether fetching a new
	// token might help.
	rejected(token string) bool
	validate() error
}

// PersonalAccessToken returns Credentials for a Personal Access Token created in Leat's
// Business Dashboard. Such a token cannot be renewed by the client: a 401 is returned as an
// error matching ErrUnauthorized.
func PersonalAccessToken(token string) Credentials {
	return personalAccessToken{token: token}
}

type personalAccessToken struct{ token string }

func (p personalAccessToken) accessToken(context.Context, *Client) (string, error) {
	return p.token, nil
}

func (personalAccessToken) rejected(string) bool { return false }

func (p personalAccessToken) validate() error {
	if strings.TrimSpace(p.token) == "" {
		return fmt.Errorf("%w: empty personal access token", ErrInvalidArgument)
	}
	return nil
}

// String keeps the token out of logs and formatted configs.
func (personalAccessToken) String() string     { return "leat.PersonalAccessToken(redacted)" }
func (p personalAccessToken) GoString() string { return p.String() }

// ClientCredentials returns Credentials for the OAuth2 client-credentials grant: the client
// fetches a token from POST /oauth/token, reuses it until shortly before it expires, and
// fetches a new one when Leat rejects it. Concurrent callers share one fetch.
func ClientCredentials(clientID, clientSecret string) Credentials {
	return &clientCredentials{
		id:       clientID,
		secret:   clientSecret,
		now:      time.Now,
		fetching: make(chan struct{}, 1),
	}
}

type clientCredentials struct {
	id, secret string
	now        func() time.Time

	// fetching holds one token while a caller fetches; others wait on it (or on their
	// context) and then find the fresh token in the cache.
	fetching chan struct{}

	mu        sync.Mutex
	token     string
	renewFrom time.Time
}

// tokenResponse is the token endpoint's answer, which has no envelope.
type tokenResponse struct {
	ExpiresIn   int64  `json:"expires_in"`
	AccessToken string `json:"access_token"`
}

// maxRenewalMargin is how long before expiry a token is renewed at most; short-lived tokens
// are renewed after three quarters of their lifetime.
const maxRenewalMargin = time.Minute

func (cc *clientCredentials) accessToken(ctx context.Context, c *Client) (string, error) {
	if token := cc.cached(); token != "" {
		return token, nil
	}
	var answer tokenResponse
	tokenCall := request{
		method:        http.MethodPost,
		format:        tokenPath,
		tokenEndpoint: true,
		// Asking for a token changes nothing in Leat.
		idempotent: true,
		payload: map[string]string{
			"grant_type":    "client_credentials",
			"client_id":     cc.id,
			"client_secret": cc.secret,
		},
		out: &answer,
	}
	select {
	case cc.fetching <- struct{}{}:
		defer func() { <-cc.fetching }()
	case <-ctx.Done():
		return "", transportError(tokenCall, tokenPath, ctx.Err(), false)
	}
	if token := cc.cached(); token != "" {
		return token, nil
	}
	if err := c.do(ctx, tokenCall); err != nil {
		return "", err
	}
	if answer.AccessToken == "" {
		return "", &DecodeError{Method: http.MethodPost, Path: tokenPath, StatusCode: http.StatusOK, Err: errors.New("no access_token")}
	}

	lifetime := time.Duration(answer.ExpiresIn) * time.Second
	cc.mu.Lock()
	cc.token = answer.AccessToken
	cc.renewFrom = cc.now().Add(lifetime - min(maxRenewalMargin, lifetime/4))
	cc.mu.Unlock()
	return answer.AccessToken, nil
}

func (cc *clientCredentials) cached() string {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.token == "" || !cc.now().Before(cc.renewFrom) {
		return ""
	}
	return cc.token
}

func (cc *clientCredentials) rejected(token string) bool {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	// Another caller may already have replaced the token; keep the new one.
	if cc.token == token {
		cc.token = ""
	}
	return true
}

func (cc *clientCredentials) validate() error {
	if strings.TrimSpace(cc.id) == "" || strings.TrimSpace(cc.secret) == "" {
		return fmt.Errorf("%w: client credentials need a client id and a secret", ErrInvalidArgument)
	}
	return nil
}

// String keeps the secret and token out of logs and formatted configs.
func (cc *clientCredentials) String() string {
	return "leat.ClientCredentials(" + cc.id + ", redacted)"
}
func (cc *clientCredentials) GoString() string { return cc.String() }
