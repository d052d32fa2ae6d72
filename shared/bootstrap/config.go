package bootstrap

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Config is what a function reads from its environment. A setting only some
// functions need stays optional here: the Env dependency that uses it reports
// it missing, so the functions that never use it need not set it.
type Config struct {
	TableName string
	// DynamoDBEndpoint points at a local engine; empty in AWS.
	DynamoDBEndpoint string
	LogLevel         slog.Level
	// LeatAttemptTimeout bounds one call to Leat, leaving time within the
	// function's timeout for a retry of a read.
	LeatAttemptTimeout time.Duration
	// CheckoutStateMachineARN is the checkout saga, for the functions that
	// start or resume it.
	CheckoutStateMachineARN string
	// ReturnStateMachineARN is the return saga, for the function that starts it.
	ReturnStateMachineARN string
	// StepFunctionsEndpoint points at a local engine; empty in AWS.
	StepFunctionsEndpoint string
	// LeatBaseURL is the Leat API host of tenants whose credentials name none.
	LeatBaseURL string
	// EventBusName is the EventBridge bus the functions that close a saga
	// publish its outcome on.
	EventBusName string
	// EventBridgeEndpoint points at a local sink; empty in AWS.
	EventBridgeEndpoint string
}

// ConfigFromEnv reads TABLE_NAME, DYNAMODB_ENDPOINT, LOG_LEVEL,
// LEAT_ATTEMPT_TIMEOUT, CHECKOUT_STATE_MACHINE_ARN, RETURN_STATE_MACHINE_ARN,
// STEPFUNCTIONS_ENDPOINT, LEAT_BASE_URL, EVENT_BUS_NAME and EVENTBRIDGE_ENDPOINT.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		TableName: getenv("TABLE_NAME"), DynamoDBEndpoint: getenv("DYNAMODB_ENDPOINT"),
		LeatAttemptTimeout:      4 * time.Second,
		CheckoutStateMachineARN: getenv("CHECKOUT_STATE_MACHINE_ARN"), ReturnStateMachineARN: getenv("RETURN_STATE_MACHINE_ARN"),
		StepFunctionsEndpoint: getenv("STEPFUNCTIONS_ENDPOINT"),
		LeatBaseURL:           getenv("LEAT_BASE_URL"), EventBusName: getenv("EVENT_BUS_NAME"), EventBridgeEndpoint: getenv("EVENTBRIDGE_ENDPOINT"),
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
