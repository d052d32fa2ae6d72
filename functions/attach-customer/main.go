// Command attach-customer gives a paid anonymous order its customer, who then earns its points.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("attach-customer", app.AttachCustomer) }
