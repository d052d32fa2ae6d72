// Command compensate-checkout-item gives back one reserved reward or voucher of a checkout (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("compensate-checkout-item", app.CompensateCheckoutItem) }
