// Command gateway-admin creates tenants and API keys in the gateway's table.
//
//	gateway-admin create-tenant -id acme -name "Acme Coffee" -credentials secretsmanager:leat/acme \
//	    -location amsterdam=<leat shop uuid> -location utrecht=<leat shop uuid>
//	gateway-admin create-key -tenant acme -name "till 3" -scope pos -location amsterdam
//	gateway-admin disable-key -key lpg_…
//	gateway-admin stuck-checkouts -tenant acme -location amsterdam
//	gateway-admin retry-checkout -tenant acme -checkout amsterdam.T1001
//	gateway-admin stuck-returns -tenant acme -location amsterdam
//	gateway-admin retry-return -tenant acme -location amsterdam -order T1001 -return R1
//
// It reads TABLE_NAME, DYNAMODB_ENDPOINT (for a local table), for a
// checkout's retry CHECKOUT_STATE_MACHINE_ARN, for a return's
// RETURN_STATE_MACHINE_ARN, and the usual AWS settings. A new key is
// printed once; only its SHA-256 is stored.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/bootstrap"
	"github.com/leatpos/gateway/shared/logging"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gateway-admin:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string) error {
	cfg, err := bootstrap.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	container, err := bootstrap.NewContainer(cfg, awsCfg, logging.New(os.Stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	env := app.NewEnv(container)
	return admin{dir: env.Directory(), checkouts: env.SagaStartingCheckouts(), out: os.Stdout}.run(ctx, args)
}
