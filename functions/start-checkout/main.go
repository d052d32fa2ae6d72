// Command start-checkout checks a basket against Leat and starts its checkout saga.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("start-checkout", httpapi.StartCheckout) }
