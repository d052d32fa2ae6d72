// Package store names what every storage adapter reports alike, so the
// domains and the API tell an outage from a refusal without knowing the
// technology behind the store.
package store

import "errors"

// ErrUnavailable means the store could not be reached or would not answer
// (a network failure, throttling, a server error): the same request may
// succeed later, and nothing says it changed anything.
var ErrUnavailable = errors.New("store unavailable")
