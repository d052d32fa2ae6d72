// Command customer-overview answers a customer's balances, tier, rewards and offers.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("customer-overview", app.CustomerOverview) }
