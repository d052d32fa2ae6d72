// Package app wires every function but the authorizer: the dependencies
// built from a container's configuration (Env), and one Builder per function
// naming its handler and what that needs. Each functions/<name>/main.go
// starts its own builder, so a binary links only its own function; the local
// stack keeps the table of them all. Package bootstrap, beneath it, starts
// the container and builds the authorizer, which needs nothing of this.
//
// The builders here are the sagas' steps that neither face the API nor
// close a saga; package httpapi has the API's, which validate requests, and
// package closing those that close a saga, which publish on EventBridge. A
// package's imports start with every cold start of every binary that links
// it, so each function links only its kind's.
package app

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambdacontext"

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

// ReserveCheckoutItem reserves one reward or voucher of a checkout in Leat.
func ReserveCheckoutItem(env *Env) (any, error) {
	return SagaStep(env, env.Checkouts().ReserveItem), nil
}

// ReviewReservation decides whether a checkout waits for payment or gives back.
func ReviewReservation(env *Env) (any, error) {
	return SagaStep(env, env.Checkouts().ReviewReservation), nil
}

// AwaitPayment keeps the waiting saga's task token on its checkout.
func AwaitPayment(env *Env) (any, error) {
	return SagaStep(env, env.SagaStartingCheckouts().AwaitPayment), nil
}

// ConfirmCheckoutItem redeems a locked voucher or collects a reward after payment.
func ConfirmCheckoutItem(env *Env) (any, error) {
	return SagaStep(env, env.Checkouts().ConfirmItem), nil
}

// EarnPoints records a paid checkout's order in Leat, which earns its points.
func EarnPoints(env *Env) (any, error) {
	return SagaStep(env, env.Checkouts().EarnPoints), nil
}

// CompensateCheckoutItem gives back one reserved reward or voucher.
func CompensateCheckoutItem(env *Env) (any, error) {
	return SagaStep(env, env.Checkouts().CompensateItem), nil
}

// SagaStep gives a saga step the function's logger, carrying the Lambda
// request id. Its errors go back by type: Step Functions matches them by
// their type names, so an outage of a store the step met outside the ledger
// (the tenant's directory) is named as the retryable StoreUnavailableError.
func SagaStep[In, Out any](env *Env, step func(context.Context, In) (Out, error)) func(context.Context, In) (Out, error) {
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

// ReturnOrderStep performs one step of a return: the points correction, a
// redemption given back, a refund, or a sold card taken back.
func ReturnOrderStep(env *Env) (any, error) {
	return SagaStep(env, env.Checkouts().ReturnStep), nil
}
