// Package ddblocaltest gives tests a fresh table on the DynamoDB Local that
// `make test` runs for the whole test run.
package ddblocaltest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/leatpos/gateway/infra/ddblocal"
	"github.com/leatpos/gateway/shared/dynamodb"
)

var tables atomic.Int64

// Client returns a client for the running DynamoDB Local. Without one, the test
// is skipped on a developer machine and fails in CI, which must never skip.
func Client(tb testing.TB) *awsdynamodb.Client {
	tb.Helper()
	endpoint := os.Getenv(ddblocal.EndpointEnv)
	if endpoint == "" {
		msg := ddblocal.EndpointEnv + " is not set: run the tests with `make test`, which starts DynamoDB Local"
		if os.Getenv("CI") != "" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}
	return dynamodb.NewClient(cfg, endpoint)
}

// NewTable creates a table shaped like template.yaml's and returns the
// gateway's adapter on it. Each call gets its own table, so tests never share
// data.
func NewTable(tb testing.TB) (*dynamodb.Table, *awsdynamodb.Client, string) {
	tb.Helper()
	client := Client(tb)
	def, err := ddblocal.LedgerTable()
	if err != nil {
		tb.Fatal(err)
	}
	name := fmt.Sprintf("test-%s-%d-%d", sanitize(tb.Name()), time.Now().UnixNano()%1e9, tables.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := ddblocal.CreateTable(ctx, client, name, def); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_, _ = client.DeleteTable(context.Background(), &awsdynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	table, err := dynamodb.NewTable(client, name)
	if err != nil {
		tb.Fatal(err)
	}
	return table, client, name
}

// sanitize keeps table names within DynamoDB's alphabet and length.
func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
	if len(s) > 180 {
		s = s[:180]
	}
	return s
}
