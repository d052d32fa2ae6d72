// Command open-portal-session is the gateway's open-portal-session Lambda; app.Start says how it is built.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("open-portal-session") }
