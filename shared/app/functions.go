// Package app wires every function but the authorizer: the dependencies
// built from a container's configuration (Env), and one Builder per function
// naming its handler and what that needs. Each functions/<name>/main.go
// starts its own builder, so a binary links only its own function; the local
// stack keeps the table of them all. Package bootstrap, beneath it, starts
// the container and builds the authorizer, which needs nothing of this.
package app

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/leatpos/gateway/shared/api"
	"github.com/leatpos/gateway/shared/bootstrap"
	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/store"
)

// Builder builds a function's Lambda handler from its container's Env, naming
// the handler and the dependencies it uses. It fails when one of them cannot
// be built, such as one missing the setting it needs. Each
// functions/<name>/main.go starts one builder, so its binary links only that
// function's code; the local stack maps every function to its builder.
type Builder func(*Env) (any, error)

// Start is the whole main of a deployed function built from an Env.
func Start(name string, build Builder) {
	bootstrap.Start(name, func(c *bootstrap.Container) (any, error) { return build(NewEnv(c)) })
}

// IdentifyCustomer identifies a customer by scanned card, QR code or email.
func IdentifyCustomer(env *Env) (any, error) {
	return api.IdentifyCustomer(env.Loyalty()).Lambda(env.API()), nil
}

// CustomerOverview answers a customer's balances, tier, rewards and offers.
func CustomerOverview(env *Env) (any, error) {
	return api.CustomerOverview(env.Loyalty()).Lambda(env.API()), nil
}

// ScanVoucher looks up a scanned voucher and whether it can be used.
func ScanVoucher(env *Env) (any, error) {
	return api.ScanVoucher(env.Loyalty()).Lambda(env.API()), nil
}

// ScanGiftcard looks up a scanned giftcard, its balance and whether it can be
// sold or pay.
func ScanGiftcard(env *Env) (any, error) {
	return api.ScanGiftcard(env.Loyalty()).Lambda(env.API()), nil
}

// OpenPortalSession opens a Leat-hosted portal session for a customer-facing
// screen.
func OpenPortalSession(env *Env) (any, error) {
	return api.OpenPortalSession(env.Loyalty()).Lambda(env.API()), nil
}

// StartCheckout checks a basket and starts its checkout saga.
func StartCheckout(env *Env) (any, error) {
	return api.StartCheckout(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}

// GetCheckout answers a checkout with its steps and result.
func GetCheckout(env *Env) (any, error) {
	return api.GetCheckout(env.Checkouts()).Lambda(env.API()), nil
}

// ReportPayment hands the POS's payment outcome to the waiting saga.
func ReportPayment(env *Env) (any, error) {
	return api.ReportPayment(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}

// CancelCheckout gives back what a checkout reserved.
func CancelCheckout(env *Env) (any, error) {
	return api.CancelCheckout(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}

// AttachCustomer gives a paid anonymous order its customer, who earns its points.
func AttachCustomer(env *Env) (any, error) {
	return api.AttachCustomer(env.Checkouts()).Lambda(env.API()), nil
}

// IssueClaimLink answers the receipt QR's loyalty token URL.
func IssueClaimLink(env *Env) (any, error) {
	return api.IssueClaimLink(env.Checkouts()).Lambda(env.API()), nil
}

// ReserveCheckoutItem reserves one reward or voucher of a checkout in Leat.
func ReserveCheckoutItem(env *Env) (any, error) {
	return sagaStep(env, env.Checkouts().ReserveItem), nil
}

// ReviewReservation decides whether a checkout waits for payment or gives back.
func ReviewReservation(env *Env) (any, error) {
	return sagaStep(env, env.Checkouts().ReviewReservation), nil
}

// AwaitPayment keeps the waiting saga's task token on its checkout.
func AwaitPayment(env *Env) (any, error) {
	return sagaStep(env, env.SagaStartingCheckouts().AwaitPayment), nil
}

// ConfirmCheckoutItem redeems a locked voucher or collects a reward after payment.
func ConfirmCheckoutItem(env *Env) (any, error) {
	return sagaStep(env, env.Checkouts().ConfirmItem), nil
}

// EarnPoints records a paid checkout's order in Leat, which earns its points.
func EarnPoints(env *Env) (any, error) {
	return sagaStep(env, env.Checkouts().EarnPoints), nil
}

// CompensateCheckoutItem gives back one reserved reward or voucher.
func CompensateCheckoutItem(env *Env) (any, error) {
	return sagaStep(env, env.Checkouts().CompensateItem), nil
}

// CloseCheckout ends a checkout's saga: completed, cancelled, or needing attention.
func CloseCheckout(env *Env) (any, error) {
	return sagaStep(env, env.SagaClosingCheckouts().Close), nil
}

// sagaStep gives a saga step the function's logger, carrying the Lambda
// request id. Its errors go back by type: Step Functions matches them by
// their type names, so an outage of a store the step met outside the ledger
// (the tenant's directory) is named as the retryable StoreUnavailableError.
func sagaStep[In, Out any](env *Env, step func(context.Context, In) (Out, error)) func(context.Context, In) (Out, error) {
	return func(ctx context.Context, in In) (Out, error) {
		log := env.Logger
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			log = log.With(logging.RequestID, lc.AwsRequestID)
		}
		out, err := step(logging.Into(ctx, log), in)
		if errors.Is(err, store.ErrUnavailable) && !checkout.Retryable(err) {
			err = &checkout.StoreUnavailableError{Err: err}
		}
		return out, err
	}
}

// AddTender debits one more giftcard or prepaid tender while a checkout awaits payment.
func AddTender(env *Env) (any, error) {
	return api.AddTender(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}

// StartReturn records a return of a completed order and starts its saga.
func StartReturn(env *Env) (any, error) {
	return api.StartReturn(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}

// GetReturn answers one return of an order.
func GetReturn(env *Env) (any, error) {
	return api.GetReturn(env.Checkouts()).Lambda(env.API()), nil
}

// GetOrder answers an order with its Leat transactions and returns.
func GetOrder(env *Env) (any, error) {
	return api.GetOrder(env.Checkouts()).Lambda(env.API()), nil
}

// ListOrders lists a location's recent orders for back offices.
func ListOrders(env *Env) (any, error) {
	return api.ListOrders(env.Checkouts()).Lambda(env.API()), nil
}

// ReturnOrderStep performs one step of a return: the points correction, a
// redemption given back, a refund, or a sold card taken back.
func ReturnOrderStep(env *Env) (any, error) {
	return sagaStep(env, env.Checkouts().ReturnStep), nil
}

// CloseReturn records how a return's saga ended.
func CloseReturn(env *Env) (any, error) {
	return sagaStep(env, env.SagaClosingCheckouts().CloseReturn), nil
}

// ListCheckoutsForOps lists a location's checkouts needing attention, for operators.
func ListCheckoutsForOps(env *Env) (any, error) {
	return api.ListCheckoutsForOps(env.Checkouts()).Lambda(env.API()), nil
}

// ListReturnsForOps lists the returns of a location's orders needing attention, for operators.
func ListReturnsForOps(env *Env) (any, error) {
	return api.ListReturnsForOps(env.Checkouts()).Lambda(env.API()), nil
}

// RetryCheckoutSettlement settles a checkout needing attention again, for operators.
func RetryCheckoutSettlement(env *Env) (any, error) {
	return api.RetryCheckoutSettlement(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}

// RetryReturn runs a return needing attention again, for operators.
func RetryReturn(env *Env) (any, error) {
	return api.RetryReturn(env.SagaStartingCheckouts()).Lambda(env.API()), nil
}
