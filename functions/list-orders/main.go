// Command list-orders lists a location's recent orders, newest first (GET /v1/orders).
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("list-orders", httpapi.ListOrders) }
