package app

import (
	"context"
	"errors"
	"net/http"
	"time"

	awssm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/leatpos/gateway/shared/bootstrap"
	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/secretsmanager"
	"github.com/leatpos/gateway/shared/sfn"
)

// Env is what the functions beyond the authorizer are built from: the
// container and the dependencies that follow from its configuration. Each
// dependency is built on its first use and kept for the container's life, so
// a function builds only what its handler needs, and the local stack's
// functions share one of each.
//
// A new dependency is a bootstrap.Lazy field and a method that builds it
// through Get; one that needs an optional setting checks it before Get and
// returns an error naming it. Building each in its method, not in NewEnv, is
// what lets the linker leave it out of binaries whose builder never asks for
// it.
type Env struct {
	*bootstrap.Container
	// leatAccounts replaces Secrets Manager when set (WithLeatAccounts).
	leatAccounts leat.AccountResolver
	// leatHTTP and the leases replace the defaults when set (WithLeatHTTPClient, WithLeases).
	leatHTTP                    *http.Client
	stepLease, idempotencyLease time.Duration

	guard               bootstrap.Lazy[*idempotency.Guard]
	platforms           bootstrap.Lazy[*leat.Platforms]
	loyaltyService      bootstrap.Lazy[*loyalty.Service]
	checkoutService     bootstrap.Lazy[*checkout.Service]
	sagaStartingService bootstrap.Lazy[*checkout.Service]
}

// NewEnv prepares the dependencies of a container's functions; none is built
// before its first use.
func NewEnv(c *bootstrap.Container, opts ...Option) *Env {
	e := &Env{Container: c}
	for _, opt := range opts {
		opt(e)
	}
	return e
}

// Option changes what NewEnv builds where AWS and the local stack differ.
type Option func(*Env)

// WithLeatAccounts resolves tenants' Leat credentials references with r
// instead of AWS Secrets Manager, as the local stack does.
func WithLeatAccounts(r leat.AccountResolver) Option {
	return func(e *Env) { e.leatAccounts = r }
}

// WithLeatHTTPClient sends Leat requests through client, for the local
// stack's fault injection.
func WithLeatHTTPClient(client *http.Client) Option {
	return func(e *Env) { e.leatHTTP = client }
}

// WithLeases sets how long a saga step's intent keeps other invocations
// from reconciling it, and how long a request holds its Idempotency-Key. A
// local run whose retries are quicker than AWS's shortens them in
// proportion, so what a dead invocation held is taken up within the retries.
func WithLeases(step, idempotency time.Duration) Option {
	return func(e *Env) { e.stepLease, e.idempotencyLease = step, idempotency }
}

// Guard keeps the API's Idempotency-Keys.
func (e *Env) Guard() *idempotency.Guard {
	return e.guard.Get(func() *idempotency.Guard {
		guard := idempotency.NewGuard(dynamodb.NewIdempotencyStore(e.Table))
		if e.idempotencyLease > 0 {
			guard.Lease = e.idempotencyLease
		}
		return guard
	})
}

// Loyalty runs the read-only customer flows at the till.
func (e *Env) Loyalty() *loyalty.Service {
	return e.loyaltyService.Get(func() *loyalty.Service {
		return loyalty.NewService(e.Directory(), e.leatPlatforms(), time.Now).
			WithCardMemory(dynamodb.NewCardMemory(e.Table, time.Now)).WithVoucherMemory(dynamodb.NewVoucherMemory(e.Table, time.Now))
	})
}

// Checkouts runs checkouts and returns for the functions that neither start
// nor resume a saga nor close one: the queries and most of the sagas' steps.
func (e *Env) Checkouts() *checkout.Service {
	return e.checkoutService.Get(func() *checkout.Service { return e.newCheckouts(missingStateMachine{}, missingEventBus{}) })
}

// SagaStartingCheckouts also starts and resumes the sagas on Step Functions,
// with the state machines CHECKOUT_STATE_MACHINE_ARN and
// RETURN_STATE_MACHINE_ARN name.
func (e *Env) SagaStartingCheckouts() *checkout.Service {
	return e.sagaStartingService.Get(func() *checkout.Service {
		var executions checkout.Executions = missingStateMachine{}
		client := sfn.NewClient(e.AWS, e.Config.StepFunctionsEndpoint)
		if x, err := sfn.NewExecutions(client, e.Config.CheckoutStateMachineARN, e.Config.ReturnStateMachineARN); err == nil {
			executions = x
		}
		return e.newCheckouts(executions, missingEventBus{})
	})
}

// CheckoutsPublishingOn also publishes how the sagas end on events, for
// the functions that close a saga, whose package links the event bus; nil
// when EVENT_BUS_NAME names none. It builds a service on each call, which
// those functions make once; what it shares is kept as Env keeps it.
func (e *Env) CheckoutsPublishingOn(events checkout.Events) *checkout.Service {
	if events == nil {
		events = missingEventBus{}
	}
	return e.newCheckouts(missingStateMachine{}, events)
}

func (e *Env) newCheckouts(executions checkout.Executions, events checkout.Events) *checkout.Service {
	service := checkout.NewService(e.Directory(), leat.CheckoutPlatforms{Platforms: e.leatPlatforms()},
		dynamodb.NewLedgerStore(e.Table), executions, events, time.Now).WithVoucherMemory(dynamodb.NewVoucherMemory(e.Table, time.Now))
	if e.stepLease > 0 {
		service.Lease = e.stepLease
	}
	return service
}

// missingStateMachine stands in for the saga where it is not configured, so
// a function that reaches for it fails saying which setting it lacks.
type missingStateMachine struct{}

var errNoStateMachine = errors.New("app: neither CHECKOUT_STATE_MACHINE_ARN nor RETURN_STATE_MACHINE_ARN names a state machine")

func (missingStateMachine) Start(context.Context, string, checkout.SagaInput) (string, error) {
	return "", errNoStateMachine
}

func (missingStateMachine) Resume(context.Context, string, checkout.PaymentEvent) error {
	return errNoStateMachine
}

func (missingStateMachine) StartReturn(context.Context, string, checkout.ReturnInput) (string, error) {
	return "", errNoStateMachine
}

// missingEventBus stands in for the event bus where it is not configured, so
// a function that closes a saga without one fails saying which setting it
// lacks.
type missingEventBus struct{}

func (missingEventBus) Publish(context.Context, checkout.Event) error {
	return errors.New("app: EVENT_BUS_NAME names no event bus")
}

// leatPlatforms is shared by everything that talks to Leat, so each tenant's
// OAuth token and connections are reused across them.
func (e *Env) leatPlatforms() *leat.Platforms {
	return e.platforms.Get(func() *leat.Platforms {
		accounts := e.leatAccounts
		if accounts == nil {
			// Deployed tenants reference their credentials as "secretsmanager:<secret id>".
			accounts = leat.SchemeResolver{"secretsmanager": secretsmanager.NewLeatAccounts(awssm.NewFromConfig(e.AWS), e.Config.LeatBaseURL)}
		}
		return leat.NewPlatforms(accounts, func(c *leat.Config) {
			c.AttemptTimeout = e.Config.LeatAttemptTimeout
			if e.leatHTTP != nil {
				c.HTTPClient = e.leatHTTP
			}
		})
	})
}
