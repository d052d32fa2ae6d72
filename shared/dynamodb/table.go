// Package dynamodb stores the gateway's data in one DynamoDB table: tenants and
// API keys, idempotency records, and the order ledger. Every tenant's items
// live under keys that start with the tenant, so no query can cross tenants.
package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/leatpos/gateway/shared/store"
)

// API is the part of the DynamoDB client the adapters use.
type API interface {
	GetItem(ctx context.Context, in *awsdynamodb.GetItemInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *awsdynamodb.PutItemInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *awsdynamodb.DeleteItemInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.DeleteItemOutput, error)
	UpdateItem(ctx context.Context, in *awsdynamodb.UpdateItemInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *awsdynamodb.QueryInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *awsdynamodb.TransactWriteItemsInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.TransactWriteItemsOutput, error)
}

// Table is the gateway's table.
type Table struct {
	api  API
	name string
}

// NewTable wraps a client for the named table.
func NewTable(api API, name string) (*Table, error) {
	if api == nil || strings.TrimSpace(name) == "" {
		return nil, errors.New("dynamodb: a client and a table name are required")
	}
	return &Table{api: api, name: name}, nil
}

// NewClient builds a DynamoDB client; a non-empty endpoint points it at a local
// engine, which does not send the CRC32 header the SDK would otherwise check.
func NewClient(cfg aws.Config, endpoint string) *awsdynamodb.Client {
	return awsdynamodb.NewFromConfig(cfg, func(o *awsdynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.DisableValidateResponseChecksum = true
		}
	})
}

// The key attributes and the TTL attribute, as template.yaml declares them.
const (
	attrPK        = "pk"
	attrSK        = "sk"
	attrExpiresAt = "expires_at"
)

// sortableTime has a fixed width, so a sort key's string order is time order.
const sortableTime = "2006-01-02T15:04:05.000000000Z"

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk},
		attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// conditionFailed reports a failed ConditionExpression and returns the item it
// failed on, when DynamoDB sent it back.
func conditionFailed(err error) (map[string]types.AttributeValue, bool) {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return ccf.Item, true
	}
	return nil, false
}

func wrap(op string, err error) error {
	if unavailable(err) {
		return fmt.Errorf("dynamodb: %s: %w: %w", op, store.ErrUnavailable, err)
	}
	return fmt.Errorf("dynamodb: %s: %w", op, err)
}

// unavailable tells an outage (no answer, throttling, a server fault) from
// DynamoDB's refusal of the request itself, such as a failed condition.
func unavailable(err error) bool {
	var call *smithy.OperationError
	if !errors.As(err, &call) || errors.Is(err, context.Canceled) {
		return false
	}
	var refusal smithy.APIError
	if !errors.As(err, &refusal) {
		return true // the request never got an answer
	}
	switch refusal.ErrorCode() {
	case "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException", "LimitExceededException":
		return true
	}
	return refusal.ErrorFault() == smithy.FaultServer
}

// get reads one item, strongly consistent, into out; found is false when absent.
func get[ID any](ctx context.Context, t *Table, keyOf func(ID) (string, string), id ID, out any) (found bool, err error) {
	pk, sk := keyOf(id)
	res, err := t.api.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: &t.name, Key: key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, wrap("get "+pk, err)
	}
	if res.Item == nil {
		return false, nil
	}
	if err := attributevalue.UnmarshalMap(res.Item, out); err != nil {
		return false, wrap("unmarshal "+pk, err)
	}
	return true, nil
}

// put writes an item under a condition ("#state" may stand for the reserved
// word state). When the condition fails, the returned error carries the old
// item (see conditionFailed), so callers can report what they collided with.
func (t *Table) put(ctx context.Context, item any, condition string, values map[string]types.AttributeValue) error {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return wrap("marshal", err)
	}
	in := &awsdynamodb.PutItemInput{
		TableName: &t.name, Item: av, ConditionExpression: aws.String(condition),
		ExpressionAttributeValues:           values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	if strings.Contains(condition, "#state") {
		in.ExpressionAttributeNames = map[string]string{"#state": "state"}
	}
	_, err = t.api.PutItem(ctx, in)
	if _, failed := conditionFailed(err); failed {
		return err
	}
	if err != nil {
		return wrap("put", err)
	}
	return nil
}

// queryPrefix reads every item of a partition whose sort key starts with
// prefix, strongly consistent, page after page, decoding each.
func queryPrefix[T any](ctx context.Context, t *Table, pk, prefix string, decode func(map[string]types.AttributeValue) (T, error)) ([]T, error) {
	pages := awsdynamodb.NewQueryPaginator(t.api, &awsdynamodb.QueryInput{
		TableName:              &t.name,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
		},
		ConsistentRead: aws.Bool(true),
	})
	var out []T
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, wrap("query "+pk, err)
		}
		for _, av := range page.Items {
			item, err := decode(av)
			if err != nil {
				return nil, err
			}
			out = append(out, item)
		}
	}
	return out, nil
}
