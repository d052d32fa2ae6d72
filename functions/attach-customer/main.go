// Command attach-customer gives a paid anonymous order its customer, who then earns its points.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("attach-customer", httpapi.AttachCustomer) }
