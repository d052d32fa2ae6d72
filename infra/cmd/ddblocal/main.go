// Command ddblocal runs a command while DynamoDB Local runs beside it:
//
//	go run ./infra/cmd/ddblocal -- go test ./...
//
// The command sees DYNAMODB_ENDPOINT; the engine stops when the command ends.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/leatpos/gateway/infra/ddblocal"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: ddblocal -- command [args...]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code, err := ddblocal.Exec(ctx, args[0], args[1:]...)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}
