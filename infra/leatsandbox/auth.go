package leatsandbox

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// tokenStore knows the bearer tokens the sandbox accepts: the seeded Personal Access Token, which does not
// expire, and the client-credentials tokens it issued, which expire by the sandbox clock.
type tokenStore struct {
	personal string
	mu       sync.Mutex
	issued   map[string]time.Time // token → expiry
}

func (ts *tokenStore) valid(token string, now time.Time) bool {
	if token == "" {
		return false
	}
	if token == ts.personal {
		return true
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	expires, ok := ts.issued[token]
	return ok && now.Before(expires)
}

func (ts *tokenStore) issue(token string, expires time.Time) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.issued == nil {
		ts.issued = map[string]time.Time{}
	}
	ts.issued[token] = expires
}

func (s *Sandbox) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && s.tokens.valid(strings.TrimSpace(token), s.clock.Now())
}

// issueToken is POST /oauth/token (Laravel Passport): client credentials in, a bearer token out, without
// Leat's envelope. Failures carry Passport's error names.
func (s *Sandbox) issueToken(w http.ResponseWriter, r *http.Request) {
	values, err := readInput(r)
	if err != nil {
		writeError(w, err)
		return
	}
	in := newFields(values)
	account := s.seed.Account
	switch {
	case in.string("grant_type") != "client_credentials":
		writeError(w, &apiError{status: http.StatusBadRequest, oauthError: "unsupported_grant_type",
			message: "The authorization grant type is not supported by the authorization server."})
		return
	case in.string("client_id") != account.OAuthClientID || in.string("client_secret") != account.OAuthClientSecret:
		writeError(w, &apiError{status: http.StatusUnauthorized, oauthError: "invalid_client",
			message: "Client authentication failed"})
		return
	}
	now := s.clock.Now()
	lifetime := time.Duration(account.OAuthTokenLifetimeSeconds) * time.Second
	token := accessToken(account.OAuthClientID, now, now.Add(lifetime))
	s.tokens.issue(token, now.Add(lifetime))
	writeJSON(w, http.StatusOK, object{
		"token_type":   "Bearer",
		"expires_in":   account.OAuthTokenLifetimeSeconds,
		"access_token": token,
	})
}

// accessToken makes a token shaped like Passport's JWTs, so clients that log or measure tokens see the real
// shape; only the sandbox's own store decides whether it is valid.
func accessToken(clientID string, issuedAt, expires time.Time) string {
	segment := func(v any) string {
		raw, _ := json.Marshal(v) // plain maps of strings and numbers always encode
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	signature := make([]byte, 64)
	_, _ = rand.Read(signature)
	return segment(object{"typ": "JWT", "alg": "RS256"}) + "." +
		segment(object{"aud": clientID, "jti": newUUID(), "iat": issuedAt.Unix(), "nbf": issuedAt.Unix(),
			"exp": expires.Unix(), "sub": "", "scopes": []string{}}) + "." +
		base64.RawURLEncoding.EncodeToString(signature)
}
