// Command list-orders lists a location's recent orders, newest first (GET /v1/orders).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("list-orders", app.ListOrders) }
