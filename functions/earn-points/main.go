// Command earn-points records a paid checkout's order in Leat, which earns its points (a saga step).
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("earn-points", app.EarnPoints) }
