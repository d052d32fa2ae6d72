// Command await-payment keeps the waiting checkout saga's task token on its checkout (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("await-payment", app.AwaitPayment) }
