// Command get-order answers an order with its Leat transactions and returns (GET /v1/orders/{order_id}).
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("get-order", httpapi.GetOrder) }
