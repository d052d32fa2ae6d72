package localsfn_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/leatpos/gateway/infra/localsfn"
)

// payments runs testdata/payment.asl.json for many executions at once: requested receives the task token of
// every payment requested, by order.
type payments struct {
	*fixture
	machine   string
	requested chan paymentRequest
}

func newPayments(t *testing.T, executions int) *payments {
	p := &payments{fixture: newFixture(t), requested: make(chan paymentRequest, executions)}
	p.function("RequestPayment", func(r paymentRequest) (map[string]bool, error) {
		p.requested <- r
		return map[string]bool{"requested": true}, nil
	})
	p.function("Confirm", func(input map[string]any) (map[string]any, error) { return input, nil })
	p.function("Compensate", func(map[string]any) error { return nil })
	p.machine = p.fixture.machine("payment", []string{"RequestPayment", "Confirm", "Compensate"}, nil)
	return p
}

// startAll starts an execution per order, named after it, and returns the task token each one's payment was
// requested with.
func (p *payments) startAll(orders ...string) (executionArns, tokens map[string]string) {
	p.t.Helper()
	executionArns, tokens = map[string]string{}, map[string]string{}
	for _, orderID := range orders {
		executionArns[orderID] = p.start(p.machine, orderID, order{OrderID: orderID, Amount: 100})
	}
	for range orders {
		select {
		case r := <-p.requested:
			tokens[r.OrderID] = r.TaskToken
		case <-time.After(10 * time.Second):
			p.t.Fatalf("%d of %d payments requested", len(tokens), len(orders))
		}
	}
	return executionArns, tokens
}

// pay completes a payment task with output that names the order it was paid for.
func (p *payments) pay(token, orderID string) error {
	_, err := p.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(token),
		Output:    aws.String(fmt.Sprintf(`{"paidFor":%q}`, orderID)),
	})
	return err
}

// assertPaid checks that the execution succeeded with the payment made for its own order.
func (p *payments) assertPaid(executionArn, orderID string) {
	p.t.Helper()
	out := p.finish(executionArn)
	if out.Status != types.ExecutionStatusSucceeded {
		p.t.Fatalf("%s: status %s: %s %s", orderID, out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	assertJSON(p.t, aws.ToString(out.Output),
		fmt.Sprintf(`{"orderId":%q,"amount":100,"payment":{"paidFor":%q}}`, orderID, orderID))
}

func assertTokenSpent(t *testing.T, err error) {
	t.Helper()
	var timedOut *types.TaskTimedOut
	if !errors.As(err, &timedOut) {
		t.Errorf("SendTaskSuccess with the token of a closed execution: %v", err)
	}
}

func orderIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("o-%d", i)
	}
	return ids
}

// Not parallel, so that the test process's Node.js children can be counted.
func TestExecutionsShareOneRunner(t *testing.T) {
	orders := orderIDs(20)
	p := newPayments(t, len(orders))

	// The executions mint and claim their task tokens while they interleave in one process. A token that went to
	// the wrong task would pay an order's execution with another order's payment.
	executionArns, tokens := p.startAll(orders...)
	assertRunners(t, 1)
	seen := map[string]bool{}
	for _, token := range tokens {
		if seen[token] {
			t.Fatalf("token %s handed out twice", token)
		}
		seen[token] = true
	}
	for i := len(orders) - 1; i >= 0; i-- {
		if err := p.pay(tokens[orders[i]], orders[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, orderID := range orders {
		p.assertPaid(executionArns[orderID], orderID)
	}
	if work := localsfn.RunnerWork(p.engine); work != 0 {
		t.Errorf("the runner has %d executions or validations left", work)
	}
}

func TestStopExecutionLeavesTheOthersRunning(t *testing.T) {
	t.Parallel()
	p := newPayments(t, 3)
	executionArns, tokens := p.startAll("o-1", "o-2", "o-3")

	stop := &sfn.StopExecutionInput{ExecutionArn: aws.String(executionArns["o-2"])}
	if _, err := p.client.StopExecution(context.Background(), stop); err != nil {
		t.Fatal(err)
	}

	if got := p.describe(executionArns["o-2"]).Status; got != types.ExecutionStatusAborted {
		t.Fatalf("status %s once stopped", got)
	}
	assertTokenSpent(t, p.pay(tokens["o-2"], "o-2"))
	p.eventually("the runner to abort the stopped execution", func() bool { return localsfn.RunnerWork(p.engine) == 2 })
	for _, orderID := range []string{"o-1", "o-3"} {
		if got := p.describe(executionArns[orderID]).Status; got != types.ExecutionStatusRunning {
			t.Fatalf("%s: status %s while its payment is awaited", orderID, got)
		}
		if err := p.pay(tokens[orderID], orderID); err != nil {
			t.Fatal(err)
		}
		p.assertPaid(executionArns[orderID], orderID)
	}
}

func TestRunnerDeathFailsTheRunningExecutions(t *testing.T) {
	t.Parallel()
	p := newPayments(t, 3)
	executionArns, tokens := p.startAll("o-1", "o-2")
	pid := localsfn.RunnerPID(p.engine)
	runner, err := os.FindProcess(pid)
	if err != nil {
		t.Fatal(err)
	}

	if err := runner.Kill(); err != nil {
		t.Fatal(err)
	}

	for orderID, executionArn := range executionArns {
		out := p.finish(executionArn)
		cause := aws.ToString(out.Cause)
		if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "States.Runtime" ||
			!strings.Contains(cause, "the runner ended without a result") || !strings.Contains(cause, "signal: killed") {
			t.Errorf("%s: status %s, error %q, cause %q", orderID, out.Status, aws.ToString(out.Error), cause)
		}
		assertTokenSpent(t, p.pay(tokens[orderID], orderID))
	}

	t.Run("the next execution starts another runner", func(t *testing.T) {
		p := &payments{fixture: p.in(t), machine: p.machine, requested: p.requested}
		executionArns, tokens := p.startAll("o-3")
		if again := localsfn.RunnerPID(p.engine); again == pid {
			t.Errorf("still runner %d", again)
		}
		if err := p.pay(tokens["o-3"], "o-3"); err != nil {
			t.Fatal(err)
		}
		p.assertPaid(executionArns["o-3"], "o-3")
	})
}
