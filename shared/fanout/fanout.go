// Package fanout runs independent calls at once, because a cashier waits for
// the slowest of them rather than for their sum.
package fanout

import (
	"context"
	"sync"
)

// All runs calls in parallel and returns the first error, cancelling the
// others' context once one fails.
func All(ctx context.Context, calls ...func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for _, call := range calls {
		wg.Go(func() {
			if err := call(ctx); err != nil {
				once.Do(func() { first = err; cancel(err) })
			}
		})
	}
	wg.Wait()
	return first
}
