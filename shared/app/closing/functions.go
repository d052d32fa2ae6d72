// Package closing builds the functions that close a saga, which publish how
// it ended on EventBridge; only their binaries link the EventBridge client.
package closing

import (
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/eventbridge"
)

// checkouts publishes on the bus EVENT_BUS_NAME names.
func checkouts(env *app.Env) *checkout.Service {
	var events checkout.Events
	if bus, err := eventbridge.NewEvents(eventbridge.NewClient(env.AWS, env.Config.EventBridgeEndpoint), env.Config.EventBusName); err == nil {
		events = bus
	}
	return env.CheckoutsPublishingOn(events)
}

// CloseCheckout ends a checkout's saga: completed, cancelled, or needing attention.
func CloseCheckout(env *app.Env) (any, error) {
	return app.SagaStep(env, checkouts(env).Close), nil
}

// CloseReturn records how a return's saga ended.
func CloseReturn(env *app.Env) (any, error) {
	return app.SagaStep(env, checkouts(env).CloseReturn), nil
}
