package localstack

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Usage counts what the stack's work would be billed for in AWS: Lambda
// invocations per function, and AWS API calls per operation
// ("DynamoDB_20120810.PutItem"), as the functions made them.
type Usage struct {
	mu          sync.Mutex
	invocations map[string]int64
	calls       map[string]int64
	busy        time.Duration
}

func newUsage() *Usage {
	return &Usage{invocations: map[string]int64{}, calls: map[string]int64{}}
}

// UsageCounts are the counts at one moment.
type UsageCounts struct {
	// Invocations are per function; Calls per AWS operation.
	Invocations, Calls map[string]int64
	// Busy is the functions' time in their handlers, all invocations together.
	Busy time.Duration
}

// Snapshot copies the counts so far.
func (u *Usage) Snapshot() UsageCounts {
	u.mu.Lock()
	defer u.mu.Unlock()
	return UsageCounts{Invocations: maps.Clone(u.invocations), Calls: maps.Clone(u.calls), Busy: u.busy}
}

func (u *Usage) count(into map[string]int64, key string) {
	u.mu.Lock()
	into[key]++
	u.mu.Unlock()
}

// wrap counts a function's invocations.
func (u *Usage) wrap(name string, handler any) any {
	return countedHandler{usage: u, name: name, inner: handler}
}

type countedHandler struct {
	usage *Usage
	name  string
	inner any
}

func (h countedHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	h.usage.count(h.usage.invocations, h.name)
	began := time.Now()
	defer func() {
		h.usage.mu.Lock()
		h.usage.busy += time.Since(began)
		h.usage.mu.Unlock()
	}()
	return invoke(ctx, h.inner, payload)
}

// countedTransport counts the AWS API calls sent through it by the
// operation their X-Amz-Target names.
type countedTransport struct {
	usage *Usage
	next  http.RoundTripper
}

func (t countedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if target := req.Header.Get("X-Amz-Target"); target != "" {
		t.usage.count(t.usage.calls, strings.TrimSpace(target))
	}
	return t.next.RoundTrip(req)
}
