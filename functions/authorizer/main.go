// Command authorizer is the gateway's authorizer Lambda; app.Start says how it is built.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("authorizer") }
