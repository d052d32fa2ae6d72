package dynamodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Memory remembers the uuid each scanned code of one kind named last (a
// card's customer, a voucher), under the code's SHA-256, so the table holds
// no card numbers or voucher codes.
type Memory struct {
	table *Table
	now   func() time.Time
	// kind names the codes in their keys (CARD, VOUCHER).
	kind string
	// ttl is how long an unused code is remembered.
	ttl time.Duration
}

var _ loyalty.Memory = (*Memory)(nil)

// NewCardMemory remembers which customer each card identified, for 180
// days after it last did: every identify refreshes it.
func NewCardMemory(t *Table, now func() time.Time) *Memory {
	return &Memory{table: t, now: now, kind: "CARD", ttl: 180 * 24 * time.Hour}
}

// NewVoucherMemory remembers which voucher each code named, for 30 days
// after it was last found: most vouchers are used within days of their scan.
func NewVoucherMemory(t *Table, now func() time.Time) *Memory {
	return &Memory{table: t, now: now, kind: "VOUCHER", ttl: 30 * 24 * time.Hour}
}

type memoryItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	UUID      string `dynamodbav:"uuid"`
	ExpiresAt int64  `dynamodbav:"expires_at"`
}

type codeOf struct {
	kind   string
	tenant tenancy.TenantID
	code   string
}

func codeKey(c codeOf) (pk, sk string) {
	sum := sha256.Sum256([]byte(c.code))
	return "T#" + string(c.tenant) + "#" + c.kind + "#" + hex.EncodeToString(sum[:]), c.kind
}

// Recall answers the code's uuid; "" when unknown or expired (TTL deletes
// expired items only eventually).
func (m *Memory) Recall(ctx context.Context, tenant tenancy.TenantID, code string) (string, error) {
	var item memoryItem
	found, err := get(ctx, m.table, codeKey, codeOf{m.kind, tenant, code}, &item)
	if err != nil || !found || item.ExpiresAt <= m.now().Unix() {
		return "", err
	}
	return item.UUID, nil
}

// Remember records the code's uuid for another ttl.
func (m *Memory) Remember(ctx context.Context, tenant tenancy.TenantID, code, uuid string) error {
	pk, sk := codeKey(codeOf{m.kind, tenant, code})
	av, err := attributevalue.MarshalMap(memoryItem{PK: pk, SK: sk, UUID: uuid, ExpiresAt: m.now().Add(m.ttl).Unix()})
	if err != nil {
		return wrap("marshal "+m.noun(), err)
	}
	if _, err := m.table.api.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: &m.table.name, Item: av}); err != nil {
		return wrap("remember "+m.noun(), err)
	}
	return nil
}

// Forget drops the code.
func (m *Memory) Forget(ctx context.Context, tenant tenancy.TenantID, code string) error {
	pk, sk := codeKey(codeOf{m.kind, tenant, code})
	if _, err := m.table.api.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: &m.table.name, Key: key(pk, sk)}); err != nil {
		return wrap("forget "+m.noun(), err)
	}
	return nil
}

func (m *Memory) noun() string { return strings.ToLower(m.kind) }
