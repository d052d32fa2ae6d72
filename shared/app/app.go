// Package app wires the gateway: the configuration each function reads, the
// dependencies built from it once per container, and the one table that maps
// every function to its handler. Each functions/<name>/main.go, the local stack
// and the template check all read that table.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awssm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/leatpos/gateway/shared/api"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/idempotency"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/secretsmanager"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Config is what a function reads from its environment.
type Config struct {
	TableName string
	// DynamoDBEndpoint points at a local engine; empty in AWS.
	DynamoDBEndpoint string
	LogLevel         slog.Level
	// LeatAttemptTimeout bounds one call to Leat, leaving time within the
	// function's timeout for a retry of a read.
	LeatAttemptTimeout time.Duration
}

// ConfigFromEnv reads TABLE_NAME, DYNAMODB_ENDPOINT, LOG_LEVEL and LEAT_ATTEMPT_TIMEOUT.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		TableName: getenv("TABLE_NAME"), DynamoDBEndpoint: getenv("DYNAMODB_ENDPOINT"),
		LeatAttemptTimeout: 4 * time.Second,
	}
	var problems []error
	if cfg.TableName == "" {
		problems = append(problems, errors.New("TABLE_NAME is required"))
	}
	if level := getenv("LOG_LEVEL"); level != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(level)); err != nil {
			problems = append(problems, fmt.Errorf("LOG_LEVEL: %w", err))
		}
	}
	if raw := getenv("LEAT_ATTEMPT_TIMEOUT"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Errorf("LEAT_ATTEMPT_TIMEOUT %q is not a positive duration", raw))
		}
		cfg.LeatAttemptTimeout = d
	}
	return cfg, errors.Join(problems...)
}

// Deps are built once per container and shared by its invocations.
type Deps struct {
	Logger    *slog.Logger
	Directory tenancy.Directory
	API       api.Deps
	Loyalty   *loyalty.Service
}

// NewDeps builds the dependencies. Leat accounts are resolved through
// accounts, which differs between AWS (Secrets Manager) and the local stack.
func NewDeps(cfg Config, awsCfg aws.Config, accounts leat.AccountResolver, logger *slog.Logger) (*Deps, error) {
	table, err := dynamodb.NewTable(dynamodb.NewClient(awsCfg, cfg.DynamoDBEndpoint), cfg.TableName)
	if err != nil {
		return nil, err
	}
	directory := dynamodb.NewDirectory(table)
	platforms := leat.NewPlatforms(accounts, func(c *leat.Config) { c.AttemptTimeout = cfg.LeatAttemptTimeout })
	return &Deps{
		Logger:    logger,
		Directory: directory,
		API:       api.Deps{Logger: logger, Guard: idempotency.NewGuard(dynamodb.NewIdempotencyStore(table))},
		Loyalty:   loyalty.NewService(directory, platforms, time.Now),
	}, nil
}

// Function is one Lambda of the gateway.
type Function struct {
	// Name is the function's directory under functions/ and its CodeUri in template.yaml.
	Name string
	// Handler builds the handler lambda.Start is given.
	Handler func(*Deps) any
}

func apiRoute(route func(*loyalty.Service) api.Route) func(*Deps) any {
	return func(d *Deps) any { return route(d.Loyalty).Lambda(d.API) }
}

// functions is the table of truth: template.yaml must declare exactly these.
var functions = []Function{
	{Name: "authorizer", Handler: func(d *Deps) any { return api.Authorizer(d.Directory) }},
	{Name: "identify-customer", Handler: apiRoute(api.IdentifyCustomer)},
	{Name: "customer-overview", Handler: apiRoute(api.CustomerOverview)},
	{Name: "scan-voucher", Handler: apiRoute(api.ScanVoucher)},
	{Name: "scan-giftcard", Handler: apiRoute(api.ScanGiftcard)},
	{Name: "open-portal-session", Handler: apiRoute(api.OpenPortalSession)},
}

// Functions lists every function.
func Functions() []Function { return slices.Clone(functions) }

// Lookup finds a function by name.
func Lookup(name string) (Function, bool) {
	i := slices.IndexFunc(functions, func(f Function) bool { return f.Name == name })
	if i < 0 {
		return Function{}, false
	}
	return functions[i], true
}

// Start is the whole main of a deployed function: read the environment,
// build the dependencies, hand the named handler to the Lambda runtime.
func Start(name string) {
	logger := logging.New(os.Stdout, slog.LevelInfo).With(logging.Function, name)
	if err := start(name, logger); err != nil {
		logger.Error("function cannot start", "error", err.Error())
		os.Exit(1)
	}
}

func start(name string, logger *slog.Logger) error {
	fn, ok := Lookup(name)
	if !ok {
		return fmt.Errorf("no function named %q", name)
	}
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	logger = logging.New(os.Stdout, cfg.LogLevel).With(logging.Function, name)
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return err
	}
	accounts := leat.SchemeResolver{"secretsmanager": secretsmanager.NewLeatAccounts(awssm.NewFromConfig(awsCfg))}
	deps, err := NewDeps(cfg, awsCfg, accounts, logger)
	if err != nil {
		return err
	}
	lambda.Start(fn.Handler(deps))
	return nil
}
