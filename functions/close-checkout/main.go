// Command close-checkout ends a checkout's saga: completed, cancelled, or needing attention (a saga step).
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/closing"
)

func main() { app.Start("close-checkout", closing.CloseCheckout) }
