package localsfn_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TransientError and ValidationError stand in for the gateway's typed errors: Step Functions matches them by
// type name, whether the error is a pointer or a value.
type TransientError struct{ Reason string }

func (e *TransientError) Error() string { return "transient: " + e.Reason }

type ValidationError struct{ Field string }

func (e ValidationError) Error() string { return e.Field + " must be positive" }

type order struct {
	OrderID string `json:"orderId"`
	Amount  int64  `json:"amount"`
}

func TestLambdaTaskSucceeds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	invocations := make(chan *lambdacontext.LambdaContext, 1)
	f.function("Greet", func(ctx context.Context, o order) (string, error) {
		lc, _ := lambdacontext.FromContext(ctx)
		invocations <- lc
		return "hello " + o.OrderID, nil
	})
	machine := f.machine("order", []string{"Greet"}, nil)

	out := f.finish(f.start(machine, "order-1", order{OrderID: "o-1", Amount: 250}))

	if out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	assertJSON(t, aws.ToString(out.Output), `{"greeting":"hello o-1","execution":"order-1","stateMachine":"order"}`)
	lc := <-invocations
	if lc.AwsRequestID == "" || lc.InvokedFunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:Greet" {
		t.Errorf("lambda context: request ID %q, function ARN %q", lc.AwsRequestID, lc.InvokedFunctionArn)
	}
}

func TestRetryOnTypedErrorSucceedsOnThirdAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var attempts atomic.Int32
	f.function("Charge", func(o order) (order, error) {
		if attempts.Add(1) < 3 {
			return order{}, &TransientError{Reason: "503 from Leat"}
		}
		return o, nil
	})
	machine := f.machine("retry", []string{"Charge"}, nil)

	// SkipDelays turns the 600 s Wait and the 30 s and 60 s retry intervals into nothing.
	executionArn := f.start(machine, "charge-1", order{OrderID: "o-1"})
	out := f.finish(executionArn)

	if out.Status != types.ExecutionStatusSucceeded || attempts.Load() != 3 {
		t.Fatalf("status %s after %d attempts: %s", out.Status, attempts.Load(), aws.ToString(out.Cause))
	}
	failed := 0
	for _, ev := range f.history(executionArn) {
		if ev.Type == types.HistoryEventTypeLambdaFunctionFailed {
			failed++
			if got := aws.ToString(ev.LambdaFunctionFailedEventDetails.Error); got != "TransientError" {
				t.Errorf("failed attempt reports error %q", got)
			}
		}
	}
	if failed != 2 {
		t.Errorf("history shows %d failed attempts, want 2", failed)
	}
}

func TestCatchRoutesTypedErrorToCompensation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.function("Validate", func(o order) (order, error) {
		switch {
		case o.OrderID == "panic":
			panic("validator crashed")
		case o.Amount <= 0:
			return order{}, ValidationError{Field: "amount"}
		}
		return o, nil
	})
	compensated := make(chan map[string]any, 1)
	f.function("Compensate", func(input map[string]any) error {
		compensated <- input
		return nil
	})
	machine := f.machine("validate", []string{"Validate", "Compensate"}, nil)

	t.Run("named error is caught", func(t *testing.T) {
		f := f.in(t)
		out := f.finish(f.start(machine, "rejected", order{OrderID: "o-1", Amount: -5}))

		if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "OrderRejected" {
			t.Fatalf("status %s, error %q: %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
		}
		caught := (<-compensated)["error"].(map[string]any)
		if caught["Error"] != "ValidationError" {
			t.Errorf("caught error %v", caught["Error"])
		}
		assertJSON(t, caught["Cause"].(string), `{"errorMessage":"amount must be positive","errorType":"ValidationError"}`)
	})

	t.Run("panic is an error named after its value's type", func(t *testing.T) {
		f := f.in(t)
		out := f.finish(f.start(machine, "crashed", order{OrderID: "panic", Amount: 1}))

		if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "string" {
			t.Fatalf("status %s, error %q: %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
		}
		assertJSON(t, aws.ToString(out.Cause), `{"errorMessage":"validator crashed","errorType":"string"}`)
	})
}

func TestParallelAndMap(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.function("Price", func(o struct{ Lines []any }) (int, error) { return 100 * len(o.Lines), nil })
	f.function("Stock", func(context.Context) (map[string]bool, error) { return map[string]bool{"available": true}, nil })
	var mu sync.Mutex
	var running, mostRunning int
	release := make(chan struct{})
	f.function("Reserve", func(line struct {
		OrderID string `json:"orderId"`
		Index   int    `json:"index"`
		SKU     string `json:"sku"`
	}) (string, error) {
		mu.Lock()
		running++
		mostRunning = max(mostRunning, running)
		if running == 2 {
			close(release)
		}
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
		return fmt.Sprintf("%s/%d/%s", line.OrderID, line.Index, line.SKU), nil
	})
	machine := f.machine("fanout", []string{"Price", "Stock", "Reserve"}, map[string]string{
		"PriceFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:Price:$LATEST", // a qualified ARN
	})

	input := map[string]any{"orderId": "o-7", "lines": []map[string]string{{"sku": "a"}, {"sku": "b"}, {"sku": "c"}}}
	executionArn := f.start(machine, "fanout-1", input)
	out := f.finish(executionArn)

	if out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	assertJSON(t, aws.ToString(out.Output), `{
		"orderId": "o-7",
		"lines": [{"sku": "a"}, {"sku": "b"}, {"sku": "c"}],
		"checks": [300, {"available": true, "statusCode": 200, "version": "$LATEST"}],
		"reservations": ["o-7/0/a", "o-7/1/b", "o-7/2/c"]
	}`)
	mu.Lock()
	defer mu.Unlock()
	if mostRunning != 2 {
		t.Errorf("at most %d lines were reserved at once, want MaxConcurrency 2", mostRunning)
	}
	var invoke *types.TaskScheduledEventDetails
	for _, ev := range f.history(executionArn) {
		if ev.Type == types.HistoryEventTypeTaskScheduled {
			invoke = ev.TaskScheduledEventDetails
		}
	}
	if invoke == nil || aws.ToString(invoke.ResourceType) != "lambda" || aws.ToString(invoke.Resource) != "invoke" {
		t.Fatalf("lambda:invoke scheduled as %+v", invoke)
	}
	assertJSON(t, aws.ToString(invoke.Parameters), `{
		"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Stock",
		"Payload": {"orderId": "o-7", "lines": [{"sku": "a"}, {"sku": "b"}, {"sku": "c"}]}
	}`)
}

func TestUnknownFunctionIsATaskFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	machine := f.machine("order", []string{"Greet"}, nil) // but no function Greet is registered

	out := f.finish(f.start(machine, "missing", order{OrderID: "o-1"}))

	if got := aws.ToString(out.Error); out.Status != types.ExecutionStatusFailed || got != "Lambda.ResourceNotFoundException" {
		t.Fatalf("status %s, error %q", out.Status, got)
	}
}
