// Command confirm-checkout-item redeems a locked voucher or collects a reward after payment (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("confirm-checkout-item", app.ConfirmCheckoutItem) }
