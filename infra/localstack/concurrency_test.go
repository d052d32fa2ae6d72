package localstack_test

import (
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentRequestsToOneFunction sends many requests to one route at
// once, as tills do: each invocation must get its own answer (the race
// detector watches the emulated Lambda runtime's buffers).
func TestConcurrentRequestsToOneFunction(t *testing.T) {
	var wg sync.WaitGroup
	answers := make([]answer, 40)
	errs := make([]error, len(answers))
	for i := range answers {
		wg.Go(func() {
			answers[i], errs[i] = exchange(request{Method: http.MethodGet, Path: "/v1/checkouts/shop-1.NO-SUCH-ORDER"})
		})
	}
	wg.Wait()
	for i, a := range answers {
		if errs[i] != nil || a.Status != http.StatusNotFound {
			t.Errorf("request %d: %d %s %v", i, a.Status, a.Body, errs[i])
		}
	}
}
