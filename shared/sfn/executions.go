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

// Executions starts and resumes one state machine's executions.
type Executions struct {
	api             API
	stateMachineARN string
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

// NewExecutions runs the state machine at stateMachineARN.
func NewExecutions(api API, stateMachineARN string) (*Executions, error) {
	if api == nil || !strings.Contains(stateMachineARN, ":stateMachine:") {
		return nil, fmt.Errorf("sfn: a client and a state machine ARN are required, got %q", stateMachineARN)
	}
	return &Executions{api: api, stateMachineARN: stateMachineARN}, nil
}

// Start begins an execution. Step Functions answers a running execution of
// the same name and input as if it had just started it; one that already
// ended keeps its name, and its ARN is answered.
func (e *Executions) Start(ctx context.Context, name string, input checkout.SagaInput) (string, error) {
	body, err := json.Marshal(input)
	if err != nil {
		return "", err
	}
	out, err := e.api.StartExecution(ctx, &awssfn.StartExecutionInput{
		StateMachineArn: &e.stateMachineARN, Name: &name, Input: aws.String(string(body)),
	})
	var exists *types.ExecutionAlreadyExists
	switch {
	case errors.As(err, &exists):
		return e.executionARN(name), nil
	case err != nil:
		return "", fmt.Errorf("sfn: start %s: %w", name, err)
	}
	return aws.ToString(out.ExecutionArn), nil
}

// executionARN is the ARN Step Functions gives the named execution.
func (e *Executions) executionARN(name string) string {
	return strings.Replace(e.stateMachineARN, ":stateMachine:", ":execution:", 1) + ":" + name
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
