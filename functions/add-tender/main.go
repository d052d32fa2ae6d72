// Command add-tender debits one more giftcard or prepaid tender while a checkout awaits payment.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("add-tender", app.AddTender) }
