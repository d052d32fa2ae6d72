// Command report-payment hands the POS's payment outcome to the waiting checkout saga.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("report-payment", app.ReportPayment) }
