package leatsandbox

import (
	"slices"
	"sync"
	"time"
)

// requestLogLimit bounds the request log: a long benchmark keeps its latest requests, not all of memory.
const requestLogLimit = 10_000

// RequestRecord is one request to Leat's routes (the API and /oauth/token; not the control API and not the
// claim page), for benchmarks that count round trips to Leat.
type RequestRecord struct {
	Method string `json:"method"`
	// Route is the route pattern as faults name it ("/vouchers/{uuid}/lock"), "" when no route matched.
	Route string `json:"route"`
	// Path is the requested path relative to the API root ("/vouchers/0b36…/lock").
	Path string `json:"path"`
	// Started and Ended are wall-clock times, not the sandbox clock: they measure the round trip.
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended"`
	// Status is the HTTP status answered, 0 when the connection closed without an answer.
	Status int       `json:"status"`
	Fault  FaultKind `json:"fault,omitempty"`
}

// requestLog keeps the latest records in a ring, in the order the requests ended.
type requestLog struct {
	mu      sync.Mutex
	limit   int
	records []RequestRecord
	oldest  int // index of the oldest record once the ring is full
}

func (l *requestLog) add(r RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.records) < l.limit {
		l.records = append(l.records, r)
		return
	}
	l.records[l.oldest] = r
	l.oldest = (l.oldest + 1) % l.limit
}

func (l *requestLog) list() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	ordered := make([]RequestRecord, 0, len(l.records))
	ordered = append(ordered, l.records[l.oldest:]...)
	return append(ordered, l.records[:l.oldest]...)
}

func (l *requestLog) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records, l.oldest = nil, 0
}

// Requests returns the latest requests to Leat's routes (at most 10,000), in the order they ended.
func (s *Sandbox) Requests() []RequestRecord {
	return s.requests.list()
}

// ClearRequests empties the request log, to count the requests of what comes next.
func (s *Sandbox) ClearRequests() {
	s.requests.clear()
}

// CriticalPath counts the round trips a caller waited for one after
// another: the longest chain of requests each of which started after the
// previous one ended. Requests sent together count once.
func CriticalPath(requests []RequestRecord) int {
	requests = slices.Clone(requests)
	slices.SortFunc(requests, func(a, b RequestRecord) int { return a.Started.Compare(b.Started) })
	depth := make([]int, len(requests))
	longest := 0
	for i, r := range requests {
		depth[i] = 1
		for j := range i {
			if !requests[j].Ended.After(r.Started) {
				depth[i] = max(depth[i], depth[j]+1)
			}
		}
		longest = max(longest, depth[i])
	}
	return longest
}
