package dynamodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// CardMemory remembers which customer each card identified, under the
// card's SHA-256, so the table holds no card numbers.
type CardMemory struct {
	table *Table
	now   func() time.Time
}

var _ loyalty.CardMemory = (*CardMemory)(nil)

// cardMemoryTTL is how long an unused card is remembered; every identify
// refreshes it.
const cardMemoryTTL = 180 * 24 * time.Hour

// NewCardMemory returns the card memory on the table.
func NewCardMemory(t *Table, now func() time.Time) *CardMemory {
	return &CardMemory{table: t, now: now}
}

type cardItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	ContactUUID string `dynamodbav:"contact_uuid"`
	ExpiresAt   int64  `dynamodbav:"expires_at"`
}

type cardOf struct {
	tenant tenancy.TenantID
	card   string
}

func cardKey(c cardOf) (pk, sk string) {
	sum := sha256.Sum256([]byte(c.card))
	return "T#" + string(c.tenant) + "#CARD#" + hex.EncodeToString(sum[:]), "CARD"
}

// Recall answers the card's contact; "" when unknown or expired (TTL
// deletes expired items only eventually).
func (m *CardMemory) Recall(ctx context.Context, tenant tenancy.TenantID, card string) (string, error) {
	var item cardItem
	found, err := get(ctx, m.table, cardKey, cardOf{tenant, card}, &item)
	if err != nil || !found || item.ExpiresAt <= m.now().Unix() {
		return "", err
	}
	return item.ContactUUID, nil
}

// Remember records the card's contact for another cardMemoryTTL.
func (m *CardMemory) Remember(ctx context.Context, tenant tenancy.TenantID, card, contactUUID string) error {
	pk, sk := cardKey(cardOf{tenant, card})
	av, err := attributevalue.MarshalMap(cardItem{PK: pk, SK: sk, ContactUUID: contactUUID, ExpiresAt: m.now().Add(cardMemoryTTL).Unix()})
	if err != nil {
		return wrap("marshal card", err)
	}
	if _, err := m.table.api.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: &m.table.name, Item: av}); err != nil {
		return wrap("remember card", err)
	}
	return nil
}

// Forget drops the card.
func (m *CardMemory) Forget(ctx context.Context, tenant tenancy.TenantID, card string) error {
	pk, sk := cardKey(cardOf{tenant, card})
	if _, err := m.table.api.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: &m.table.name, Key: key(pk, sk)}); err != nil {
		return wrap("forget card", err)
	}
	return nil
}
