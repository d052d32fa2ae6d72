// Command list-returns-for-ops lists the returns of a location's orders needing attention, with their steps, for operators.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("list-returns-for-ops", httpapi.ListReturnsForOps) }
