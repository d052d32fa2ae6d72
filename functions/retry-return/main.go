// Command retry-return runs a return needing attention again once an operator fixed the cause.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("retry-return", httpapi.RetryReturn) }
