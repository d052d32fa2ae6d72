package dynamodb

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Returns live in their order's partition, next to its steps, so the one
// query that loads an order for a return has everything.
const returnSKPrefix = "RETURN#"

// returnDetails are the parts of a return written as one JSON document.
type returnDetails struct {
	Lines    []ledger.ReturnLine    `json:"lines"`
	Refunds  []ledger.Refund        `json:"refunds,omitempty"`
	Plan     ledger.ReturnPlan      `json:"plan"`
	Problems []string               `json:"problems,omitempty"`
	Retries  []ledger.OperatorRetry `json:"retries,omitempty"`
}

type returnItem struct {
	PK           string    `dynamodbav:"pk"`
	SK           string    `dynamodbav:"sk"`
	Index        int       `dynamodbav:"return_index"`
	Full         bool      `dynamodbav:"full"`
	Status       string    `dynamodbav:"status"`
	Details      string    `dynamodbav:"details"`
	RequestKey   string    `dynamodbav:"request_key,omitempty"`
	ExecutionARN string    `dynamodbav:"execution_arn,omitempty"`
	CreatedAt    time.Time `dynamodbav:"created_at"`
	UpdatedAt    time.Time `dynamodbav:"updated_at"`
	Version      int64     `dynamodbav:"version"`
	// LocationPK and LocationSK place the return in the location index.
	LocationPK string `dynamodbav:"location_pk"`
	LocationSK string `dynamodbav:"location_sk"`
}

func toReturnItem(tenant tenancy.TenantID, r ledger.Return) (returnItem, error) {
	details, err := json.Marshal(returnDetails{Lines: r.Lines, Refunds: r.Refunds, Plan: r.Plan, Problems: r.Problems, Retries: r.Retries})
	if err != nil {
		return returnItem{}, wrap("marshal return", err)
	}
	return returnItem{
		PK: checkoutPK(tenant, r.Checkout), SK: returnSKPrefix + string(r.ID), Index: r.Index, Full: r.Full,
		Status: string(r.Status), Details: string(details), RequestKey: r.RequestKey, ExecutionARN: r.ExecutionARN,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version,
		LocationPK: returnsPK(tenant, r.Checkout.Location()), LocationSK: returnsSK(r.CreatedAt, r.Checkout, r.ID),
	}, nil
}

func (i returnItem) ret(checkout ledger.CheckoutID) (ledger.Return, error) {
	var d returnDetails
	if err := json.Unmarshal([]byte(i.Details), &d); err != nil {
		return ledger.Return{}, wrap("unmarshal return details", err)
	}
	return ledger.Return{
		Checkout: checkout, ID: ledger.ReturnID(strings.TrimPrefix(i.SK, returnSKPrefix)), Index: i.Index, Full: i.Full,
		Lines: d.Lines, Refunds: d.Refunds, Plan: d.Plan, Status: ledger.ReturnStatus(i.Status), Problems: d.Problems, Retries: d.Retries,
		RequestKey: i.RequestKey, ExecutionARN: i.ExecutionARN, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt, Version: i.Version,
	}, nil
}

// CreateReturn stores a new return and the checkout that counts it in, in
// one transaction: both or neither.
func (l *LedgerStore) CreateReturn(ctx context.Context, c ledger.Checkout, r ledger.Return) (ledger.Checkout, ledger.Return, error) {
	read := c.Version
	c.Version++
	r.Version = 1
	header, err := toCheckoutItem(c)
	if err != nil {
		return ledger.Checkout{}, ledger.Return{}, err
	}
	item, err := toReturnItem(c.Tenant, r)
	if err != nil {
		return ledger.Checkout{}, ledger.Return{}, err
	}
	headerAV, err := attributevalue.MarshalMap(header)
	if err != nil {
		return ledger.Checkout{}, ledger.Return{}, wrap("marshal checkout", err)
	}
	returnAV, err := attributevalue.MarshalMap(item)
	if err != nil {
		return ledger.Checkout{}, ledger.Return{}, wrap("marshal return", err)
	}
	_, err = l.table.api.TransactWriteItems(ctx, &awsdynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &l.table.name, Item: returnAV, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Put: &types.Put{
			TableName: &l.table.name, Item: headerAV, ConditionExpression: aws.String("version = :read"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":read": &types.AttributeValueMemberN{Value: strconv.FormatInt(read, 10)}},
		}},
	}})
	var cancelled *types.TransactionCanceledException
	if errors.As(err, &cancelled) {
		reasons := cancelled.CancellationReasons
		if len(reasons) > 0 && aws.ToString(reasons[0].Code) == "ConditionalCheckFailed" {
			return ledger.Checkout{}, ledger.Return{}, ledger.ErrReturnExists
		}
		return ledger.Checkout{}, ledger.Return{}, ledger.ErrConflict
	}
	if err != nil {
		return ledger.Checkout{}, ledger.Return{}, wrap("create return", err)
	}
	return c, r, nil
}

// SaveReturn stores r when nobody saved it since it was read.
func (l *LedgerStore) SaveReturn(ctx context.Context, tenant tenancy.TenantID, r ledger.Return) (ledger.Return, error) {
	r.Version++
	return saveNext(ctx, l, r, r.Version-1, func(r ledger.Return) (any, error) { return toReturnItem(tenant, r) })
}

// Returns lists an order's returns, in the order they were made.
func (l *LedgerStore) Returns(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID) ([]ledger.Return, error) {
	out, err := queryPrefix(ctx, l.table, checkoutPK(tenant, id), returnSKPrefix, func(av map[string]types.AttributeValue) (ledger.Return, error) {
		var item returnItem
		if err := attributevalue.UnmarshalMap(av, &item); err != nil {
			return ledger.Return{}, wrap("unmarshal return", err)
		}
		return item.ret(id)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ledger.Return) int { return a.Index - b.Index })
	return out, nil
}
