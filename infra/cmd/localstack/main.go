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
	"path/filepath"
	"syscall"

	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/shared/logging"
)

func main() {
	gatewayAddr := flag.String("addr", "127.0.0.1:3000", "address of the gateway's API")
	sandboxAddr := flag.String("sandbox-addr", "127.0.0.1:8480", "address of the Leat sandbox")
	sfnAddr := flag.String("sfn-addr", "127.0.0.1:8083", "address of the local Step Functions API")
	envFile := flag.String("env-file", "", "also write the printed settings to this file, removed on stop")
	flag.Parse()

	logger := logging.New(os.Stderr, slog.LevelInfo)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stack, err := localstack.Start(ctx, localstack.Options{
		GatewayAddr: *gatewayAddr, SandboxAddr: *sandboxAddr, StepFunctionsAddr: *sfnAddr,
		LeatAPIURL: os.Getenv("LEAT_API_URL"), LeatAPIToken: os.Getenv("LEAT_API_TOKEN"),
		LeatAccountSecret: os.Getenv("LEAT_ACCOUNT_SECRET"), LeatPortalURL: os.Getenv("LEAT_PORTAL_URL"),
		Logger: logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "localstack:", err)
		os.Exit(1)
	}
	stack.PrintEnv(os.Stdout)
	if *envFile != "" {
		if err := writeEnvFile(*envFile, stack); err != nil {
			fmt.Fprintln(os.Stderr, "localstack:", err)
		}
		defer os.Remove(*envFile)
	}
	logger.Info("gateway running; press Ctrl-C to stop", "gateway_url", stack.GatewayURL, "reference_pos", stack.GatewayURL+"/")
	<-ctx.Done()
	if err := stack.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "localstack: stop:", err)
		os.Exit(1)
	}
}

// writeEnvFile keeps the settings where a second terminal can source them;
// only the owner may read it, since it holds API keys.
func writeEnvFile(path string, stack *localstack.Stack) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	stack.PrintEnv(f)
	return f.Close()
}
