// Command scan-voucher looks up a scanned voucher and whether it can be used.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("scan-voucher", httpapi.ScanVoucher) }
