// Command scan-giftcard is the gateway's scan-giftcard Lambda; app.Start says how it is built.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("scan-giftcard") }
