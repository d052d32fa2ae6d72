package dynamodb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// ordersIndex lists a location's order headers by when they started, as
// template.yaml declares it.
const ordersIndex = "orders-by-location"

func ordersPK(tenant tenancy.TenantID, location tenancy.LocationID) string {
	return "T#" + string(tenant) + "#LOC#" + string(location)
}

// orderTime has a fixed width, so the index's string order is time order.
const orderTime = "2006-01-02T15:04:05.000000000Z"

func ordersSK(createdAt time.Time, id ledger.CheckoutID) string {
	return createdAt.UTC().Format(orderTime) + "#" + string(id)
}

// cursorKey is the index position a page ended at.
type cursorKey struct {
	PK       string `json:"pk" dynamodbav:"pk"`
	SK       string `json:"sk" dynamodbav:"sk"`
	OrdersPK string `json:"opk" dynamodbav:"orders_pk"`
	OrdersSK string `json:"osk" dynamodbav:"orders_sk"`
}

// Orders lists a location's orders, newest first. The cursor is the last
// key read, refused when it belongs to another list.
func (l *LedgerStore) Orders(ctx context.Context, tenant tenancy.TenantID, q ledger.OrderQuery) (ledger.OrderPage, error) {
	pk := ordersPK(tenant, q.Location)
	to := "~" // after every time
	if !q.To.IsZero() {
		to = q.To.UTC().Format(orderTime) + "#~"
	}
	from := "0" // before every time
	if !q.From.IsZero() {
		from = q.From.UTC().Format(orderTime)
	}
	in := &awsdynamodb.QueryInput{
		TableName: &l.table.name, IndexName: aws.String(ordersIndex),
		KeyConditionExpression: aws.String("orders_pk = :pk AND orders_sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":from": &types.AttributeValueMemberS{Value: from},
			":to": &types.AttributeValueMemberS{Value: to},
		},
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(max(min(q.Limit, 100), 1))),
	}
	if q.Status != "" {
		in.FilterExpression = aws.String("#status = :status")
		in.ExpressionAttributeNames = map[string]string{"#status": "status"}
		in.ExpressionAttributeValues[":status"] = &types.AttributeValueMemberS{Value: string(q.Status)}
	}
	if q.Cursor != "" {
		start, err := decodeCursor(q.Cursor, pk)
		if err != nil {
			return ledger.OrderPage{}, err
		}
		in.ExclusiveStartKey = start
	}
	out, err := l.table.api.Query(ctx, in)
	if err != nil {
		return ledger.OrderPage{}, wrap("query orders", err)
	}
	page := ledger.OrderPage{Orders: []ledger.Checkout{}}
	for _, av := range out.Items {
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
	if len(out.LastEvaluatedKey) > 0 {
		if page.Next, err = encodeCursor(out.LastEvaluatedKey); err != nil {
			return ledger.OrderPage{}, err
		}
	}
	return page, nil
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
	if err != nil || c.OrdersPK != pk || c.PK == "" || c.SK == "" || c.OrdersSK == "" {
		return nil, ledger.ErrBadCursor
	}
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: c.PK}, attrSK: &types.AttributeValueMemberS{Value: c.SK},
		"orders_pk": &types.AttributeValueMemberS{Value: c.OrdersPK}, "orders_sk": &types.AttributeValueMemberS{Value: c.OrdersSK},
	}, nil
}
