package leat

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

const (
	// DefaultBaseURL is Leat's production host.
	DefaultBaseURL = "https://api.leat.com"

	apiRoot          = "/api/v3/oauth/clients"
	tokenPath        = "/oauth/token"
	defaultUserAgent = "leatpos-gateway/1 (+https://github.com/leatpos/gateway)"

	// maxResponseBytes bounds what the client reads from one answer; the largest legitimate
	// answer is a page of 500 vouchers, far below this.
	maxResponseBytes = 16 << 20
)

// Config configures a Client. Only Credentials is required.
type Config struct {
	// BaseURL is the Leat host, for example "https://api.leat.com" (the default) or a sandbox
	// such as "http://127.0.0.1:8080". The client appends /api/v3/oauth/clients for API routes
	// and /oauth/token for tokens.
	BaseURL string

	// Credentials authenticates every API call: PersonalAccessToken or ClientCredentials.
	Credentials Credentials

	// HTTPClient sends the requests. Nil means the clients' shared one, whose connections
	// stay open across requests (see warmClient).
	HTTPClient *http.Client

	// Retry bounds retries of transient failures; zero fields take the defaults.
	Retry RetryPolicy

	// AttemptTimeout, when positive, limits each attempt on top of the context deadline, so
	// that one slow attempt leaves time for a retry.
	AttemptTimeout time.Duration

	// UserAgent overrides the User-Agent header.
	UserAgent string
}

// warmClient is every Client's without one of its own, so that every tenant's calls to
// one Leat host share a pool that outlives a Lambda invocation. net/http keeps two idle
// connections per host; the overview sends four calls at once, and checkouts more, so the
// pool keeps enough for them to find warm connections. It has no timeout of its own:
// deadlines come from the context and AttemptTimeout.
var warmClient = &http.Client{Transport: warmTransport()}

// maxIdlePerHost is what a request fans out to at most, with room for a second one
// arriving meanwhile.
const maxIdlePerHost = 32

func warmTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 4 * maxIdlePerHost
	t.MaxIdleConnsPerHost = maxIdlePerHost
	t.ForceAttemptHTTP2 = true
	return t
}

// Client calls the Leat v3 OAuth API. It is safe for concurrent use.
type Client struct {
	baseURL        string
	creds          Credentials
	http           *http.Client
	retry          RetryPolicy
	attemptTimeout time.Duration
	userAgent      string

	// sleep waits between attempts; tests replace it to observe delays without waiting.
	sleep func(context.Context, time.Duration) error
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cmp.Or(cfg.BaseURL, DefaultBaseURL))
	if err != nil {
		return nil, err
	}
	if cfg.Credentials == nil {
		return nil, fmt.Errorf("%w: Config.Credentials is required", ErrInvalidArgument)
	}
	if err := cfg.Credentials.validate(); err != nil {
		return nil, err
	}
	retry, err := cfg.Retry.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.AttemptTimeout < 0 {
		return nil, fmt.Errorf("%w: Config.AttemptTimeout is negative", ErrInvalidArgument)
	}
	httpClient := cmp.Or(cfg.HTTPClient, warmClient)
	return &Client{
		baseURL:        base,
		creds:          cfg.Credentials,
		http:           httpClient,
		retry:          retry,
		attemptTimeout: cfg.AttemptTimeout,
		userAgent:      cmp.Or(cfg.UserAgent, defaultUserAgent),
		sleep:          sleepContext,
	}, nil
}

func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: Config.BaseURL: %v", ErrInvalidArgument, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: Config.BaseURL must be an http(s) URL without credentials, query or fragment", ErrInvalidArgument)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// HealthCheck calls Leat's health route and reports whether it answered with success.
func (c *Client) HealthCheck(ctx context.Context) error {
	return c.do(ctx, get("/"))
}

