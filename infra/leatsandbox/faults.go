package leatsandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is a way a call to Leat can go wrong.
type FaultKind string

const (
	// FaultLatency delays the answer by Fault.Delay, then answers normally.
	FaultLatency FaultKind = "latency"
	// FaultRateLimit answers 429 with Retry-After (Fault.RetryAfter, default 1s); nothing is applied.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultMaintenance answers 503, Leat's maintenance mode; nothing is applied.
	FaultMaintenance FaultKind = "maintenance"
	// FaultServerError answers 500; nothing is applied.
	FaultServerError FaultKind = "server_error"
	// FaultDrop closes the connection without an answer; nothing is applied.
	FaultDrop FaultKind = "drop"
	// FaultResponseLost applies the request, then holds the connection until the client gives up (or
	// Fault.Delay, default 30s, passes) and closes it without an answer: the outcome the client cannot know.
	FaultResponseLost FaultKind = "response_lost"
	// FaultGarbled answers 200 with a body that is not Leat's JSON (a proxy's page, say); nothing is applied.
	FaultGarbled FaultKind = "garbled"
	// FaultRefuse answers Leat's business error Fault.Code (HTTP 400, the code's message from Leat's code
	// table) without applying anything, as if Leat had refused the request itself: out of stock, say, for the
	// third reward of a checkout.
	FaultRefuse FaultKind = "refuse"
)

const (
	defaultRetryAfter = time.Second
	defaultLostHold   = 30 * time.Second
)

// Fault makes matching requests fail. Method "" matches every method. Path is written relative to the API
// root (/api/v3/oauth/clients; writing the root too is allowed) and is one of:
//   - "" — every request;
//   - an exact path, "/vouchers/redeem" or "/vouchers/0b36…/lock";
//   - a route pattern with {uuid}, "/vouchers/{uuid}/lock", matching that route for any uuid;
//   - a prefix ending in "*", "/giftcard-transactions*".
//
// The token endpoint is "/oauth/token". Control routes (/_sandbox/) are never faulted. When several faults
// match, the oldest one fires.
type Fault struct {
	Kind   FaultKind
	Method string
	Path   string
	// Times is how many requests the fault hits before it disappears; 0 means until cleared.
	Times int
	// Percent, when set (1–99), hits a matching request only that often, drawn from a source seeded
	// with 1 so a run can be replayed; a request it spares goes on to the next matching fault.
	Percent int
	// Delay is the added latency (latency) or the longest hold of the connection (response_lost).
	Delay time.Duration
	// RetryAfter is the Retry-After header of rate_limit and maintenance answers.
	RetryAfter time.Duration
	// Code is the Leat error code a refuse fault answers, one of Leat's code table (leat-api.md §4).
	Code int
}

// faultJSON is how faults are written in JSON, durations as Go duration strings ("250ms").
type faultJSON struct {
	Kind       FaultKind `json:"kind"`
	Method     string    `json:"method,omitempty"`
	Path       string    `json:"path,omitempty"`
	Times      int       `json:"times,omitempty"`
	Percent    int       `json:"percent,omitempty"`
	Delay      string    `json:"delay,omitempty"`
	RetryAfter string    `json:"retry_after,omitempty"`
	Code       int       `json:"code,omitempty"`
}

func (f Fault) MarshalJSON() ([]byte, error) {
	wire := faultJSON{Kind: f.Kind, Method: f.Method, Path: f.Path, Times: f.Times, Percent: f.Percent, Code: f.Code}
	if f.Delay > 0 {
		wire.Delay = f.Delay.String()
	}
	if f.RetryAfter > 0 {
		wire.RetryAfter = f.RetryAfter.String()
	}
	return json.Marshal(wire)
}

