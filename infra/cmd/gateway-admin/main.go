// Command gateway-admin creates tenants and API keys in the gateway's table.
//
//	gateway-admin create-tenant -id acme -name "Acme Coffee" -credentials secretsmanager:leat/acme \
//	    -location amsterdam=<leat shop uuid> -location utrecht=<leat shop uuid>
//	gateway-admin create-key -tenant acme -name "till 3" -scope pos -location amsterdam
//	gateway-admin disable-key -key lpg_…
//
// It reads TABLE_NAME, DYNAMODB_ENDPOINT (for a local table) and the usual AWS
// settings. A new key is printed once; only its SHA-256 is stored.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/leatpos/gateway/shared/dynamodb"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gateway-admin:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string) error {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return fmt.Errorf("set TABLE_NAME to the gateway's table")
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	t, err := dynamodb.NewTable(dynamodb.NewClient(awsCfg, os.Getenv("DYNAMODB_ENDPOINT")), table)
	if err != nil {
		return err
	}
	return admin{dir: dynamodb.NewDirectory(t), out: os.Stdout}.run(ctx, args)
}
