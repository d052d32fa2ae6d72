// Package httpapi builds the functions behind the HTTP API: one builder per
// route, each translating through package api, which validates requests.
package httpapi

import (
	"github.com/leatpos/gateway/shared/api"
	"github.com/leatpos/gateway/shared/app"
)

// deps are what every route's function shares: the logger and the
// idempotency guard.
func deps(env *app.Env) api.Deps {
	return api.Deps{Logger: env.Logger, Guard: env.Guard()}
}

// IdentifyCustomer identifies a customer by scanned card, QR code or email.
func IdentifyCustomer(env *app.Env) (any, error) {
	return api.IdentifyCustomer(env.Loyalty()).Lambda(deps(env)), nil
}

// CustomerOverview answers a customer's balances, tier, rewards and offers.
func CustomerOverview(env *app.Env) (any, error) {
	return api.CustomerOverview(env.Loyalty()).Lambda(deps(env)), nil
}

// ScanVoucher looks up a scanned voucher and whether it can be used.
func ScanVoucher(env *app.Env) (any, error) {
	return api.ScanVoucher(env.Loyalty()).Lambda(deps(env)), nil
}

// ScanGiftcard looks up a scanned giftcard, its balance and whether it can be
// sold or pay.
func ScanGiftcard(env *app.Env) (any, error) {
	return api.ScanGiftcard(env.Loyalty()).Lambda(deps(env)), nil
}

// OpenPortalSession opens a Leat-hosted portal session for a customer-facing
// screen.
func OpenPortalSession(env *app.Env) (any, error) {
	return api.OpenPortalSession(env.Loyalty()).Lambda(deps(env)), nil
}

// StartCheckout checks a basket and starts its checkout saga.
func StartCheckout(env *app.Env) (any, error) {
	return api.StartCheckout(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}

// GetCheckout answers a checkout with its steps and result.
func GetCheckout(env *app.Env) (any, error) {
	return api.GetCheckout(env.Checkouts()).Lambda(deps(env)), nil
}

// ReportPayment hands the POS's payment outcome to the waiting saga.
func ReportPayment(env *app.Env) (any, error) {
	return api.ReportPayment(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}

// CancelCheckout gives back what a checkout reserved.
func CancelCheckout(env *app.Env) (any, error) {
	return api.CancelCheckout(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}

// AttachCustomer gives a paid anonymous order its customer, who earns its points.
func AttachCustomer(env *app.Env) (any, error) {
	return api.AttachCustomer(env.Checkouts()).Lambda(deps(env)), nil
}

// IssueClaimLink answers the receipt QR's loyalty token URL.
func IssueClaimLink(env *app.Env) (any, error) {
	return api.IssueClaimLink(env.Checkouts()).Lambda(deps(env)), nil
}

// AddTender debits one more giftcard or prepaid tender while a checkout awaits payment.
func AddTender(env *app.Env) (any, error) {
	return api.AddTender(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}

// StartReturn records a return of a completed order and starts its saga.
func StartReturn(env *app.Env) (any, error) {
	return api.StartReturn(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}

// GetReturn answers one return of an order.
func GetReturn(env *app.Env) (any, error) {
	return api.GetReturn(env.Checkouts()).Lambda(deps(env)), nil
}

// GetOrder answers an order with its Leat transactions and returns.
func GetOrder(env *app.Env) (any, error) {
	return api.GetOrder(env.Checkouts()).Lambda(deps(env)), nil
}

// ListOrders lists a location's recent orders for back offices.
func ListOrders(env *app.Env) (any, error) {
	return api.ListOrders(env.Checkouts()).Lambda(deps(env)), nil
}

// ListCheckoutsForOps lists a location's checkouts needing attention, for operators.
func ListCheckoutsForOps(env *app.Env) (any, error) {
	return api.ListCheckoutsForOps(env.Checkouts()).Lambda(deps(env)), nil
}

// ListReturnsForOps lists the returns of a location's orders needing attention, for operators.
func ListReturnsForOps(env *app.Env) (any, error) {
	return api.ListReturnsForOps(env.Checkouts()).Lambda(deps(env)), nil
}

// RetryCheckoutSettlement settles a checkout needing attention again, for operators.
func RetryCheckoutSettlement(env *app.Env) (any, error) {
	return api.RetryCheckoutSettlement(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}

// RetryReturn runs a return needing attention again, for operators.
func RetryReturn(env *app.Env) (any, error) {
	return api.RetryReturn(env.SagaStartingCheckouts()).Lambda(deps(env)), nil
}
