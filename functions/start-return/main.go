// Command start-return records a return of a completed order and starts its saga (POST /v1/orders/{order_id}/returns).
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("start-return", httpapi.StartReturn) }
