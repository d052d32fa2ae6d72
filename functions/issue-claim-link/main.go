// Command issue-claim-link answers the receipt QR's loyalty token URL of a paid anonymous order.
package main

import "github.com/leatpos/gateway/shared/app"

func main() { app.Start("issue-claim-link", app.IssueClaimLink) }
