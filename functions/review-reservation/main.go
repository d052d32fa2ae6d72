// Command review-reservation decides whether a checkout waits for payment or gives everything back (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("review-reservation", app.ReviewReservation) }
