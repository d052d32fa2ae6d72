package dynamodb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/tenancy"
)

// TestMemories: a card's customer and a voucher's uuid are remembered per
// tenant and per kind until they expire or are forgotten, and the table
// holds the code's hash, never the card number or voucher code.
func TestMemories(t *testing.T) {
	for _, tt := range []struct {
		name      string
		memory    func(*dynamodb.Table, func() time.Time) *dynamodb.Memory
		other     func(*dynamodb.Table, func() time.Time) *dynamodb.Memory
		expiresIn time.Duration
	}{
		{"cards", dynamodb.NewCardMemory, dynamodb.NewVoucherMemory, 180 * 24 * time.Hour},
		{"vouchers", dynamodb.NewVoucherMemory, dynamodb.NewCardMemory, 30 * 24 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			table, client, name := ddblocaltest.NewTable(t)
			now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			mem, other := tt.memory(table, clock), tt.other(table, clock)
			ctx := context.Background()
			recall := func(m *dynamodb.Memory, tenant, code string) string {
				t.Helper()
				uuid, err := m.Recall(ctx, tenancy.TenantID(tenant), code)
				if err != nil {
					t.Fatal(err)
				}
				return uuid
			}
			if got := recall(mem, "acme", "LEAT-1001"); got != "" {
				t.Fatalf("an unknown code recalls %q", got)
			}
			if err := mem.Remember(ctx, "acme", "LEAT-1001", "u-1"); err != nil {
				t.Fatal(err)
			}
			if got := recall(mem, "acme", "LEAT-1001"); got != "u-1" {
				t.Errorf("the code recalls %q, want u-1", got)
			}
			if got := recall(mem, "globex", "LEAT-1001"); got != "" {
				t.Errorf("another tenant recalls the code as %q", got)
			}
			if got := recall(other, "acme", "LEAT-1001"); got != "" {
				t.Errorf("the other kind's memory recalls the code as %q", got)
			}
			items, err := client.Scan(ctx, &awsdynamodb.ScanInput{TableName: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			var rows []map[string]any
			if err := attributevalue.UnmarshalListOfMaps(items.Items, &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 || strings.Contains(fmt.Sprint(rows), "LEAT-1001") {
				t.Errorf("the table holds %v", rows)
			}
			now = now.Add(tt.expiresIn - time.Minute)
			if got := recall(mem, "acme", "LEAT-1001"); got != "u-1" {
				t.Errorf("a code about to expire recalls %q", got)
			}
			now = now.Add(time.Minute)
			if got := recall(mem, "acme", "LEAT-1001"); got != "" {
				t.Errorf("an expired code recalls %q", got)
			}
			if err := mem.Remember(ctx, "acme", "LEAT-1001", "u-2"); err != nil {
				t.Fatal(err)
			}
			if err := mem.Forget(ctx, "acme", "LEAT-1001"); err != nil {
				t.Fatal(err)
			}
			if got := recall(mem, "acme", "LEAT-1001"); got != "" {
				t.Errorf("a forgotten code recalls %q", got)
			}
		})
	}
}
