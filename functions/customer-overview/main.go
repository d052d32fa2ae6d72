// Command customer-overview is the gateway's customer-overview Lambda; app.Start says how it is built.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("customer-overview") }
