// Command cancel-checkout cancels a checkout before payment, giving back what it reserved.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("cancel-checkout", httpapi.CancelCheckout) }
