package dynamodb

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

var _ ledger.Store = (*LedgerStore)(nil)

// LedgerStore keeps checkouts and their Leat steps in one partition per
// checkout, so one Query returns everything a return needs. Nothing expires.
type LedgerStore struct{ table *Table }

// NewLedgerStore returns the ledger on the table.
func NewLedgerStore(t *Table) *LedgerStore { return &LedgerStore{table: t} }

const (
	checkoutHeaderSK = "HEADER"
	stepSKPrefix     = "STEP#"
)

func checkoutPK(tenant tenancy.TenantID, id ledger.CheckoutID) string {
	return "T#" + string(tenant) + "#CHECKOUT#" + string(id)
}

type checkoutItem struct {
	PK           string    `dynamodbav:"pk"`
	SK           string    `dynamodbav:"sk"`
	ID           string    `dynamodbav:"checkout_id"`
	Location     string    `dynamodbav:"location"`
	POSOrderID   string    `dynamodbav:"pos_order_id"`
	Status       string    `dynamodbav:"status"`
	ContactUUID  string    `dynamodbav:"contact_uuid,omitempty"`
	TotalMinor   int64     `dynamodbav:"total_minor"`
	Currency     string    `dynamodbav:"currency"`
	ExecutionARN string    `dynamodbav:"execution_arn,omitempty"`
	TaskToken    string    `dynamodbav:"task_token,omitempty"`
	CreatedAt    time.Time `dynamodbav:"created_at"`
	UpdatedAt    time.Time `dynamodbav:"updated_at"`
	Version      int64     `dynamodbav:"version"`
}

type stepItem struct {
	PK           string    `dynamodbav:"pk"`
	SK           string    `dynamodbav:"sk"`
	Kind         string    `dynamodbav:"kind"`
	State        string    `dynamodbav:"state"`
	Reference    string    `dynamodbav:"reference,omitempty"`
	AmountMinor  int64     `dynamodbav:"amount_minor"`
	Currency     string    `dynamodbav:"currency,omitempty"`
	LeatUUID     string    `dynamodbav:"leat_uuid,omitempty"`
	ReversalUUID string    `dynamodbav:"reversal_uuid,omitempty"`
	Failure      string    `dynamodbav:"failure,omitempty"`
	IntentAt     time.Time `dynamodbav:"intent_at"`
	DoneAt       time.Time `dynamodbav:"done_at,omitempty"`
	ReversedAt   time.Time `dynamodbav:"reversed_at,omitempty"`
}

func toCheckoutItem(c ledger.Checkout) checkoutItem {
	return checkoutItem{
		PK: checkoutPK(c.Tenant, c.ID), SK: checkoutHeaderSK, ID: string(c.ID), Location: string(c.Location),
		POSOrderID: c.POSOrderID, Status: string(c.Status), ContactUUID: c.ContactUUID,
		TotalMinor: c.Total.Amount, Currency: string(c.Total.Currency), ExecutionARN: c.ExecutionARN,
		TaskToken: c.TaskToken, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version,
	}
}

func (i checkoutItem) checkout(tenant tenancy.TenantID) ledger.Checkout {
	return ledger.Checkout{
		Tenant: tenant, ID: ledger.CheckoutID(i.ID), Location: tenancy.LocationID(i.Location), POSOrderID: i.POSOrderID,
		Status: ledger.CheckoutStatus(i.Status), ContactUUID: i.ContactUUID,
		Total:        money.Money{Amount: i.TotalMinor, Currency: money.Currency(i.Currency)},
		ExecutionARN: i.ExecutionARN, TaskToken: i.TaskToken, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt, Version: i.Version,
	}
}

func toStepItem(tenant tenancy.TenantID, s ledger.Step) stepItem {
	return stepItem{
		PK: checkoutPK(tenant, s.Checkout), SK: stepSKPrefix + string(s.ID), Kind: string(s.Kind), State: string(s.State),
		Reference: s.Reference, AmountMinor: s.Amount.Amount, Currency: string(s.Amount.Currency),
		LeatUUID: s.LeatUUID, ReversalUUID: s.ReversalUUID, Failure: s.Failure,
		IntentAt: s.IntentAt, DoneAt: s.DoneAt, ReversedAt: s.ReversedAt,
	}
}

