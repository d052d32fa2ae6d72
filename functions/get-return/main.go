// Command get-return answers one return of an order (GET /v1/orders/{order_id}/returns/{return_id}).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("get-return", app.GetReturn) }
