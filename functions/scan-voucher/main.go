// Command scan-voucher is the gateway's scan-voucher Lambda; app.Start says how it is built.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("scan-voucher") }
