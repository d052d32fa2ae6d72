// Command add-tender debits one more giftcard or prepaid tender while a checkout awaits payment.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("add-tender", httpapi.AddTender) }
