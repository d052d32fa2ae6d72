package dynamodb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// locationIndex lists a location's order headers, and in a partition of
// their own its returns, by when they started, as template.yaml declares it.
const locationIndex = "by-location"

// The index's key attributes.
const (
	attrLocationPK = "location_pk"
	attrLocationSK = "location_sk"
)

func ordersPK(tenant tenancy.TenantID, location tenancy.LocationID) string {
	return "T#" + string(tenant) + "#LOC#" + string(location)
}

// returnsPK cannot be a location's orders partition: location ids hold no '#'.
func returnsPK(tenant tenancy.TenantID, location tenancy.LocationID) string {
	return ordersPK(tenant, location) + "#RETURNS"
}

func ordersSK(createdAt time.Time, id ledger.CheckoutID) string {
	return createdAt.UTC().Format(sortableTime) + "#" + string(id)
}

func returnsSK(createdAt time.Time, id ledger.CheckoutID, r ledger.ReturnID) string {
	return ordersSK(createdAt, id) + "#" + string(r)
}

// cursorKey is the index position a page ended at.
type cursorKey struct {
	PK         string `json:"pk" dynamodbav:"pk"`
	SK         string `json:"sk" dynamodbav:"sk"`
	LocationPK string `json:"lpk" dynamodbav:"location_pk"`
	LocationSK string `json:"lsk" dynamodbav:"location_sk"`
}

// Orders lists a location's orders, newest first.
func (l *LedgerStore) Orders(ctx context.Context, tenant tenancy.TenantID, q ledger.OrderQuery) (ledger.OrderPage, error) {
	items, next, err := atLocation(ctx, l.table, ordersPK(tenant, q.Location), q)
	if err != nil {
		return ledger.OrderPage{}, err
	}
	page := ledger.OrderPage{Orders: []ledger.Checkout{}, Next: next}
	for _, av := range items {
		var item checkoutItem
		if err := attributevalue.UnmarshalMap(av, &item); err != nil {
			return ledger.OrderPage{}, wrap("unmarshal order", err)
		}
		c, err := item.checkout(tenant)
		if err != nil {
			return ledger.OrderPage{}, err
		}
		page.Orders = append(page.Orders, c)
	}
	return page, nil
}

// LocationReturns lists the returns of a location's orders, newest first.
func (l *LedgerStore) LocationReturns(ctx context.Context, tenant tenancy.TenantID, q ledger.ReturnQuery) (ledger.ReturnPage, error) {
	items, next, err := atLocation(ctx, l.table, returnsPK(tenant, q.Location), q)
	if err != nil {
		return ledger.ReturnPage{}, err
	}
	page := ledger.ReturnPage{Returns: []ledger.Return{}, Next: next}
	for _, av := range items {
		var item returnItem
		if err := attributevalue.UnmarshalMap(av, &item); err != nil {
			return ledger.ReturnPage{}, wrap("unmarshal return", err)
		}
		r, err := item.ret(ledger.CheckoutID(strings.TrimPrefix(item.PK, checkoutPK(tenant, ""))))
		if err != nil {
			return ledger.ReturnPage{}, err
		}
		page.Returns = append(page.Returns, r)
	}
	return page, nil
}

// atLocation reads one page of a partition of the location index, newest
// first. The cursor is the last key read, refused when it belongs to
// another list.
func atLocation[S ~string](ctx context.Context, t *Table, pk string, q ledger.ListQuery[S]) ([]map[string]types.AttributeValue, string, error) {
	to := "~" // after every time
	if !q.To.IsZero() {
		to = q.To.UTC().Format(sortableTime) + "#~"
	}
	from := "0" // before every time
	if !q.From.IsZero() {
		from = q.From.UTC().Format(sortableTime)
	}
	in := &awsdynamodb.QueryInput{
		TableName: &t.name, IndexName: aws.String(locationIndex),
		KeyConditionExpression:   aws.String("#lpk = :pk AND #lsk BETWEEN :from AND :to"),
		ExpressionAttributeNames: map[string]string{"#lpk": attrLocationPK, "#lsk": attrLocationSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":from": &types.AttributeValueMemberS{Value: from},
			":to": &types.AttributeValueMemberS{Value: to},
		},
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(max(min(q.Limit, 100), 1))),
	}
	if q.Status != "" {
		in.FilterExpression = aws.String("#status = :status")
		in.ExpressionAttributeNames["#status"] = "status"
		in.ExpressionAttributeValues[":status"] = &types.AttributeValueMemberS{Value: string(q.Status)}
	}
	if q.Cursor != "" {
		start, err := decodeCursor(q.Cursor, pk)
		if err != nil {
			return nil, "", err
		}
		in.ExclusiveStartKey = start
	}
	out, err := t.api.Query(ctx, in)
	if err != nil {
		return nil, "", wrap("query "+pk, err)
	}
	var next string
	if len(out.LastEvaluatedKey) > 0 {
		if next, err = encodeCursor(out.LastEvaluatedKey); err != nil {
			return nil, "", err
		}
	}
	return out.Items, next, nil
}

func encodeCursor(key map[string]types.AttributeValue) (string, error) {
	var c cursorKey
	if err := attributevalue.UnmarshalMap(key, &c); err != nil {
		return "", wrap("read the page's last key", err)
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

func decodeCursor(cursor, pk string) (map[string]types.AttributeValue, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	var c cursorKey
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil || c.LocationPK != pk || c.PK == "" || c.SK == "" || c.LocationSK == "" {
		return nil, ledger.ErrBadCursor
	}
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: c.PK}, attrSK: &types.AttributeValueMemberS{Value: c.SK},
		attrLocationPK: &types.AttributeValueMemberS{Value: c.LocationPK}, attrLocationSK: &types.AttributeValueMemberS{Value: c.LocationSK},
	}, nil
}
