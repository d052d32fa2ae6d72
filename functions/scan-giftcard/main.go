// Command scan-giftcard looks up a scanned giftcard, its balance and whether it can be sold or pay.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("scan-giftcard", httpapi.ScanGiftcard) }
