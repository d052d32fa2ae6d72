// Package apigw emulates an API Gateway HTTP API on localhost: routes and the
// Lambda authorizer come from template.yaml, requests become payload-2.0
// events, and the functions' own handlers answer them through aws-lambda-go's
// JSON (un)marshalling, as in AWS. The edge answers it produces itself (no
// route, missing identity, authorizer failure) use API Gateway's bodies.
package apigw

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/leatpos/gateway/infra/samtemplate"
)

// The account and region every local ARN uses, shaped like AWS's, and the
// emulated API's own identifiers.
const (
	AccountID = "000000000000"
	Region    = "us-east-1"
	apiID     = "local"
	stage     = "$default"
)

// FunctionARN is the ARN a local function is invoked by.
func FunctionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", Region, AccountID, name)
}

// Gateway is an emulated HTTP API.
type Gateway struct {
	mux *http.ServeMux
	// authorizer and the integrations' handlers are what lambda.Start takes.
	authorizer any
	// authorized keeps the authorizer's answers per identity for
	// authorizerCache, as API Gateway's ReauthorizeEvery does.
	authorizerCache time.Duration
	mu              sync.Mutex
	authorized      map[string]cachedAuthorization
	timeout         time.Duration
	log             *slog.Logger
}

// New builds the gateway of the template's HTTP API. handlers maps function
// names (their directory under functions/) to their Lambda handlers.
func New(t *samtemplate.Template, handlers map[string]any, log *slog.Logger) (*Gateway, error) {
	if len(t.HTTPAPIs) != 1 {
		return nil, fmt.Errorf("apigw: template.yaml declares %d HTTP APIs, want 1", len(t.HTTPAPIs))
	}
	g := &Gateway{mux: http.NewServeMux(), timeout: time.Duration(t.FunctionTimeout) * time.Second, log: log}
	if g.timeout <= 0 {
		g.timeout = 3 * time.Second // Lambda's default
	}
	if id := t.HTTPAPIs[0].AuthorizerFunction; id != "" {
		fn, ok := t.Function(id)
		if !ok || handlers[fn.Name] == nil {
			return nil, fmt.Errorf("apigw: no handler for the authorizer %s", id)
		}
		g.authorizer = handlers[fn.Name]
		g.authorizerCache, g.authorized = t.HTTPAPIs[0].AuthorizerCache, map[string]cachedAuthorization{}
	}
	for _, fn := range t.Functions {
		for _, r := range fn.Routes {
			h, ok := handlers[fn.Name]
			if !ok {
				return nil, fmt.Errorf("apigw: no handler for function %s (route %s %s)", fn.Name, r.Method, r.Path)
			}
			g.mux.Handle(r.Method+" "+r.Path, &integration{gw: g, function: fn.Name, route: r, handler: h})
		}
	}
	return g, nil
}

// ServeHTTP routes a request like API Gateway: an unknown route or method is a
// plain 404.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := g.mux.Handler(r); pattern == "" {
		edge(w, http.StatusNotFound, "Not Found")
		return
	}
	g.mux.ServeHTTP(w, r)
}

type integration struct {
	gw       *Gateway
	function string
	route    samtemplate.Route
	handler  any
}

func (in *integration) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ev, err := in.event(r)
	if err != nil {
		edge(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	}
	status := in.serve(w, r, &ev)
	in.gw.log.Info("api request", "method", r.Method, "path", r.URL.Path, "route", ev.RouteKey, "function", in.function,
		"status", status, "request_id", ev.RequestContext.RequestID, "duration_ms", time.Since(start).Milliseconds())
}

func (in *integration) serve(w http.ResponseWriter, r *http.Request, ev *events.APIGatewayV2HTTPRequest) int {
	if !in.route.Unauthenticated && in.gw.authorizer != nil {
		if status, msg, ok := in.authorize(r.Context(), ev); !ok {
			edge(w, status, msg)
			return status
		}
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := in.gw.invoke(r.Context(), in.handler, in.function, ev.RequestContext.RequestID, ev, &resp); err != nil {
		in.gw.log.Error("function failed", "function", in.function, "error", err.Error())
		edge(w, http.StatusInternalServerError, "Internal Server Error")
		return http.StatusInternalServerError
	}
	return writeResponse(w, resp)
}

// authorize runs the Lambda authorizer. A request without the identity source
// (the Authorization header) never reaches it, as in AWS.
func (in *integration) authorize(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) (int, string, bool) {
	identity := ev.Headers["authorization"]
	if identity == "" {
		return http.StatusUnauthorized, "Unauthorized", false
	}
	req := events.APIGatewayV2CustomAuthorizerV2Request{
		Version: "2.0", Type: "REQUEST",
		RouteArn:       fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s%s", Region, AccountID, apiID, stage, ev.RequestContext.HTTP.Method, ev.RawPath),
		IdentitySource: []string{identity}, RouteKey: ev.RouteKey, RawPath: ev.RawPath, RawQueryString: ev.RawQueryString,
		Cookies: ev.Cookies, Headers: ev.Headers, QueryStringParameters: ev.QueryStringParameters,
		PathParameters: ev.PathParameters, StageVariables: ev.StageVariables,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: AccountID, APIID: apiID, DomainName: ev.RequestContext.DomainName, HTTP: ev.RequestContext.HTTP,
			RequestID: ev.RequestContext.RequestID, RouteKey: ev.RouteKey, Stage: stage,
			Time: ev.RequestContext.Time, TimeEpoch: ev.RequestContext.TimeEpoch,
		},
	}
	resp, cached := in.gw.cachedAuthorization(identity)
	if !cached {
		if err := in.gw.invoke(ctx, in.gw.authorizer, "authorizer", ev.RequestContext.RequestID, req, &resp); err != nil {
			in.gw.log.Error("authorizer failed", "error", err.Error())
			return http.StatusInternalServerError, "Internal Server Error", false
		}
		in.gw.cacheAuthorization(identity, resp)
	}
	if !resp.IsAuthorized {
		return http.StatusForbidden, "Forbidden", false
	}
	ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: resp.Context}
	return 0, "", true
}

