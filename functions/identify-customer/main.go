// Command identify-customer identifies a customer by scanned card, QR code or email.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("identify-customer", httpapi.IdentifyCustomer) }
