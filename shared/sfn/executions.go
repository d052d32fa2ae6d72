// Package sfn runs the checkout saga on AWS Step Functions (or the local
// engine that speaks its API).
package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/leatpos/gateway/shared/checkout"
)

var _ checkout.Executions = (*Executions)(nil)

// API is the part of the Step Functions client the adapter uses.
type API interface {
	StartExecution(ctx context.Context, in *awssfn.StartExecutionInput, opts ...func(*awssfn.Options)) (*awssfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *awssfn.SendTaskSuccessInput, opts ...func(*awssfn.Options)) (*awssfn.SendTaskSuccessOutput, error)
}

// Executions starts and resumes the executions of the checkout saga's
// state machine, and starts the return saga's.
type Executions struct {
	api             API
	stateMachineARN string
	returnsARN      string
}

// NewClient builds a Step Functions client; a non-empty endpoint points it
// at a local engine.
func NewClient(cfg aws.Config, endpoint string) *awssfn.Client {
	return awssfn.NewFromConfig(cfg, func(o *awssfn.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
}

// NewExecutions runs the checkout saga's state machine at checkoutARN and
// the return saga's at returnsARN. A function that runs only one of them
// leaves the other empty.
func NewExecutions(api API, checkoutARN, returnsARN string) (*Executions, error) {
	if api == nil || checkoutARN == "" && returnsARN == "" {
		return nil, errors.New("sfn: a client and a state machine ARN are required")
	}
	for _, arn := range []string{checkoutARN, returnsARN} {
		if arn != "" && !strings.Contains(arn, ":stateMachine:") {
			return nil, fmt.Errorf("sfn: %q is not a state machine ARN", arn)
		}
	}
	return &Executions{api: api, stateMachineARN: checkoutARN, returnsARN: returnsARN}, nil
}

// Start begins a checkout's execution.
func (e *Executions) Start(ctx context.Context, name string, input checkout.SagaInput) (string, error) {
	return e.start(ctx, e.stateMachineARN, name, input)
}

// StartReturn begins a return's execution.
func (e *Executions) StartReturn(ctx context.Context, name string, input checkout.ReturnInput) (string, error) {
	return e.start(ctx, e.returnsARN, name, input)
}

// start begins an execution. Step Functions answers a running execution of
// the same name and input as if it had just started it; one that already
// ended keeps its name, and its ARN is answered.
func (e *Executions) start(ctx context.Context, stateMachineARN, name string, input any) (string, error) {
	if stateMachineARN == "" {
		return "", fmt.Errorf("sfn: no state machine is configured for %s", name)
	}
	body, err := json.Marshal(input)
	if err != nil {
		return "", err
	}
	out, err := e.api.StartExecution(ctx, &awssfn.StartExecutionInput{
		StateMachineArn: &stateMachineARN, Name: &name, Input: aws.String(string(body)),
	})
	var exists *types.ExecutionAlreadyExists
	switch {
	case errors.As(err, &exists):
		return executionARN(stateMachineARN, name), nil
	case err != nil:
		return "", fmt.Errorf("sfn: start %s: %w", name, err)
	}
	return aws.ToString(out.ExecutionArn), nil
}

// executionARN is the ARN Step Functions gives the named execution.
func executionARN(stateMachineARN, name string) string {
	return strings.Replace(stateMachineARN, ":stateMachine:", ":execution:", 1) + ":" + name
}

// Resume completes the waiting task with the payment event.
func (e *Executions) Resume(ctx context.Context, taskToken string, event checkout.PaymentEvent) error {
	body, err := json.Marshal(event)
	if err != nil {
		return err
	}
	_, err = e.api.SendTaskSuccess(ctx, &awssfn.SendTaskSuccessInput{TaskToken: &taskToken, Output: aws.String(string(body))})
	var (
		timedOut *types.TaskTimedOut
		gone     *types.TaskDoesNotExist
		invalid  *types.InvalidToken
	)
	switch {
	case errors.As(err, &timedOut), errors.As(err, &gone), errors.As(err, &invalid):
		return fmt.Errorf("%w: %v", checkout.ErrTaskGone, err)
	case err != nil:
		return fmt.Errorf("sfn: resume: %w", err)
	}
	return nil
}
