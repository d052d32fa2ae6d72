// Command list-checkouts-for-ops lists a location's checkouts needing attention, with their steps, for operators.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("list-checkouts-for-ops", app.ListCheckoutsForOps) }
