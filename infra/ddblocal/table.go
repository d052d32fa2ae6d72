package ddblocal

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/infra/samtemplate"
)

// LedgerTable is the table definition of template.yaml, so local tables are
// created exactly as CloudFormation would create them.
func LedgerTable() (samtemplate.Table, error) {
	file, err := repo.Path("template.yaml")
	if err != nil {
		return samtemplate.Table{}, err
	}
	t, err := samtemplate.Load(file)
	if err != nil {
		return samtemplate.Table{}, err
	}
	if len(t.Tables) != 1 {
		return samtemplate.Table{}, fmt.Errorf("ddblocal: template.yaml declares %d tables, want 1", len(t.Tables))
	}
	return t.Tables[0], nil
}

// CreateTable creates a table from a template definition and waits until it
// is active, with its TTL attribute switched on.
func CreateTable(ctx context.Context, client *awsdynamodb.Client, name string, def samtemplate.Table) error {
	in := &awsdynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest}
	for _, a := range def.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName), AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	in.KeySchema = keySchema(def.KeySchema)
	for _, g := range def.GlobalIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName: aws.String(g.IndexName), KeySchema: keySchema(g.KeySchema),
			Projection: &types.Projection{ProjectionType: types.ProjectionType(g.ProjectionType)},
		})
	}
	if _, err := client.CreateTable(ctx, in); err != nil {
		var inUse *types.ResourceInUseException
		if !errors.As(err, &inUse) {
			return fmt.Errorf("ddblocal: create table %s: %w", name, err)
		}
	}
	waiter := awsdynamodb.NewTableExistsWaiter(client)
	if err := waiter.Wait(ctx, &awsdynamodb.DescribeTableInput{TableName: aws.String(name)}, defaultWait); err != nil {
		return fmt.Errorf("ddblocal: table %s: %w", name, err)
	}
	if def.TTLAttribute == "" {
		return nil
	}
	_, err := client.UpdateTimeToLive(ctx, &awsdynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(def.TTLAttribute), Enabled: aws.Bool(true)},
	})
	if err != nil {
		return fmt.Errorf("ddblocal: enable TTL on %s: %w", name, err)
	}
	return nil
}

func keySchema(elems []samtemplate.KeyElement) []types.KeySchemaElement {
	out := make([]types.KeySchemaElement, 0, len(elems))
	for _, k := range elems {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}
