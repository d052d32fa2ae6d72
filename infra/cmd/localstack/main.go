// Command localstack runs the whole gateway on localhost (`make run`). It
// prints GATEWAY_URL, the demo API keys and the Leat sandbox's address, one
// per line on stdout, logs JSON to stderr, and stops everything on Ctrl-C.
// With LEAT_API_URL and LEAT_API_TOKEN set, it talks to that Leat account
// instead of the sandbox.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/shared/logging"
)

func main() {
	gatewayAddr := flag.String("addr", "127.0.0.1:3000", "address of the gateway's API")
	sandboxAddr := flag.String("sandbox-addr", "127.0.0.1:8480", "address of the Leat sandbox")
	flag.Parse()

	logger := logging.New(os.Stderr, slog.LevelInfo)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stack, err := localstack.Start(ctx, localstack.Options{
		GatewayAddr: *gatewayAddr, SandboxAddr: *sandboxAddr,
		LeatAPIURL: os.Getenv("LEAT_API_URL"), LeatAPIToken: os.Getenv("LEAT_API_TOKEN"),
		Logger: logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "localstack:", err)
		os.Exit(1)
	}
	stack.PrintEnv(os.Stdout)
	logger.Info("gateway running; press Ctrl-C to stop", "gateway_url", stack.GatewayURL)
	<-ctx.Done()
	if err := stack.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "localstack: stop:", err)
		os.Exit(1)
	}
}
