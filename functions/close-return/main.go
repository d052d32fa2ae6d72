// Command close-return records how a return's saga ended: completed or needing attention (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("close-return", app.CloseReturn) }
