// Command retry-checkout-settlement settles a checkout needing attention again once an operator fixed the cause.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("retry-checkout-settlement", httpapi.RetryCheckoutSettlement) }
