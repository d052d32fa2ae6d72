package bootstrap

import (
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/leatpos/gateway/shared/authorizer"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Container is what every function of a container starts from: its
// configuration, logger and AWS configuration, the table, and the tenant
// directory, built on its first use and kept for the container's life.
type Container struct {
	Config Config
	Logger *slog.Logger
	AWS    aws.Config
	Table  *dynamodb.Table

	directory Lazy[tenancy.Directory]
}

// NewContainer prepares a container; the table is the only dependency
// built before its first use.
func NewContainer(cfg Config, awsCfg aws.Config, logger *slog.Logger) (*Container, error) {
	table, err := dynamodb.NewTable(dynamodb.NewClient(awsCfg, cfg.DynamoDBEndpoint), cfg.TableName)
	if err != nil {
		return nil, err
	}
	return &Container{Config: cfg, Logger: logger, AWS: awsCfg, Table: table}, nil
}

// Directory holds tenants and their API keys; tenants are kept for
// tenancy.TenantCacheTTL, so the hot path reads none from the table.
func (c *Container) Directory() tenancy.Directory {
	return c.directory.Get(func() tenancy.Directory {
		return tenancy.CacheTenants(dynamodb.NewDirectory(c.Table), tenancy.TenantCacheTTL, time.Now)
	})
}

// Authorizer resolves the bearer API key to tenant, locations and scopes.
func Authorizer(c *Container) (any, error) {
	return authorizer.New(c.Directory(), c.Logger), nil
}

// Lazy is a dependency built on its first use. A dependency built in the
// method that asks for it, not up front, is linked only into the binaries
// whose builder asks for it. sync.Once keeps it built once should functions
// ever be built concurrently.
type Lazy[T any] struct {
	once  sync.Once
	value T
}

// Get answers the dependency, building it on the first call.
func (l *Lazy[T]) Get(build func() T) T {
	l.once.Do(func() { l.value = build() })
	return l.value
}
