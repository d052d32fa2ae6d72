// Command close-checkout ends a checkout's saga: completed, cancelled, or needing attention (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("close-checkout", app.CloseCheckout) }
