package leatsandbox

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Sandbox. The zero value is a quiet sandbox without faults, every variant at its default.
type Options struct {
	// Logger receives one line per request (method, path, status, duration, fault); nil discards them.
	Logger *slog.Logger
	// Faults are active from the first request on.
	Faults []Fault
	// Variants chooses behaviours by variant name (see VariantChoices); variants left out keep their default.
	Variants map[string]string
}

// Sandbox is an in-memory Leat account served over HTTP, seeded from seed.json.
type Sandbox struct {
	seed     Seed
	clock    *Clock
	logger   *slog.Logger
	mux      *http.ServeMux
	faults   faultSet
	variants *variantSet
	requests requestLog
	tokens   tokenStore
	rate     rateWindow

	mu    sync.Mutex
	state *state
}

// catchAllPattern routes every request that matches no route to routeNotFound.
const catchAllPattern = "/"

// controlRoot is the sandbox's own API, for tests and people; it is not part of Leat.
const controlRoot = "/_sandbox/"

// New builds a sandbox from the embedded seed.
func New(opts Options) (*Sandbox, error) {
	seed, err := loadSeed()
	if err != nil {
		return nil, err
	}
	s := &Sandbox{
		seed:     seed,
		clock:    &Clock{},
		logger:   opts.Logger,
		mux:      http.NewServeMux(),
		variants: newVariantSet(),
		requests: requestLog{limit: requestLogLimit},
		tokens:   tokenStore{personal: seed.Account.PersonalAccessToken},
		rate:     rateWindow{limit: seed.Account.RateLimitPerMinute},
	}
	if s.logger == nil {
		s.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.state, err = newState(seed, s.clock.Now()); err != nil {
		return nil, err
	}
	for _, f := range opts.Faults {
		if err := s.InjectFault(f); err != nil {
			return nil, err
		}
	}
	if err := s.variants.set(opts.Variants); err != nil {
		return nil, err
	}
	for _, rt := range leatRoutes {
		s.mux.Handle(rt.method+" "+apiRoot+rt.path, s.serveLeat(rt.handle))
	}
	s.mux.HandleFunc("POST /oauth/token", s.issueToken)
	s.mux.HandleFunc("GET "+claimPagePath, s.serveClaimPage)
	s.mux.HandleFunc("POST "+claimPagePath, s.serveClaimPage)
	s.registerControl()
	s.mux.HandleFunc(catchAllPattern, s.routeNotFound)
	return s, nil
}

// Token is the seeded Personal Access Token, accepted on every route.
func (s *Sandbox) Token() string {
	return s.seed.Account.PersonalAccessToken
}

// Seed is the data the sandbox started from and returns to on Reset. It is shared: read it, don't modify it.
func (s *Sandbox) Seed() Seed {
	return s.seed
}

// Clock is the sandbox time; advance it to make locks release and cards expire.
func (s *Sandbox) Clock() *Clock {
	return s.clock
}

// Reset puts the account back to the seed and forgets sent emails. Clock, faults, variants, the request log
// and issued tokens stay: they belong to the test run, not to the account.
func (s *Sandbox) Reset() {
	fresh, err := newState(s.seed, s.clock.Now())
	if err != nil {
		panic(fmt.Sprintf("leatsandbox: the seed loaded at start no longer builds: %v", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = fresh
}

// ContactEmails lists the email address of every contact the account holds,
// for tests that look for personal data where it must not be.
func (s *Sandbox) ContactEmails() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var emails []string
	for _, c := range s.state.contacts.order {
		if c.email != "" {
			emails = append(emails, c.email)
		}
	}
	return emails
}

// SentEmails lists the giftcard emails "sent" since the start or the last Reset, oldest first.
func (s *Sandbox) SentEmails() []SentEmail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentEmail{}, s.state.sentEmails...)
}

// InjectFault adds a fault; it applies to requests that arrive from now on.
func (s *Sandbox) InjectFault(f Fault) error {
	return s.faults.add(f)
}

// ClearFaults removes every fault.
func (s *Sandbox) ClearFaults() {
	s.faults.clear()
}

// Faults lists the active faults with the number of hits each has left (0: until cleared).
func (s *Sandbox) Faults() []Fault {
	return s.faults.list()
}

// ServeHTTP answers Leat routes, the token endpoint, the claim page and the control API. Faults act in
// front of routing, like a network or a load balancer would, so they also hit requests that would fail
// authentication; they leave the control API and the claim page alone, which are not Leat's API.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	// Laravel ignores a trailing slash (the SDK sends /lock/); so does the sandbox.
	if path := r.URL.Path; len(path) > 1 && strings.HasSuffix(path, "/") {
		r.URL.Path, r.URL.RawPath = strings.TrimRight(path, "/"), ""
	}
	rec := &recorder{ResponseWriter: w}
	defer func() { s.logRequest(r, rec, time.Since(started)) }()

	if strings.HasPrefix(r.URL.Path, controlRoot) || r.URL.Path == claimPagePath {
		s.mux.ServeHTTP(rec, r)
		return
	}
	s.setLeatHeaders(rec)
	_, pattern := s.mux.Handler(r)
	route, path := routePath(pattern), apiPath(r.URL.Path)
	defer func() {
		s.requests.add(RequestRecord{Method: r.Method, Route: route, Path: path, Started: started, Ended: time.Now(),
			Status: rec.status, Fault: rec.fault})
	}()
	if fault, ok := s.faults.take(r.Method, route, path); ok {
		rec.fault = fault.Kind
		s.inject(fault, rec, r)
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// setLeatHeaders sets the headers Leat's recordings show on every answer.
func (s *Sandbox) setLeatHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache, private")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Authorization")
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.rate.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.rate.hit(s.clock.Now())))
}

// apiPath is a request path as faults name it: relative to the API root.
func apiPath(path string) string {
	if path == apiRoot {
		return "/"
	}
	return strings.TrimPrefix(path, apiRoot)
}

// routePath turns a mux pattern ("POST /api/v3/oauth/clients/vouchers/{uuid}/lock") into the route as
// faults name it ("/vouchers/{uuid}/lock"); the catch-all is no route at all.
func routePath(pattern string) string {
	if pattern == catchAllPattern {
		return ""
	}
	_, path, _ := strings.Cut(pattern, " ")
	return apiPath(path)
}

func (s *Sandbox) logRequest(r *http.Request, rec *recorder, elapsed time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", rec.status),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
	}
	if rec.fault != "" {
		attrs = append(attrs, slog.String("fault", string(rec.fault)))
	}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}

// recorder remembers what was answered, for the request log. Status 0 means no answer was written.
type recorder struct {
	http.ResponseWriter
	status int
	fault  FaultKind
}

func (rec *recorder) WriteHeader(status int) {
	rec.status = status
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection, which the drop faults hijack.
func (rec *recorder) Unwrap() http.ResponseWriter {
	return rec.ResponseWriter
}

// rateWindow counts requests per minute of sandbox time for the X-RateLimit-* headers, like Laravel's
// throttle. It never refuses a request by itself: 429s come from rate_limit faults, so tests decide when.
type rateWindow struct {
	limit  int
	mu     sync.Mutex
	minute int64
	used   int
}

// hit counts one request and returns what is left of the window.
func (rw *rateWindow) hit(now time.Time) int {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if minute := now.Unix() / 60; minute != rw.minute {
		rw.minute, rw.used = minute, 0
	}
	rw.used++
	return max(0, rw.limit-rw.used)
}
