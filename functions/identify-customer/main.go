// Command identify-customer identifies a customer by scanned card, QR code or email.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("identify-customer", app.IdentifyCustomer) }
