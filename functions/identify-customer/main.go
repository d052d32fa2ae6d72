// Command identify-customer is the gateway's identify-customer Lambda; app.Start says how it is built.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("identify-customer") }
