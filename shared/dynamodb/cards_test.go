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

// TestCardMemory: a card is remembered per tenant until it expires or is
// forgotten, and the table holds its hash, never the card number.
func TestCardMemory(t *testing.T) {
	table, client, name := ddblocaltest.NewTable(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	mem := dynamodb.NewCardMemory(table, func() time.Time { return now })
	ctx := context.Background()
	recall := func(tenant, card string) string {
		t.Helper()
		contact, err := mem.Recall(ctx, tenancy.TenantID(tenant), card)
		if err != nil {
			t.Fatal(err)
		}
		return contact
	}
	if got := recall("acme", "LEAT-1001"); got != "" {
		t.Fatalf("an unknown card recalls %q", got)
	}
	if err := mem.Remember(ctx, "acme", "LEAT-1001", "c-1"); err != nil {
		t.Fatal(err)
	}
	if got := recall("acme", "LEAT-1001"); got != "c-1" {
		t.Errorf("the card recalls %q, want c-1", got)
	}
	if got := recall("globex", "LEAT-1001"); got != "" {
		t.Errorf("another tenant recalls the card as %q", got)
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
	now = now.Add(181 * 24 * time.Hour)
	if got := recall("acme", "LEAT-1001"); got != "" {
		t.Errorf("a card unused for 181 days recalls %q", got)
	}
	if err := mem.Remember(ctx, "acme", "LEAT-1001", "c-2"); err != nil {
		t.Fatal(err)
	}
	if err := mem.Forget(ctx, "acme", "LEAT-1001"); err != nil {
		t.Fatal(err)
	}
	if got := recall("acme", "LEAT-1001"); got != "" {
		t.Errorf("a forgotten card recalls %q", got)
	}
}
