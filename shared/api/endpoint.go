package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/leatpos/gateway/shared/authorizer"
	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Headers of the API.
const (
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderLocation       = "Location-Id"
	HeaderRequestID      = "X-Request-Id"
	HeaderReplayed       = "Idempotent-Replayed"
)

// Request is what a handler reads: the caller and the translated event.
type Request struct {
	Principal tenancy.Principal
	// Location is the Location-Id header, empty when the key's only location applies.
	Location tenancy.LocationID
	// IdempotencyKey is the request's key on idempotent routes: a command
	// that outlives one request (a checkout) remembers which one started it.
	IdempotencyKey string
	pathParams     map[string]string
	query          map[string]string
	body           []byte
	contentType    string
}

// Decode reads the JSON body into a command struct and validates it.
func (r Request) Decode(dst any) error { return decodeJSON(r.body, r.contentType, dst) }

// PathParam returns a path parameter of the route.
func (r Request) PathParam(name string) string { return r.pathParams[name] }

// Query returns a query string parameter.
func (r Request) Query(name string) string { return r.query[name] }

// Response is a handler's successful answer.
type Response struct {
	Status int
	Body   any
	// Location, for 201 answers, is the created resource's URL path.
	Location string
}

// OK answers 200 with a JSON body.
func OK(body any) Response { return Response{Status: http.StatusOK, Body: body} }

// Created answers 201 with a JSON body and the new resource's path.
func Created(body any, location string) Response {
	return Response{Status: http.StatusCreated, Body: body, Location: location}
}

// Handler is a route's translation: request → command → one call → response.
type Handler func(ctx context.Context, r Request) (Response, error)

// Route is one API route: who may call it and what answers it.
type Route struct {
	Scope tenancy.Scope
	// Idempotent routes (every POST) require an Idempotency-Key.
	Idempotent bool
	// ReadOnly, when set, tells the requests of an idempotent route that
	// change nothing: they are answered afresh, without the guard's writes.
	ReadOnly func(Request) bool
	Handle   Handler
}

// Deps are what every API function shares.
type Deps struct {
	Logger *slog.Logger
	Guard  *idempotency.Guard
}

// LambdaFunc is an API Gateway HTTP API (payload 2.0) function.
type LambdaFunc func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Lambda turns a route into the function API Gateway invokes. Every answer,
// errors included, is built here, so all routes behave alike.
func (rt Route) Lambda(d Deps) LambdaFunc {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		start := time.Now()
		requestID := requestIDOf(ctx, ev)
		log := d.Logger.With(logging.RequestID, requestID, "route", ev.RouteKey)
		ctx = logging.Into(ctx, log)

		resp, replayed, principal, err := rt.serve(ctx, d, ev, requestID)
		var retryAfter int
		if err != nil {
			p := problemOf(ctx, err, requestID, ev.RawPath)
			resp, retryAfter = p.response(), p.RetryAfter
		}
		out := events.APIGatewayV2HTTPResponse{
			StatusCode: resp.Status,
			Headers:    map[string]string{"Content-Type": resp.ContentType, HeaderRequestID: requestID},
			Body:       string(resp.Body),
		}
		if resp.Location != "" {
			out.Headers["Location"] = resp.Location
		}
		if replayed {
			out.Headers[HeaderReplayed] = "true"
		}
		if retryAfter > 0 {
			out.Headers["Retry-After"] = strconv.Itoa(retryAfter)
		}
		logging.From(ctx).Info("request", "method", ev.RequestContext.HTTP.Method, "status", resp.Status,
			logging.Tenant, string(principal.Tenant), "key", principal.KeyName, "replayed", replayed,
			"duration_ms", time.Since(start).Milliseconds())
		return out, nil
	}
}

func (rt Route) serve(ctx context.Context, d Deps, ev events.APIGatewayV2HTTPRequest, requestID string) (idempotency.Response, bool, tenancy.Principal, error) {
	principal, err := authorizer.PrincipalFrom(ev.RequestContext)
	if err != nil {
		return idempotency.Response{}, false, principal, err
	}
	if err := principal.Require(rt.Scope); err != nil {
		return idempotency.Response{}, false, principal, err
	}
	req, err := requestOf(ev, principal)
	if err != nil {
		return idempotency.Response{}, false, principal, err
	}
	if !rt.Idempotent {
		resp, err := rt.answer(ctx, req)
		return resp, false, principal, err
	}
	key, err := idempotencyKeyOf(ev)
	if err != nil {
		return idempotency.Response{}, false, principal, err
	}
	req.IdempotencyKey = string(key)
	if rt.ReadOnly != nil && rt.ReadOnly(req) {
		resp, err := rt.answer(ctx, req)
		return resp, false, principal, err
	}
	fp := idempotency.FingerprintOf(ev.RequestContext.HTTP.Method, ev.RawPath+"?"+ev.RawQueryString+"#"+string(req.Location), req.body)
	resp, replayed, err := d.Guard.Run(ctx, principal.Tenant, key, fp, func(ctx context.Context) (idempotency.Response, error) {
		resp, err := rt.answer(ctx, req)
		if err != nil && final(err) {
			// A refusal by the domain is this request's answer: keep it for replays.
			return problemOf(ctx, err, requestID, ev.RawPath).response(), nil
		}
		return resp, err
	})
	return resp, replayed, principal, err
}