// do is the single request path: it encodes the body, authenticates, sends, decodes the
// answer, classifies failures and retries what may be retried.
func (c *Client) do(ctx context.Context, r request) error {
	path, err := r.path()
	if err != nil {
		return err
	}
	var payload []byte
	if r.payload != nil {
		if payload, err = json.Marshal(r.payload); err != nil {
			return fmt.Errorf("leat: encode %s %s: %w", r.method, path, err)
		}
	}

	refreshedToken := false
	for attempt := 1; ; attempt++ {
		token, err := c.bearerToken(ctx, r)
		if err != nil {
			return err
		}
		err = c.attempt(ctx, r, path, payload, token)
		if err == nil {
			return nil
		}
		// An expired or revoked OAuth token is rejected before Leat does anything, so one
		// retry with a fresh token is safe even for writes, and does not count as an attempt.
		if token != "" && !refreshedToken && isStatus(err, http.StatusUnauthorized) && c.creds.rejected(token) {
			refreshedToken = true
			attempt--
			continue
		}
		delay, retry := c.retry.delay(ctx, err, attempt)
		if !retry || c.sleep(ctx, delay) != nil {
			return withAttempts(err, attempt)
		}
	}
}

func (c *Client) bearerToken(ctx context.Context, r request) (string, error) {
	if r.tokenEndpoint {
		return "", nil
	}
	return c.creds.accessToken(ctx, c)
}

// attempt sends the request once and decodes or classifies the answer.
func (c *Client) attempt(ctx context.Context, r request, path string, payload []byte, token string) error {
	if c.attemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.attemptTimeout)
		defer cancel()
	}
	// Once the transport holds a connection, the request may reach Leat; before that, Leat
	// certainly has not seen it.
	var connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})

	req, err := http.NewRequestWithContext(ctx, r.method, c.url(r, path), bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("leat: build %s %s: %w", r.method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(r, path, err, connected.Load())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return transportError(r, path, err, true)
	}
	if len(body) > maxResponseBytes {
		return &DecodeError{Method: r.method, Path: path, StatusCode: resp.StatusCode, Err: errors.New("response too large"), write: r.isWrite()}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(r, path, resp, body)
	}
	if err := decodeBody(r, body); err != nil {
		return &DecodeError{Method: r.method, Path: path, StatusCode: resp.StatusCode, Err: err, write: r.isWrite()}
	}
	return nil
}

func (c *Client) url(r request, path string) string {
	root := apiRoot
	if r.tokenEndpoint {
		root = "" // the token endpoint lives outside the API root
	}
	u := c.baseURL + root + path
	if len(r.params) > 0 {
		u += "?" + r.params.Encode()
	}
	return u
}

// decodeBody stores a success answer in r.out (and r.meta). Every API answer is an envelope
// {"data": …, "meta": …}; meta is [] on some routes and {} on others, and paginated routes
// add a top-level "links" that nothing here needs. The data is decoded once, straight into
// r.out, as the envelope is read.
func decodeBody(r request, body []byte) error {
	if r.out == nil {
		return nil
	}
	if r.tokenEndpoint {
		return json.Unmarshal(body, r.out)
	}
	envelope := struct {
		Data envelopeData    `json:"data"`
		Meta json.RawMessage `json:"meta"`
	}{Data: envelopeData{into: r.out}}
	if err := json.Unmarshal(body, &envelope); err != nil {
		return err
	}
	if !envelope.Data.present {
		return errors.New(`response has no "data" member`)
	}
	if meta := bytes.TrimSpace(envelope.Meta); r.meta != nil && len(meta) > 0 && meta[0] == '{' {
		return json.Unmarshal(meta, r.meta)
	}
	return nil
}

// envelopeData is the envelope's "data" member, decoded into its target as it is met.
type envelopeData struct {
	into    any
	present bool
}

func (d *envelopeData) UnmarshalJSON(data []byte) error {
	d.present = true
	return json.Unmarshal(data, d.into)
}
