package leatsandbox

import (
	"sync"
	"time"
)

// Clock is the sandbox's notion of now: real time plus an offset that only moves forward. Every time rule
// (voucher lock release, expiry dates, token lifetime, created_at) reads it, so a test can make an hour
// pass in a microsecond.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the current sandbox time in UTC.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset).UTC()
}

// Advance moves the sandbox time forward by d; a negative d is ignored because time rules assume it never
// runs backwards.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
