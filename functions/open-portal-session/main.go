// Command open-portal-session opens a Leat-hosted portal session for a customer-facing screen.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("open-portal-session", app.OpenPortalSession) }
