package dynamodb

import (
	"context"
	"encoding/json"
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

// checkoutDetails are the parts of a checkout written as one JSON document:
// the saga reads them whole and no query looks inside.
type checkoutDetails struct {
	Basket    ledger.Basket          `json:"basket"`
	Discounts []ledger.Discount      `json:"discounts,omitempty"`
	Totals    ledger.Totals          `json:"totals"`
	Payment   *ledger.Payment        `json:"payment,omitempty"`
	Refusal   *ledger.Refusal        `json:"refusal,omitempty"`
	Result    *ledger.Result         `json:"result,omitempty"`
	Returned  ledger.Returned        `json:"returned,omitzero"`
	Retries   []ledger.OperatorRetry `json:"retries,omitempty"`
}

type checkoutItem struct {
	PK              string    `dynamodbav:"pk"`
	SK              string    `dynamodbav:"sk"`
	ID              string    `dynamodbav:"checkout_id"`
	Location        string    `dynamodbav:"location"`
	ShopUUID        string    `dynamodbav:"shop_uuid"`
	POSOrderID      string    `dynamodbav:"pos_order_id"`
	Status          string    `dynamodbav:"status"`
	ContactUUID     string    `dynamodbav:"contact_uuid,omitempty"`
	Currency        string    `dynamodbav:"currency"`
	PointsBefore    int64     `dynamodbav:"points_before"`
	PaymentDeadline time.Time `dynamodbav:"payment_deadline,omitempty"`
	Details         string    `dynamodbav:"details"`
	ExecutionARN    string    `dynamodbav:"execution_arn,omitempty"`
	TaskToken       string    `dynamodbav:"task_token,omitempty"`
	RequestKey      string    `dynamodbav:"request_key,omitempty"`
	ClaimLinkIssued bool      `dynamodbav:"claim_link_issued,omitempty"`
	CreatedAt       time.Time `dynamodbav:"created_at"`
	UpdatedAt       time.Time `dynamodbav:"updated_at"`
	Version         int64     `dynamodbav:"version"`
	// LocationPK and LocationSK place the header in the location index.
	LocationPK string `dynamodbav:"location_pk"`
	LocationSK string `dynamodbav:"location_sk"`
}

type stepItem struct {
	PK           string `dynamodbav:"pk"`
	SK           string `dynamodbav:"sk"`
	State        string `dynamodbav:"state"`
	Details      string `dynamodbav:"details"`
	LeatUUID     string `dynamodbav:"leat_uuid,omitempty"`
	ReversalUUID string `dynamodbav:"reversal_uuid,omitempty"`
	FailureCode  string `dynamodbav:"failure_code,omitempty"`
	Failure      string `dynamodbav:"failure,omitempty"`
	Attempts     int    `dynamodbav:"attempts"`
	Unapplied    bool   `dynamodbav:"unapplied,omitempty"`
	// AttentionFrom is the state an operator's retry reopens the step to.
	AttentionFrom string    `dynamodbav:"attention_from,omitempty"`
	LeaseUntil    time.Time `dynamodbav:"lease_until,omitempty"`
	IntentAt      time.Time `dynamodbav:"intent_at"`
	DoneAt        time.Time `dynamodbav:"done_at,omitempty"`
	ReversedAt    time.Time `dynamodbav:"reversed_at,omitempty"`
	Version       int64     `dynamodbav:"version"`
}

func toCheckoutItem(c ledger.Checkout) (checkoutItem, error) {
	details, err := json.Marshal(checkoutDetails{
		Basket: c.Basket, Discounts: c.Discounts, Totals: c.Totals, Payment: c.Payment, Refusal: c.Refusal, Result: c.Result,
		Returned: c.Returned, Retries: c.Retries,
	})
	if err != nil {
		return checkoutItem{}, wrap("marshal checkout", err)
	}
	return checkoutItem{
		PK: checkoutPK(c.Tenant, c.ID), SK: checkoutHeaderSK, ID: string(c.ID), Location: string(c.Location),
		ShopUUID: c.ShopUUID, POSOrderID: c.POSOrderID, Status: string(c.Status), ContactUUID: c.ContactUUID,
		Currency: string(c.Currency), PointsBefore: c.PointsBefore, PaymentDeadline: c.PaymentDeadline,
		Details: string(details), ExecutionARN: c.ExecutionARN, TaskToken: c.TaskToken, RequestKey: c.RequestKey,
		ClaimLinkIssued: c.ClaimLinkIssued, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version,
		LocationPK: ordersPK(c.Tenant, c.Location), LocationSK: ordersSK(c.CreatedAt, c.ID),
	}, nil
}

func (i checkoutItem) checkout(tenant tenancy.TenantID) (ledger.Checkout, error) {
	var d checkoutDetails
	if err := json.Unmarshal([]byte(i.Details), &d); err != nil {
		return ledger.Checkout{}, wrap("unmarshal checkout details", err)
	}
	return ledger.Checkout{
		Tenant: tenant, ID: ledger.CheckoutID(i.ID), Location: tenancy.LocationID(i.Location), ShopUUID: i.ShopUUID,
		POSOrderID: i.POSOrderID, Status: ledger.CheckoutStatus(i.Status), ContactUUID: i.ContactUUID,
		Currency: money.Currency(i.Currency), Basket: d.Basket, Discounts: d.Discounts, Totals: d.Totals,
		PointsBefore: i.PointsBefore, PaymentDeadline: i.PaymentDeadline, Payment: d.Payment, Refusal: d.Refusal,
		Result: d.Result, Returned: d.Returned, Retries: d.Retries, ExecutionARN: i.ExecutionARN, TaskToken: i.TaskToken, RequestKey: i.RequestKey,
		ClaimLinkIssued: i.ClaimLinkIssued, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt, Version: i.Version,
	}, nil
}

func toStepItem(tenant tenancy.TenantID, s ledger.Step) (stepItem, error) {
	details, err := json.Marshal(s.Details)
	if err != nil {
		return stepItem{}, wrap("marshal step", err)
	}
	return stepItem{
		PK: checkoutPK(tenant, s.Checkout), SK: stepSKPrefix + string(s.ID), State: string(s.State),
		Details: string(details), LeatUUID: s.LeatUUID, ReversalUUID: s.ReversalUUID,
		FailureCode: s.FailureCode, Failure: s.Failure, Attempts: s.Attempts, Unapplied: s.Unapplied, LeaseUntil: s.LeaseUntil,
		AttentionFrom: string(s.AttentionFrom),
		IntentAt:      s.IntentAt, DoneAt: s.DoneAt, ReversedAt: s.ReversedAt, Version: s.Version,
	}, nil
}

func (i stepItem) step(checkout ledger.CheckoutID) (ledger.Step, error) {
	s := ledger.Step{
		Checkout: checkout, ID: ledger.StepID(strings.TrimPrefix(i.SK, stepSKPrefix)), State: ledger.StepState(i.State),
		LeatUUID: i.LeatUUID, ReversalUUID: i.ReversalUUID, FailureCode: i.FailureCode, Failure: i.Failure,
		Attempts: i.Attempts, Unapplied: i.Unapplied, LeaseUntil: i.LeaseUntil, IntentAt: i.IntentAt, DoneAt: i.DoneAt,
		AttentionFrom: ledger.StepState(i.AttentionFrom),
		ReversedAt:    i.ReversedAt, Version: i.Version,
	}
	if err := json.Unmarshal([]byte(i.Details), &s.Details); err != nil {
		return ledger.Step{}, wrap("unmarshal step details", err)
	}
	return s, nil
}

// CreateCheckout stores a new checkout at version 1.
func (l *LedgerStore) CreateCheckout(ctx context.Context, c ledger.Checkout) error {
	c.Version = 1
	item, err := toCheckoutItem(c)
	if err != nil {
		return err
	}
	err = l.table.put(ctx, item, "attribute_not_exists(pk)", nil)
	if _, failed := conditionFailed(err); failed {
		return ledger.ErrCheckoutExists
	}
	return err
}

// SaveCheckout stores c when nobody saved it since it was read.
func (l *LedgerStore) SaveCheckout(ctx context.Context, c ledger.Checkout) (ledger.Checkout, error) {
	c.Version++
	return saveNext(ctx, l, c, c.Version-1, func(c ledger.Checkout) (any, error) { return toCheckoutItem(c) })
}

// saveNext stores a record's next version as its item, when the stored one
// is still at the version read; it answers the record as stored.
func saveNext[R any](ctx context.Context, l *LedgerStore, next R, read int64, item func(R) (any, error)) (R, error) {
	av, err := item(next)
	if err == nil {
		err = l.putVersioned(ctx, av, read)
	}
	if err != nil {
		var none R
		return none, err
	}
	return next, nil
}

// putVersioned writes item if the stored one is still at version read.
func (l *LedgerStore) putVersioned(ctx context.Context, item any, read int64) error {
	err := l.table.put(ctx, item, "version = :read",
		map[string]types.AttributeValue{":read": &types.AttributeValueMemberN{Value: strconv.FormatInt(read, 10)}})
	if _, failed := conditionFailed(err); failed {
		return ledger.ErrConflict
	}
	return err
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
			if strings.HasPrefix(sk, returnSKPrefix) {
				continue // read by Returns
			}
			if sk == checkoutHeaderSK {
				var item checkoutItem
				if err := attributevalue.UnmarshalMap(av, &item); err != nil {
					return ledger.Checkout{}, nil, wrap("unmarshal checkout", err)
				}
				if header, err = item.checkout(tenant); err != nil {
					return ledger.Checkout{}, nil, err
				}
				found = true
				continue
			}
			var item stepItem
			if err := attributevalue.UnmarshalMap(av, &item); err != nil {
				return ledger.Checkout{}, nil, wrap("unmarshal step", err)
			}
			step, err := item.step(id)
			if err != nil {
				return ledger.Checkout{}, nil, err
			}
			steps = append(steps, step)
		}
	}
	if !found {
		return ledger.Checkout{}, nil, ledger.ErrCheckoutNotFound
	}
	return header, steps, nil
}

// RecordIntent stores a pending step at version 1 unless it already exists.
func (l *LedgerStore) RecordIntent(ctx context.Context, tenant tenancy.TenantID, s ledger.Step) (ledger.Step, bool, error) {
	s.Version = 1
	item, err := toStepItem(tenant, s)
	if err != nil {
		return ledger.Step{}, false, err
	}
	err = l.table.put(ctx, item, "attribute_not_exists(pk)", nil)
	if old, failed := conditionFailed(err); failed {
		var stored stepItem
		if err := attributevalue.UnmarshalMap(old, &stored); err != nil {
			return ledger.Step{}, false, wrap("unmarshal step", err)
		}
		existing, err := stored.step(s.Checkout)
		return existing, false, err
	}
	if err != nil {
		return ledger.Step{}, false, err
	}
	return s, true, nil
}

// SaveStep stores s when nobody saved the step since it was read.
func (l *LedgerStore) SaveStep(ctx context.Context, tenant tenancy.TenantID, s ledger.Step) (ledger.Step, error) {
	s.Version++
	return saveNext(ctx, l, s, s.Version-1, func(s ledger.Step) (any, error) { return toStepItem(tenant, s) })
}
