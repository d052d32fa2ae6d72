package localstack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
)

// Crashes kills a share of the sagas' step invocations the way Lambda ends
// one that runs out of time or memory between recording a Leat write's
// intent and recording its result: the write reaches Leat, and nothing the
// invocation tries after it reaches Leat, DynamoDB or Step Functions. Step
// Functions then sees the function die, under one of the names Lambda
// reports that by, and the saga must pick up what it left.
//
// A doomed invocation that never writes to Leat is not killed: it had no
// intent to leave behind.
type Crashes struct {
	percent int

	mu  sync.Mutex
	rng *rand.Rand

	killed atomic.Int64
}

// NewCrashes dooms percent of the step invocations, chosen by a source
// seeded with seed, so a run can be replayed.
func NewCrashes(percent int, seed uint64) *Crashes {
	return &Crashes{percent: percent, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Killed counts the invocations killed so far.
func (c *Crashes) Killed() int { return int(c.killed.Load()) }

// stepFunctions are the functions that write to Leat under a recorded intent.
var stepFunctions = []string{"reserve-checkout-item", "confirm-checkout-item", "earn-points", "compensate-checkout-item", "return-order-step"}

// diedAs are the errors Lambda reports for a function that died mid-call.
var diedAs = []messages.InvokeResponse_Error{
	{Type: "Sandbox.Timedout", Message: "Task timed out"},
	{Type: "Runtime.ExitError", Message: "RequestId: local Error: Runtime exited with error: signal: killed"},
	{Type: "Lambda.Unknown", Message: "The function ended without answering"},
}

// doom travels in a doomed invocation's context.
type doom struct {
	dead atomic.Bool
}

type doomKey struct{}

var errKilled = errors.New("localstack: the invocation was killed")

// wrap dooms a share of the invocations of a step function's handler.
func (c *Crashes) wrap(name string, handler any) any {
	if !slices.Contains(stepFunctions, name) {
		return handler
	}
	return crashingHandler{crashes: c, inner: handler}
}

func (c *Crashes) pick() (doomed bool, death messages.InvokeResponse_Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rng.IntN(100) < c.percent, diedAs[c.rng.IntN(len(diedAs))]
}

// crashingHandler is a step function's handler some of whose invocations die.
type crashingHandler struct {
	crashes *Crashes
	inner   any
}

func (h crashingHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	doomed, death := h.crashes.pick()
	if !doomed {
		return invoke(ctx, h.inner, payload)
	}
	d := &doom{}
	out, err := invoke(context.WithValue(ctx, doomKey{}, d), h.inner, payload)
	if d.dead.Load() {
		h.crashes.killed.Add(1)
		return nil, death
	}
	return out, err
}

// invoke runs a handler as the Lambda runtime would; a new lambda.Handler
// for each call, since one hands back a buffer it reuses.
func invoke(ctx context.Context, handler any, payload []byte) ([]byte, error) {
	out, err := lambda.NewHandler(handler).Invoke(ctx, payload)
	return bytes.Clone(out), err
}

// leatTransport lets a doomed invocation's first Leat write through and
// kills the invocation as its answer comes back.
type leatTransport struct{ next http.RoundTripper }

func (t leatTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	d, _ := req.Context().Value(doomKey{}).(*doom)
	if d == nil {
		return t.next.RoundTrip(req)
	}
	if d.dead.Load() {
		return nil, fmt.Errorf("%w before %s %s", errKilled, req.Method, req.URL.Path)
	}
	resp, err := t.next.RoundTrip(req)
	if req.Method != http.MethodGet && !strings.HasSuffix(req.URL.Path, "/oauth/token") {
		d.dead.Store(true)
	}
	return resp, err
}

// awsTransport refuses every AWS call of a killed invocation.
type awsTransport struct{ next http.RoundTripper }

func (t awsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if d, _ := req.Context().Value(doomKey{}).(*doom); d != nil && d.dead.Load() {
		return nil, fmt.Errorf("%w before %s", errKilled, req.Header.Get("X-Amz-Target"))
	}
	return t.next.RoundTrip(req)
}
