// Package sandboxtest starts a Leat sandbox for a test.
package sandboxtest

import (
	"net/http/httptest"
	"testing"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

// Server is a running sandbox.
type Server struct {
	// URL is the base URL without path ("http://127.0.0.1:PORT"); Leat clients add /api/v3/oauth/clients.
	URL string
	// Token is the seeded Personal Access Token.
	Token   string
	Sandbox *leatsandbox.Sandbox
}

// Start runs a fresh sandbox on a local port until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	return StartWith(tb, leatsandbox.Options{})
}

// StartWith runs a sandbox with options, for faults from the first request on or a logger.
func StartWith(tb testing.TB, opts leatsandbox.Options) *Server {
	tb.Helper()
	sandbox, err := leatsandbox.New(opts)
	if err != nil {
		tb.Fatalf("leat sandbox: %v", err)
	}
	server := httptest.NewServer(sandbox)
	tb.Cleanup(func() {
		// Connections held by a response_lost fault would keep Close waiting; cut them first.
		server.CloseClientConnections()
		server.Close()
	})
	return &Server{URL: server.URL, Token: sandbox.Token(), Sandbox: sandbox}
}
