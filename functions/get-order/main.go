// Command get-order answers an order with its Leat transactions and returns (GET /v1/orders/{order_id}).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("get-order", app.GetOrder) }
