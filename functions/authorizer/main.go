// Command authorizer resolves the bearer API key to tenant, locations and scopes.
package main

import "github.com/leatpos/gateway/shared/bootstrap"

func main() { bootstrap.Start("authorizer", bootstrap.Authorizer) }
