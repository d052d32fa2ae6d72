package localstack

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/bootstrap"
)

// ContainerFunctions maps the name of each function built from its container
// alone to the builder its main.go starts.
func ContainerFunctions() map[string]bootstrap.Builder {
	return map[string]bootstrap.Builder{"authorizer": bootstrap.Authorizer}
}

// Functions maps each other function's name (its directory under functions/
// and its CodeUri) to the builder its main.go starts. The stack runs them all
// in one process; the deployed binaries never link these tables.
func Functions() map[string]app.Builder {
	return map[string]app.Builder{
		"identify-customer":   app.IdentifyCustomer,
		"customer-overview":   app.CustomerOverview,
		"scan-voucher":        app.ScanVoucher,
		"scan-giftcard":       app.ScanGiftcard,
		"open-portal-session": app.OpenPortalSession,

		"start-checkout":   app.StartCheckout,
		"get-checkout":     app.GetCheckout,
		"report-payment":   app.ReportPayment,
		"cancel-checkout":  app.CancelCheckout,
		"add-tender":       app.AddTender,
		"attach-customer":  app.AttachCustomer,
		"issue-claim-link": app.IssueClaimLink,

		"reserve-checkout-item":    app.ReserveCheckoutItem,
		"review-reservation":       app.ReviewReservation,
		"await-payment":            app.AwaitPayment,
		"confirm-checkout-item":    app.ConfirmCheckoutItem,
		"earn-points":              app.EarnPoints,
		"compensate-checkout-item": app.CompensateCheckoutItem,
		"close-checkout":           app.CloseCheckout,

		"start-return":      app.StartReturn,
		"get-return":        app.GetReturn,
		"get-order":         app.GetOrder,
		"list-orders":       app.ListOrders,
		"return-order-step": app.ReturnOrderStep,
		"close-return":      app.CloseReturn,

		"list-checkouts-for-ops":    app.ListCheckoutsForOps,
		"list-returns-for-ops":      app.ListReturnsForOps,
		"retry-checkout-settlement": app.RetryCheckoutSettlement,
		"retry-return":              app.RetryReturn,
	}
}
