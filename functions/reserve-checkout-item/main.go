// Command reserve-checkout-item reserves one reward or voucher of a checkout in Leat (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("reserve-checkout-item", app.ReserveCheckoutItem) }
