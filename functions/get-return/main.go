// Command get-return answers one return of an order (GET /v1/orders/{order_id}/returns/{return_id}).
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("get-return", httpapi.GetReturn) }
