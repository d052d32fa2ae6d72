package localstack

import (
	"reflect"
	"runtime"

	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/app/closing"
	"github.com/leatpos/gateway/shared/app/httpapi"
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
		"identify-customer":   httpapi.IdentifyCustomer,
		"customer-overview":   httpapi.CustomerOverview,
		"scan-voucher":        httpapi.ScanVoucher,
		"scan-giftcard":       httpapi.ScanGiftcard,
		"open-portal-session": httpapi.OpenPortalSession,

		"start-checkout":   httpapi.StartCheckout,
		"get-checkout":     httpapi.GetCheckout,
		"report-payment":   httpapi.ReportPayment,
		"cancel-checkout":  httpapi.CancelCheckout,
		"add-tender":       httpapi.AddTender,
		"attach-customer":  httpapi.AttachCustomer,
		"issue-claim-link": httpapi.IssueClaimLink,

		"reserve-checkout-item":    app.ReserveCheckoutItem,
		"review-reservation":       app.ReviewReservation,
		"await-payment":            app.AwaitPayment,
		"confirm-checkout-item":    app.ConfirmCheckoutItem,
		"earn-points":              app.EarnPoints,
		"compensate-checkout-item": app.CompensateCheckoutItem,
		"close-checkout":           closing.CloseCheckout,

		"start-return":      httpapi.StartReturn,
		"get-return":        httpapi.GetReturn,
		"get-order":         httpapi.GetOrder,
		"list-orders":       httpapi.ListOrders,
		"return-order-step": app.ReturnOrderStep,
		"close-return":      closing.CloseReturn,

		"list-checkouts-for-ops":    httpapi.ListCheckoutsForOps,
		"list-returns-for-ops":      httpapi.ListReturnsForOps,
		"retry-checkout-settlement": httpapi.RetryCheckoutSettlement,
		"retry-return":              httpapi.RetryReturn,
	}
}

// BuilderNames maps each function's name to the full name of the builder the
// stack runs for it, which its main.go must start.
func BuilderNames() map[string]string {
	names := map[string]string{}
	for name, build := range ContainerFunctions() {
		names[name] = funcName(build)
	}
	for name, build := range Functions() {
		names[name] = funcName(build)
	}
	return names
}

func funcName(fn any) string { return runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name() }
