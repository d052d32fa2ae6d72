// Command get-checkout answers a checkout with every Leat step it took and its result.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("get-checkout", httpapi.GetCheckout) }
