// Command issue-claim-link answers the receipt QR's loyalty token URL of a paid anonymous order.
package main

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/httpapi"
)

func main() { app.Start("issue-claim-link", httpapi.IssueClaimLink) }
