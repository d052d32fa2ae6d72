// Command return-order-step performs one step of a return in Leat (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("return-order-step", app.ReturnOrderStep) }