// final tells an answer worth replaying (a domain refusal) from a failure the
// client may retry with the same key: invalid input it can fix, or a server-side
// or upstream failure.
func final(err error) bool {
	var invalid *ValidationError
	if errors.As(err, &invalid) {
		return false
	}
	return problemFor(err).Status < 500
}

func (rt Route) answer(ctx context.Context, req Request) (idempotency.Response, error) {
	resp, err := rt.Handle(ctx, req)
	if err != nil {
		return idempotency.Response{}, err
	}
	body, err := json.Marshal(resp.Body)
	if err != nil {
		return idempotency.Response{}, err
	}
	return idempotency.Response{Status: resp.Status, ContentType: "application/json", Location: resp.Location, Body: body}, nil
}

// MaxBodyBytes caps a request body: a basket of 500 lines fits with room to
// spare, and nothing larger is decoded.
const MaxBodyBytes = 512 << 10

func requestOf(ev events.APIGatewayV2HTTPRequest, p tenancy.Principal) (Request, error) {
	if len(ev.Body) > MaxBodyBytes*4/3+4 || (!ev.IsBase64Encoded && len(ev.Body) > MaxBodyBytes) {
		return Request{}, &ValidationError{Detail: fmt.Sprintf("the body may hold at most %d bytes", MaxBodyBytes), tooLarge: true}
	}
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return Request{}, &ValidationError{Detail: "the body is not valid base64", malformed: true}
		}
		body = decoded
		if len(body) > MaxBodyBytes {
			return Request{}, &ValidationError{Detail: fmt.Sprintf("the body may hold at most %d bytes", MaxBodyBytes), tooLarge: true}
		}
	}
	req := Request{
		Principal: p, pathParams: ev.PathParameters, query: ev.QueryStringParameters,
		body: body, contentType: header(ev.Headers, "Content-Type"),
	}
	if raw := header(ev.Headers, HeaderLocation); raw != "" {
		location, err := tenancy.ParseLocationID(raw)
		if err != nil {
			return Request{}, Invalid(HeaderLocation, "format", "must be a location id (lower-case letters, digits and '-')")
		}
		req.Location = location
	}
	return req, nil
}

func idempotencyKeyOf(ev events.APIGatewayV2HTTPRequest) (idempotency.Key, error) {
	raw := header(ev.Headers, HeaderIdempotencyKey)
	if raw == "" {
		return "", &ValidationError{Fields: []FieldError{{
			Field: HeaderIdempotencyKey, Code: "required",
			Message: "is required on every POST: a unique value per operation, reused only to retry it",
		}}}
	}
	key, err := idempotency.ParseKey(raw)
	if err != nil {
		return "", Invalid(HeaderIdempotencyKey, "format", "must be 1 to 255 printable ASCII characters without spaces")
	}
	return key, nil
}

func requestIDOf(ctx context.Context, ev events.APIGatewayV2HTTPRequest) string {
	if ev.RequestContext.RequestID != "" {
		return ev.RequestContext.RequestID
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// problemOf answers an error as a problem and logs why. Problems that carry a
// Retry-After (in progress, Leat unavailable) are never stored for replay, so
// the header is only ever set on fresh answers.
func problemOf(ctx context.Context, err error, requestID, instance string) Problem {
	p := problemFor(err)
	p.RequestID, p.Instance = requestID, instance
	level := slog.LevelInfo
	if p.Status >= 500 {
		level = slog.LevelError
	}
	logging.From(ctx).Log(ctx, level, "request failed", "code", p.Code, "status", p.Status, "error", err.Error())
	return p
}

func (p Problem) response() idempotency.Response {
	return idempotency.Response{Status: p.Status, ContentType: ProblemContentType, Body: p.body()}
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// header reads a header case-insensitively; HTTP APIs lower-case them, tests
// and other callers may not.
func header(headers map[string]string, name string) string {
	if v, ok := headers[strings.ToLower(name)]; ok {
		return v
	}
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