func (f *Fault) UnmarshalJSON(data []byte) error {
	var wire faultJSON
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*f = Fault{Kind: wire.Kind, Method: wire.Method, Path: wire.Path, Times: wire.Times, Percent: wire.Percent, Code: wire.Code}
	var err error
	if wire.Delay != "" {
		if f.Delay, err = time.ParseDuration(wire.Delay); err != nil {
			return fmt.Errorf("fault delay: %w", err)
		}
	}
	if wire.RetryAfter != "" {
		if f.RetryAfter, err = time.ParseDuration(wire.RetryAfter); err != nil {
			return fmt.Errorf("fault retry_after: %w", err)
		}
	}
	return nil
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultLatency, FaultRateLimit, FaultMaintenance, FaultServerError, FaultDrop, FaultResponseLost, FaultGarbled:
		if f.Code != 0 {
			return fmt.Errorf("fault %s takes no code; only refuse answers a Leat error code", f.Kind)
		}
	case FaultRefuse:
		if _, known := leatMessages[f.Code]; !known {
			return fmt.Errorf("fault refuse needs a Leat error code from Leat's code table, not %d", f.Code)
		}
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	if f.Times < 0 || f.Delay < 0 || f.RetryAfter < 0 {
		return errors.New("fault times and durations cannot be negative")
	}
	if f.Percent < 0 || f.Percent > 99 {
		return fmt.Errorf("fault percent %d is not between 1 and 99 (0: every matching request)", f.Percent)
	}
	return nil
}

func (f Fault) matches(method, route, path string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if prefix, isPrefix := strings.CutSuffix(f.Path, "*"); isPrefix {
		return strings.HasPrefix(path, prefix)
	}
	return f.Path == "" || f.Path == path || f.Path == route
}

// ParseFaults reads faults from JSON (one fault object or an array of them) or from the short text form:
// faults separated by ";", each written as
//
//	kind[=setting] [METHOD] [path] [xN] [N%]
//
// where the setting is the Delay of latency and response_lost, the RetryAfter of rate_limit and
// maintenance, and the Leat error Code of refuse (which needs one); xN is Times and N% is Percent. Examples:
//
//	latency=300ms
//	rate_limit=5s POST /giftcard-transactions x2; response_lost POST /orders/create-and-process x1
//	refuse=1018 POST /reward-receptions x1
//	maintenance POST /giftcard-transactions* 25%
//
// In JSON the code is a number: {"kind":"refuse","code":1018,"method":"POST","path":"/reward-receptions","times":1}.
func ParseFaults(spec string) ([]Fault, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "":
		return nil, nil
	case strings.HasPrefix(spec, "["):
		var faults []Fault
		if err := json.Unmarshal([]byte(spec), &faults); err != nil {
			return nil, fmt.Errorf("faults: %w", err)
		}
		return faults, validateAll(faults)
	case strings.HasPrefix(spec, "{"):
		var f Fault
		if err := json.Unmarshal([]byte(spec), &f); err != nil {
			return nil, fmt.Errorf("fault: %w", err)
		}
		return []Fault{f}, f.validate()
	}
	var faults []Fault
	for _, text := range strings.Split(spec, ";") {
		if strings.TrimSpace(text) == "" {
			continue
		}
		f, err := parseFault(text)
		if err != nil {
			return nil, err
		}
		faults = append(faults, f)
	}
	return faults, nil
}

func parseFault(text string) (Fault, error) {
	words := strings.Fields(text)
	kind, setting, hasSetting := strings.Cut(words[0], "=")
	f := Fault{Kind: FaultKind(kind)}
	if hasSetting {
		if err := f.setFromText(setting); err != nil {
			return Fault{}, fmt.Errorf("fault %q: %w", text, err)
		}
	}
	for _, word := range words[1:] {
		times, isTimes := strings.CutPrefix(word, "x")
		n, err := strconv.Atoi(times)
		percent, isPercent := strings.CutSuffix(word, "%")
		p, percentErr := strconv.Atoi(percent)
		switch {
		case isTimes && err == nil:
			f.Times = n
		case isPercent && percentErr == nil:
			f.Percent = p
		case strings.HasPrefix(word, "/"):
			f.Path = word
		case word == strings.ToUpper(word):
			f.Method = word
		default:
			return Fault{}, fmt.Errorf("fault %q: cannot read %q", text, word)
		}
	}
	return f, f.validate()
}

