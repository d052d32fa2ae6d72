// Command report-payment hands the POS's payment outcome to the waiting checkout saga.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("report-payment", httpapi.ReportPayment) }
