// Command authorizer resolves the bearer API key to tenant, locations and scopes.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("authorizer", app.Authorizer) }
