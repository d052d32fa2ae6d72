package dynamodb

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/tenancy"
)

var _ idempotency.Store = (*IdempotencyStore)(nil)

// IdempotencyStore keeps Idempotency-Key records; DynamoDB's TTL removes them.
type IdempotencyStore struct{ table *Table }

// NewIdempotencyStore returns the idempotency store on the table.
func NewIdempotencyStore(t *Table) *IdempotencyStore { return &IdempotencyStore{table: t} }

func idempotencyKey(tenant tenancy.TenantID, k idempotency.Key) (pk, sk string) {
	return "T#" + string(tenant) + "#IDEM#" + string(k), "IDEM"
}

type idempotencyItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Fingerprint string `dynamodbav:"fingerprint"`
	State       string `dynamodbav:"state"`
	Status      int    `dynamodbav:"status,omitempty"`
	ContentType string `dynamodbav:"content_type,omitempty"`
	Location    string `dynamodbav:"location,omitempty"`
	Body        []byte `dynamodbav:"body,omitempty"`
	// Unix seconds, so that conditions can compare them and TTL can read expires_at.
	LockedUntil int64 `dynamodbav:"locked_until"`
	ExpiresAt   int64 `dynamodbav:"expires_at"`
}

func toIdempotencyItem(r idempotency.Record) idempotencyItem {
	pk, sk := idempotencyKey(r.Tenant, r.Key)
	return idempotencyItem{
		PK: pk, SK: sk, Fingerprint: string(r.Fingerprint), State: string(r.State),
		Status: r.Response.Status, ContentType: r.Response.ContentType, Location: r.Response.Location, Body: r.Response.Body,
		LockedUntil: r.LockedUntil.Unix(), ExpiresAt: r.ExpiresAt.Unix(),
	}
}

func (i idempotencyItem) record(tenant tenancy.TenantID, k idempotency.Key) idempotency.Record {
	return idempotency.Record{
		Tenant: tenant, Key: k, Fingerprint: idempotency.Fingerprint(i.Fingerprint), State: idempotency.State(i.State),
		Response:    idempotency.Response{Status: i.Status, ContentType: i.ContentType, Location: i.Location, Body: i.Body},
		LockedUntil: time.Unix(i.LockedUntil, 0), ExpiresAt: time.Unix(i.ExpiresAt, 0),
	}
}

// Claim creates the record unless a live one exists. TTL deletion lags by
// hours, so an expired record counts as absent, and so does an in-progress
// record whose lease ran out (its invocation died).
func (s *IdempotencyStore) Claim(ctx context.Context, r idempotency.Record, now time.Time) (idempotency.Record, bool, error) {
	err := s.table.put(ctx, toIdempotencyItem(r),
		"attribute_not_exists(pk) OR expires_at < :now OR (#state = :in_progress AND locked_until < :now)",
		map[string]types.AttributeValue{
			":now":         &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)},
			":in_progress": &types.AttributeValueMemberS{Value: string(idempotency.StateInProgress)},
		})
	if old, failed := conditionFailed(err); failed {
		var item idempotencyItem
		if err := attributevalue.UnmarshalMap(old, &item); err != nil {
			return idempotency.Record{}, false, wrap("unmarshal idempotency record", err)
		}
		return item.record(r.Tenant, r.Key), false, nil
	}
	if err != nil {
		return idempotency.Record{}, false, wrap("claim idempotency key", err)
	}
	return r, true, nil
}

// ownClaim matches the record only while it is still this request's claim.
func ownClaim(r idempotency.Record) (string, map[string]types.AttributeValue) {
	return "#state = :in_progress AND fingerprint = :fp AND locked_until = :locked_until",
		map[string]types.AttributeValue{
			":in_progress":  &types.AttributeValueMemberS{Value: string(idempotency.StateInProgress)},
			":fp":           &types.AttributeValueMemberS{Value: string(r.Fingerprint)},
			":locked_until": &types.AttributeValueMemberN{Value: strconv.FormatInt(r.LockedUntil.Unix(), 10)},
		}
}

// Complete stores the final answer of a claimed record.
func (s *IdempotencyStore) Complete(ctx context.Context, r idempotency.Record) error {
	cond, values := ownClaim(r)
	err := s.table.put(ctx, toIdempotencyItem(r), cond, values)
	if _, failed := conditionFailed(err); failed {
		return idempotency.ErrLostClaim
	}
	return err
}

// Release deletes a claimed record that is still in progress.
func (s *IdempotencyStore) Release(ctx context.Context, r idempotency.Record) error {
	pk, sk := idempotencyKey(r.Tenant, r.Key)
	cond, values := ownClaim(r)
	_, err := s.table.api.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{
		TableName: &s.table.name, Key: key(pk, sk), ConditionExpression: &cond,
		ExpressionAttributeNames: map[string]string{"#state": "state"}, ExpressionAttributeValues: values,
	})
	if _, failed := conditionFailed(err); failed {
		return idempotency.ErrLostClaim
	}
	if err != nil {
		return wrap("release idempotency record", err)
	}
	return nil
}