// maxCachedIdentities is when the cache drops its stale answers.
const maxCachedIdentities = 10000

type cachedAuthorization struct {
	answer events.APIGatewayV2CustomAuthorizerSimpleResponse
	until  time.Time
}

// cachedAuthorization is the authorizer's answer for identity while it is
// fresh: allowed or denied alike, as API Gateway caches both.
func (g *Gateway) cachedAuthorization(identity string) (events.APIGatewayV2CustomAuthorizerSimpleResponse, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.authorized[identity]
	if !ok || !time.Now().Before(c.until) {
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, false
	}
	return c.answer, true
}

func (g *Gateway) cacheAuthorization(identity string, answer events.APIGatewayV2CustomAuthorizerSimpleResponse) {
	if g.authorizerCache <= 0 {
		return
	}
	now := time.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.authorized) >= maxCachedIdentities {
		for id, c := range g.authorized {
			if !now.Before(c.until) {
				delete(g.authorized, id)
			}
		}
	}
	g.authorized[identity] = cachedAuthorization{answer: answer, until: now.Add(g.authorizerCache)}
}

// invoke calls a handler with a JSON payload under the function's timeout and
// decodes its answer, exactly as the Lambda runtime would.
func (g *Gateway) invoke(ctx context.Context, handler any, function, requestID string, in, out any) error {
	payload, err := json.Marshal(in)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.timeout)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       requestID,
		InvokedFunctionArn: FunctionARN(function),
	})
	// A new lambda.Handler per call: Invoke answers in a buffer the handler
	// reuses, which concurrent requests to one function would share.
	res, err := lambda.NewHandler(handler).Invoke(ctx, payload)
	if err != nil {
		return err
	}
	return json.Unmarshal(res, out)
}

// event translates an HTTP request into a payload 2.0 event: lower-case
// headers, repeated headers and query parameters joined with commas, cookies
// apart, and a body base64-encoded unless it is UTF-8 text.
func (in *integration) event(r *http.Request) (events.APIGatewayV2HTTPRequest, error) {
	// HTTP APIs accept payloads up to 10 MB.
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20+1))
	if err != nil || len(body) > 10<<20 {
		return events.APIGatewayV2HTTPRequest{}, fmt.Errorf("body too large")
	}
	now := time.Now().UTC()
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: in.route.Method + " " + in.route.Path,
		RawPath: r.URL.EscapedPath(), RawQueryString: r.URL.RawQuery,
		Headers: map[string]string{}, Cookies: cookies(r),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: AccountID, APIID: apiID, DomainName: r.Host, DomainPrefix: strings.Split(r.Host, ".")[0],
			Stage: stage, RouteKey: in.route.Method + " " + in.route.Path, RequestID: requestID(),
			Time: now.Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: sourceIP(r), UserAgent: r.UserAgent(),
			},
		},
	}
	for name, values := range r.Header {
		if !strings.EqualFold(name, "Cookie") {
			ev.Headers[strings.ToLower(name)] = strings.Join(values, ",")
		}
	}
	if q := r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for name, values := range q {
			ev.QueryStringParameters[name] = strings.Join(values, ",")
		}
	}
	for _, name := range pathParams(in.route.Path) {
		if ev.PathParameters == nil {
			ev.PathParameters = map[string]string{}
		}
		ev.PathParameters[name] = r.PathValue(name)
	}
	if len(body) > 0 {
		if utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev, nil
}

func pathParams(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, strings.TrimSuffix(strings.Trim(seg, "{}"), "+"))
		}
	}
	return names
}

func cookies(r *http.Request) []string {
	var out []string
	for _, c := range r.Cookies() {
		out = append(out, c.Name+"="+c.Value)
	}
	return out
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requestID looks like API Gateway's request ids ("Abc1XyzAbcEFg=").
func requestID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.TrimRight(base64.StdEncoding.EncodeToString(b), "=")[:13] + "="
}

func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) int {
	for name, value := range resp.Headers {
		w.Header().Set(name, value)
	}
	for name, values := range resp.MultiValueHeaders {
		for _, v := range values {
			w.Header().Add(name, v)
		}
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			edge(w, http.StatusInternalServerError, "Internal Server Error")
			return http.StatusInternalServerError
		}
		body = decoded
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.Copy(w, bytes.NewReader(body))
	return status
}

// edge writes an answer API Gateway itself gives, with its body shape.
func edge(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Apigw-Requestid", requestID())
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": message})
}