func (i stepItem) step(checkout ledger.CheckoutID) ledger.Step {
	return ledger.Step{
		Checkout: checkout, ID: ledger.StepID(strings.TrimPrefix(i.SK, stepSKPrefix)), Kind: ledger.StepKind(i.Kind),
		State: ledger.StepState(i.State), Reference: i.Reference,
		Amount:   money.Money{Amount: i.AmountMinor, Currency: money.Currency(i.Currency)},
		LeatUUID: i.LeatUUID, ReversalUUID: i.ReversalUUID, Failure: i.Failure,
		IntentAt: i.IntentAt, DoneAt: i.DoneAt, ReversedAt: i.ReversedAt,
	}
}

// CreateCheckout stores a new checkout at version 1.
func (l *LedgerStore) CreateCheckout(ctx context.Context, c ledger.Checkout) error {
	c.Version = 1
	err := l.table.put(ctx, toCheckoutItem(c), "attribute_not_exists(pk)", nil)
	if _, failed := conditionFailed(err); failed {
		return ledger.ErrCheckoutExists
	}
	return err
}

// SaveCheckout stores c when nobody saved it since it was read.
func (l *LedgerStore) SaveCheckout(ctx context.Context, c ledger.Checkout) (ledger.Checkout, error) {
	read := c.Version
	c.Version++
	err := l.table.put(ctx, toCheckoutItem(c), "version = :read",
		map[string]types.AttributeValue{":read": &types.AttributeValueMemberN{Value: strconv.FormatInt(read, 10)}})
	if _, failed := conditionFailed(err); failed {
		return ledger.Checkout{}, ledger.ErrConflict
	}
	if err != nil {
		return ledger.Checkout{}, err
	}
	return c, nil
}

// Checkout loads the header and every step with one strongly consistent query.
func (l *LedgerStore) Checkout(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID) (ledger.Checkout, []ledger.Step, error) {
	pk := checkoutPK(tenant, id)
	pages := awsdynamodb.NewQueryPaginator(l.table.api, &awsdynamodb.QueryInput{
		TableName:                 &l.table.name,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead:            aws.Bool(true),
	})
	var (
		header ledger.Checkout
		found  bool
		steps  []ledger.Step
	)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return ledger.Checkout{}, nil, wrap("query checkout", err)
		}
		for _, av := range page.Items {
			sk := av[attrSK].(*types.AttributeValueMemberS).Value
			if sk == checkoutHeaderSK {
				var item checkoutItem
				if err := attributevalue.UnmarshalMap(av, &item); err != nil {
					return ledger.Checkout{}, nil, wrap("unmarshal checkout", err)
				}
				header, found = item.checkout(tenant), true
				continue
			}
			var item stepItem
			if err := attributevalue.UnmarshalMap(av, &item); err != nil {
				return ledger.Checkout{}, nil, wrap("unmarshal step", err)
			}
			steps = append(steps, item.step(id))
		}
	}
	if !found {
		return ledger.Checkout{}, nil, ledger.ErrCheckoutNotFound
	}
	return header, steps, nil
}

// RecordIntent stores a pending step unless it already exists.
func (l *LedgerStore) RecordIntent(ctx context.Context, tenant tenancy.TenantID, s ledger.Step) (ledger.Step, bool, error) {
	err := l.table.put(ctx, toStepItem(tenant, s), "attribute_not_exists(pk)", nil)
	if old, failed := conditionFailed(err); failed {
		var item stepItem
		if err := attributevalue.UnmarshalMap(old, &item); err != nil {
			return ledger.Step{}, false, wrap("unmarshal step", err)
		}
		return item.step(s.Checkout), false, nil
	}
	if err != nil {
		return ledger.Step{}, false, err
	}
	return s, true, nil
}

// SaveStep stores s when the stored step is still in state from.
func (l *LedgerStore) SaveStep(ctx context.Context, tenant tenancy.TenantID, from ledger.StepState, s ledger.Step) error {
	err := l.table.put(ctx, toStepItem(tenant, s), "#state = :from",
		map[string]types.AttributeValue{":from": &types.AttributeValueMemberS{Value: string(from)}})
	if _, failed := conditionFailed(err); failed {
		return ledger.ErrConflict
	}
	return err
}
