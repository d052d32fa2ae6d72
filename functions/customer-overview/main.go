// Command customer-overview answers a customer's balances, tier, rewards and offers.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("customer-overview", httpapi.CustomerOverview) }
