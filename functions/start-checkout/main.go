// Command start-checkout checks a basket against Leat and starts its checkout saga.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("start-checkout", app.StartCheckout) }
