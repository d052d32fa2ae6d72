package checkout

import (
	"context"
	"fmt"
	"time"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Events tell back offices and operators how each saga ended. Delivery is at
// least once: a close that is retried publishes again, with the same ID.
type Events interface {
	Publish(ctx context.Context, e Event) error
}

// EventType names an outcome; docs/events.md is the schema back offices
// subscribe to.
type EventType string

const (
	EventCheckoutCompleted   EventType = "checkout.completed"
	EventCheckoutCompensated EventType = "checkout.compensated"
	EventReturnProcessed     EventType = "return.processed"
	EventNeedsAttention      EventType = "saga.needs_attention"
)

// Event is one saga's outcome. It carries ids and figures, never a
// customer's personal data.
type Event struct {
	// ID is the same each time this outcome is published, so a subscriber
	// can drop a repeat.
	ID         string
	Type       EventType
	Tenant     tenancy.TenantID
	Location   tenancy.LocationID
	OrderID    string
	CheckoutID ledger.CheckoutID
	// ReturnID is set on a return's events.
	ReturnID ledger.ReturnID
	// Status is the checkout's or the return's final status.
	Status       string
	ContactUUID  string
	Currency     money.Currency
	PointsEarned *int64
	// Problems say why a saga needs attention.
	Problems     []string
	ExecutionARN string
	At           time.Time
}

// EventsUnavailableError: the outcome is recorded but its event could not be
// published; the close is retried, which publishes it again.
type EventsUnavailableError struct{ Err error }

func (e *EventsUnavailableError) Error() string {
	return "the event bus is unavailable: " + e.Err.Error()
}
func (e *EventsUnavailableError) Unwrap() error { return e.Err }

// checkoutEvent is the event of a checkout's final status.
func checkoutEvent(c ledger.Checkout, problems []string) Event {
	e := Event{
		ID:   fmt.Sprintf("%s/%s/v%d", c.Tenant, c.ID, c.Version),
		Type: EventCheckoutCompleted, Tenant: c.Tenant, Location: c.Location, OrderID: c.POSOrderID, CheckoutID: c.ID,
		Status: string(c.Status), ContactUUID: c.ContactUUID, Currency: c.Currency, Problems: problems,
		ExecutionARN: c.ExecutionARN, At: c.UpdatedAt,
	}
	switch c.Status {
	case ledger.CheckoutCancelled:
		e.Type = EventCheckoutCompensated
	case ledger.CheckoutNeedsAttention:
		e.Type = EventNeedsAttention
	}
	if c.Result != nil {
		e.PointsEarned = c.Result.PointsEarned
	}
	return e
}

// returnEvent is the event of a return's final status.
func returnEvent(c ledger.Checkout, r ledger.Return) Event {
	e := Event{
		ID:   fmt.Sprintf("%s/%s/returns/%s/v%d", c.Tenant, c.ID, r.ID, r.Version),
		Type: EventReturnProcessed, Tenant: c.Tenant, Location: c.Location, OrderID: c.POSOrderID, CheckoutID: c.ID,
		ReturnID: r.ID, Status: string(r.Status), ContactUUID: c.ContactUUID, Currency: c.Currency,
		Problems: r.Problems, ExecutionARN: r.ExecutionARN, At: r.UpdatedAt,
	}
	if r.Status == ledger.ReturnNeedsAttention {
		e.Type = EventNeedsAttention
	}
	return e
}

// publish sends an outcome, as a retryable error when it cannot.
func (s *Service) publish(ctx context.Context, e Event) error {
	if err := s.events.Publish(ctx, e); err != nil {
		return &EventsUnavailableError{Err: err}
	}
	return nil
}
