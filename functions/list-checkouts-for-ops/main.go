// Command list-checkouts-for-ops lists a location's checkouts needing attention, with their steps, for operators.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("list-checkouts-for-ops", httpapi.ListCheckoutsForOps) }
