// Command close-return records how a return's saga ended: completed or needing attention (a saga step).
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/closing"
)

func main() { app.Start("close-return", closing.CloseReturn) }
