// Command scan-voucher looks up a scanned voucher and whether it can be used.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("scan-voucher", app.ScanVoucher) }
