// Command open-portal-session opens a Leat-hosted portal session for a customer-facing screen.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("open-portal-session", httpapi.OpenPortalSession) }
