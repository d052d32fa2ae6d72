// Package eventbridge publishes the sagas' outcomes on an Amazon EventBridge
// bus (or a local sink that speaks its API), for back offices to subscribe to.
package eventbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awseventbridge "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/money"
)

var _ checkout.Events = (*Events)(nil)

// Source is the events' source on the bus, which rules match on.
const Source = "leat-pos-gateway"

// API is the part of the EventBridge client the adapter uses.
type API interface {
	PutEvents(ctx context.Context, in *awseventbridge.PutEventsInput, opts ...func(*awseventbridge.Options)) (*awseventbridge.PutEventsOutput, error)
}

// Events publishes to one bus.
type Events struct {
	api API
	bus string
}

// NewClient builds an EventBridge client; a non-empty endpoint points it at
// a local sink.
func NewClient(cfg aws.Config, endpoint string) *awseventbridge.Client {
	return awseventbridge.NewFromConfig(cfg, func(o *awseventbridge.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
}

// NewEvents publishes on the bus named bus.
func NewEvents(api API, bus string) (*Events, error) {
	if api == nil || bus == "" {
		return nil, errors.New("eventbridge: a client and a bus name are required")
	}
	return &Events{api: api, bus: bus}, nil
}

// Detail is an event's body on the bus: the schema of docs/events.md.
type Detail struct {
	EventID      string         `json:"event_id"`
	Tenant       string         `json:"tenant"`
	LocationID   string         `json:"location_id"`
	OrderID      string         `json:"order_id"`
	CheckoutID   string         `json:"checkout_id"`
	ReturnID     string         `json:"return_id,omitempty"`
	Status       string         `json:"status"`
	ContactUUID  string         `json:"contact_uuid,omitempty"`
	Currency     money.Currency `json:"currency"`
	PointsEarned *int64         `json:"points_earned,omitempty"`
	Problems     []string       `json:"problems"`
	ExecutionARN string         `json:"execution_arn,omitempty"`
	OccurredAt   time.Time      `json:"occurred_at"`
}

// Publish puts one event on the bus; its detail type is the event's type.
func (e *Events) Publish(ctx context.Context, ev checkout.Event) error {
	detail, err := json.Marshal(Detail{
		EventID: ev.ID, Tenant: string(ev.Tenant), LocationID: string(ev.Location), OrderID: ev.OrderID,
		CheckoutID: string(ev.CheckoutID), ReturnID: string(ev.ReturnID), Status: ev.Status, ContactUUID: ev.ContactUUID,
		Currency: ev.Currency, PointsEarned: ev.PointsEarned, Problems: append([]string{}, ev.Problems...),
		ExecutionARN: ev.ExecutionARN, OccurredAt: ev.At.UTC(),
	})
	if err != nil {
		return fmt.Errorf("eventbridge: encode %s: %w", ev.Type, err)
	}
	out, err := e.api.PutEvents(ctx, &awseventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
		EventBusName: aws.String(e.bus), Source: aws.String(Source), DetailType: aws.String(string(ev.Type)),
		Detail: aws.String(string(detail)), Time: aws.Time(ev.At), Resources: resources(ev),
	}}})
	if err != nil {
		return fmt.Errorf("eventbridge: put %s: %w", ev.Type, err)
	}
	// PutEvents answers 200 even when it refused the entry.
	if out.FailedEntryCount > 0 {
		var code, message string
		if len(out.Entries) > 0 {
			code, message = aws.ToString(out.Entries[0].ErrorCode), aws.ToString(out.Entries[0].ErrorMessage)
		}
		return fmt.Errorf("eventbridge: put %s refused: %s %s", ev.Type, code, message)
	}
	return nil
}

// resources links the event to the execution in the console.
func resources(ev checkout.Event) []string {
	if ev.ExecutionARN == "" {
		return nil
	}
	return []string{ev.ExecutionARN}
}
