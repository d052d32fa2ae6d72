package leat_test

import (
	"context"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox/sandboxtest"
	"github.com/leatpos/gateway/shared/leat"
)

// TestFanOutsReuseWarmConnections: requests that each send four calls at
// once, as the overview does, open connections while the pool warms up only;
// net/http's default pool of two idle connections per host would open two
// for every request after it.
func TestFanOutsReuseWarmConnections(t *testing.T) {
	server := sandboxtest.Start(t)
	contact := server.Sandbox.Seed().Contacts[0].UUID
	// Two tenants' clients share the pool, as they share a Leat host.
	clients := make([]*leat.Client, 2)
	for i := range clients {
		c, err := leat.New(leat.Config{BaseURL: server.URL, Credentials: leat.PersonalAccessToken(server.Token)})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	var opened atomic.Int64
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if !info.Reused {
				opened.Add(1)
			}
		},
	})
	fanOut := func(c *leat.Client) {
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := c.GetContact(ctx, contact); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	// A connection goes back to the pool a moment after its answer is read,
	// so the first fan-outs may open a few more than four between them.
	for range 10 {
		fanOut(clients[0])
	}
	warm := opened.Load()
	if warm == 0 || warm > 8 {
		t.Fatalf("the first fan-outs opened %d connections", warm)
	}
	for i := range 50 {
		fanOut(clients[i%2])
	}
	if more := opened.Load() - warm; more != 0 {
		t.Errorf("50 more fan-outs opened %d new connections, want 0", more)
	}
}