// setFromText reads the setting written after "kind=" in the text form.
func (f *Fault) setFromText(setting string) error {
	if f.Kind == FaultRefuse {
		code, err := strconv.Atoi(setting)
		if err != nil {
			return fmt.Errorf("refuse takes a Leat error code, not %q", setting)
		}
		f.Code = code
		return nil
	}
	d, err := time.ParseDuration(setting)
	if err != nil {
		return err
	}
	switch f.Kind {
	case FaultLatency, FaultResponseLost:
		f.Delay = d
	case FaultRateLimit, FaultMaintenance:
		f.RetryAfter = d
	default:
		return fmt.Errorf("%s takes no duration", f.Kind)
	}
	return nil
}

func validateAll(faults []Fault) error {
	for _, f := range faults {
		if err := f.validate(); err != nil {
			return err
		}
	}
	return nil
}

// faultSet holds the active faults, oldest first.
type faultSet struct {
	mu     sync.Mutex
	active []Fault
	draws  *rand.Rand // decides the faults with a Percent
}

// faultSeed makes runs with Percent faults repeatable, request order permitting.
const faultSeed = 1

func (fs *faultSet) add(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.Path != "" {
		f.Path = "/" + strings.TrimPrefix(strings.TrimPrefix(f.Path, apiRoot), "/")
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.active = append(fs.active, f)
	return nil
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.active = nil
	fs.draws = nil
}

func (fs *faultSet) list() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]Fault{}, fs.active...)
}

// take returns the fault that hits this request, using up one of its times.
func (fs *faultSet) take(method, route, path string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.active {
		if !f.matches(method, route, path) || !fs.draw(f.Percent) {
			continue
		}
		switch f.Times {
		case 0:
		case 1:
			fs.active = append(fs.active[:i:i], fs.active[i+1:]...)
		default:
			fs.active[i].Times--
		}
		return f, true
	}
	return Fault{}, false
}

// draw tells whether a fault that hits percent of the requests hits this one.
func (fs *faultSet) draw(percent int) bool {
	if percent == 0 {
		return true
	}
	if fs.draws == nil {
		fs.draws = rand.New(rand.NewPCG(faultSeed, faultSeed))
	}
	return fs.draws.IntN(100) < percent
}

// inject answers a request hit by f.
func (s *Sandbox) inject(f Fault, w http.ResponseWriter, r *http.Request) {
	switch f.Kind {
	case FaultLatency:
		if wait(r.Context(), f.Delay) {
			s.mux.ServeHTTP(w, r)
		}
	case FaultRateLimit:
		w.Header().Set("Retry-After", retryAfterSeconds(f.RetryAfter, defaultRetryAfter))
		w.Header().Set("X-RateLimit-Remaining", "0")
		writeError(w, transportError(http.StatusTooManyRequests, "Too Many Attempts."))
	case FaultMaintenance:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", retryAfterSeconds(f.RetryAfter, 0))
		}
		writeError(w, transportError(http.StatusServiceUnavailable, "Service Unavailable"))
	case FaultServerError:
		writeError(w, transportError(http.StatusInternalServerError, "Server Error"))
	case FaultGarbled:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "<html><body>Welcome to nginx!</body></html>")
	case FaultRefuse:
		writeError(w, leatError(f.Code))
	case FaultDrop:
		abortConnection(w)
	case FaultResponseLost:
		s.mux.ServeHTTP(&discardingWriter{header: http.Header{}}, r)
		hold := f.Delay
		if hold == 0 {
			hold = defaultLostHold
		}
		wait(r.Context(), hold)
		abortConnection(w)
	}
}

// wait sleeps for d unless the client goes away first; it reports whether the full time passed.
func wait(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// retryAfterSeconds writes a duration as whole seconds, rounded up, as Retry-After wants.
func retryAfterSeconds(d, fallback time.Duration) string {
	if d == 0 {
		d = fallback
	}
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

// abortConnection closes the connection without writing a byte. Hijacking makes that explicit on HTTP/1;
// where the connection cannot be hijacked (HTTP/2), net/http's abort panic resets the stream instead.
func abortConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// discardingWriter takes the answer of a request whose response is lost on the way.
type discardingWriter struct {
	header http.Header
}

func (d *discardingWriter) Header() http.Header         { return d.header }
func (d *discardingWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardingWriter) WriteHeader(int)             {}
