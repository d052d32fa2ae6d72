// Command cancel-checkout cancels a checkout before payment, giving back what it reserved.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("cancel-checkout", app.CancelCheckout) }
