package localsfn_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/leatpos/gateway/infra/localsfn"
)

type paymentRequest struct {
	OrderID   string `json:"orderId"`
	TaskToken string `json:"taskToken"`
}

// paymentFixture runs the payment saga; requests receives the task token of every payment requested.
type paymentFixture struct {
	*fixture
	machine     string
	requests    chan paymentRequest
	confirmed   chan map[string]any
	compensated chan map[string]any
}

func newPaymentFixture(t *testing.T) *paymentFixture {
	p := &paymentFixture{
		fixture:     newFixture(t),
		requests:    make(chan paymentRequest, 10),
		confirmed:   make(chan map[string]any, 10),
		compensated: make(chan map[string]any, 10),
	}
	p.function("RequestPayment", func(r paymentRequest) (map[string]bool, error) {
		p.requests <- r
		return map[string]bool{"requested": true}, nil
	})
	p.function("Confirm", func(input map[string]any) (map[string]any, error) {
		p.confirmed <- input
		return input, nil
	})
	p.function("Compensate", func(input map[string]any) error {
		p.compensated <- input
		return nil
	})
	p.machine = p.fixture.machine("payment", []string{"RequestPayment", "Confirm", "Compensate"}, nil)
	return p
}

func (p *paymentFixture) awaitRequest() paymentRequest {
	p.t.Helper()
	select {
	case r := <-p.requests:
		return r
	case <-time.After(10 * time.Second):
		p.t.Fatal("the payment was never requested")
		return paymentRequest{}
	}
}

func TestWaitForTaskTokenCompletedBySendTaskSuccess(t *testing.T) {
	t.Parallel()
	p := newPaymentFixture(t)
	executionArn := p.start(p.machine, "pay-1", order{OrderID: "o-1", Amount: 1250})
	request := p.awaitRequest()
	if request.OrderID != "o-1" || request.TaskToken == "" {
		t.Fatalf("payment requested with %+v", request)
	}
	if got := p.describe(executionArn).Status; got != types.ExecutionStatusRunning {
		t.Fatalf("status %s while waiting for the payment", got)
	}

	_, err := p.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(request.TaskToken),
		Output:    aws.String(`{"paid":1250}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := p.finish(executionArn)

	if out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	assertJSON(t, aws.ToString(out.Output), `{"orderId":"o-1","amount":1250,"payment":{"paid":1250}}`)
	assertTaskEvents(t, p.history(executionArn), []types.HistoryEventType{
		types.HistoryEventTypeTaskStateEntered,
		types.HistoryEventTypeTaskScheduled,
		types.HistoryEventTypeTaskStarted,
		types.HistoryEventTypeTaskSubmitted,
		types.HistoryEventTypeTaskSucceeded,
		types.HistoryEventTypeTaskStateExited,
	})

	t.Run("the token is spent", func(t *testing.T) {
		p := p.in(t)
		_, err := p.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
			TaskToken: aws.String(request.TaskToken),
			Output:    aws.String(`{}`),
		})
		var timedOut *types.TaskTimedOut
		if !errors.As(err, &timedOut) {
			t.Errorf("second SendTaskSuccess: %v", err)
		}
	})
	t.Run("malformed and unknown tokens", func(t *testing.T) {
		p := p.in(t)
		_, err := p.client.SendTaskHeartbeat(context.Background(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String("garbage")})
		var invalid *types.InvalidToken
		if !errors.As(err, &invalid) {
			t.Errorf("malformed token: %v", err)
		}
		unknown := base64.RawURLEncoding.EncodeToString(make([]byte, 48))
		_, err = p.client.SendTaskHeartbeat(context.Background(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(unknown)})
		var missing *types.TaskDoesNotExist
		if !errors.As(err, &missing) {
			t.Errorf("unknown token: %v", err)
		}
	})
}

// assertTaskEvents checks the events between the first state's entry and exit.
func assertTaskEvents(t *testing.T, events []types.HistoryEvent, want []types.HistoryEventType) {
	t.Helper()
	if got := eventTypes(events)[1 : len(want)+1]; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestWaitForTaskTokenFailedBySendTaskFailure(t *testing.T) {
	t.Parallel()
	p := newPaymentFixture(t)
	executionArn := p.start(p.machine, "pay-2", order{OrderID: "o-2", Amount: 900})
	request := p.awaitRequest()

	_, err := p.client.SendTaskFailure(context.Background(), &sfn.SendTaskFailureInput{
		TaskToken: aws.String(request.TaskToken),
		Error:     aws.String("PaymentDeclined"),
		Cause:     aws.String("card expired"),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := p.finish(executionArn)

	if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "PaymentFailed" {
		t.Fatalf("status %s, error %q: %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	compensated := <-p.compensated
	assertJSON(t, mustJSON(t, compensated["error"]), `{"Error":"PaymentDeclined","Cause":"card expired"}`)
	for _, ev := range p.history(executionArn) {
		if ev.Type == types.HistoryEventTypeTaskFailed && aws.ToString(ev.TaskFailedEventDetails.Error) != "PaymentDeclined" {
			t.Errorf("TaskFailed with %+v", ev.TaskFailedEventDetails)
		}
	}
}

// terminalToken finds the task token in the message the terminal task would have sent.
func terminalToken(t *testing.T, scheduled types.HistoryEvent) string {
	t.Helper()
	var parameters struct {
		MessageBody paymentRequest
	}
	if err := json.Unmarshal([]byte(aws.ToString(scheduled.TaskScheduledEventDetails.Parameters)), &parameters); err != nil {
		t.Fatal(err)
	}
	return parameters.MessageBody.TaskToken
}

func TestWaitForTaskTokenLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	machine := f.machine("terminal", nil, map[string]string{
		"TerminalQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/terminal",
	})

	t.Run("TimeoutSeconds raises States.Timeout, which States.TaskFailed does not match", func(t *testing.T) {
		t.Parallel()
		f := f.in(t)
		executionArn := f.start(machine, "timeout", map[string]any{"orderId": "o-3", "heartbeats": false})
		token := terminalToken(t, f.awaitEvent(executionArn, types.HistoryEventTypeTaskScheduled))

		out := f.finish(executionArn)

		if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "TimedOut" {
			t.Fatalf("status %s, error %q", out.Status, aws.ToString(out.Error))
		}
		timedOut := f.awaitEvent(executionArn, types.HistoryEventTypeTaskTimedOut)
		if got := aws.ToString(timedOut.TaskTimedOutEventDetails.Error); got != "States.Timeout" {
			t.Errorf("TaskTimedOut with error %q", got)
		}
		_, err := f.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
			TaskToken: aws.String(token), Output: aws.String(`{}`),
		})
		var late *types.TaskTimedOut
		if !errors.As(err, &late) {
			t.Errorf("SendTaskSuccess after the timeout: %v", err)
		}
	})

	t.Run("heartbeats keep the task alive until they stop", func(t *testing.T) {
		t.Parallel()
		f := f.in(t)
		executionArn := f.start(machine, "heartbeat", map[string]any{"orderId": "o-4", "heartbeats": true})
		token := terminalToken(t, f.awaitEvent(executionArn, types.HistoryEventTypeTaskScheduled))

		// 1.5 s of heartbeats outlasts HeartbeatSeconds (1 s).
		for range 5 {
			_, err := f.client.SendTaskHeartbeat(context.Background(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
		}
		if got := f.describe(executionArn).Status; got != types.ExecutionStatusRunning {
			t.Fatalf("status %s while heartbeats arrive", got)
		}
		out := f.finish(executionArn)

		if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "TerminalLost" {
			t.Fatalf("status %s, error %q", out.Status, aws.ToString(out.Error))
		}
	})
}

func TestExecutionTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	machine := f.machine("expiring", nil, map[string]string{
		"TerminalQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/terminal",
	})

	out := f.finish(f.start(machine, "expiring", map[string]any{}))

	if out.Status != types.ExecutionStatusTimedOut || aws.ToString(out.Error) != "States.Timeout" {
		t.Fatalf("status %s, error %q", out.Status, aws.ToString(out.Error))
	}
	if elapsed := out.StopDate.Sub(*out.StartDate); elapsed < time.Second || elapsed > 3*time.Second {
		t.Errorf("timed out after %v, want TimeoutSeconds (1 s)", elapsed)
	}
	events := f.history(aws.ToString(out.ExecutionArn))
	if last := events[len(events)-1]; last.Type != types.HistoryEventTypeExecutionTimedOut {
		t.Errorf("history ends with %s", last.Type)
	}
}

// These tests do not run in parallel, so that every Node.js child of the test process is theirs.

func TestStopExecutionAbortsAWaitingExecution(t *testing.T) {
	p := newPaymentFixture(t)
	executionArn := p.start(p.machine, "pay-3", order{OrderID: "o-5", Amount: 100})
	request := p.awaitRequest()
	assertRunners(t, 1)

	_, err := p.client.StopExecution(context.Background(), &sfn.StopExecutionInput{
		ExecutionArn: aws.String(executionArn),
		Error:        aws.String("Checkout.Cancelled"),
		Cause:        aws.String("the cashier cancelled the checkout"),
	})
	if err != nil {
		t.Fatal(err)
	}

	out := p.describe(executionArn)
	if out.Status != types.ExecutionStatusAborted || aws.ToString(out.Error) != "Checkout.Cancelled" || out.StopDate == nil {
		t.Fatalf("status %s, error %q, stopped %v", out.Status, aws.ToString(out.Error), out.StopDate)
	}
	_, err = p.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(request.TaskToken), Output: aws.String(`{}`),
	})
	var timedOut *types.TaskTimedOut
	if !errors.As(err, &timedOut) {
		t.Errorf("SendTaskSuccess after StopExecution: %v", err)
	}
	events := p.history(executionArn)
	if last := events[len(events)-1]; last.Type != types.HistoryEventTypeExecutionAborted {
		t.Errorf("history ends with %s", last.Type)
	}
	select {
	case <-p.confirmed:
		t.Error("the stopped execution went on to confirm the payment")
	case <-time.After(100 * time.Millisecond):
	}
	// The runner goes on, for other executions, but has let go of this one.
	assertRunners(t, 1)
	p.eventually("the runner to let go of the execution", func() bool { return localsfn.RunnerWork(p.engine) == 0 })
}

func TestCloseKillsRunners(t *testing.T) {
	p := newPaymentFixture(t)
	p.start(p.machine, "pay-4", order{OrderID: "o-6", Amount: 100})
	p.awaitRequest()
	assertRunners(t, 1)

	if err := p.engine.Close(); err != nil {
		t.Fatal(err)
	}
	assertRunners(t, 0)
}

// assertRunners checks how many Node.js processes the test process has started and not yet reaped.
func assertRunners(t *testing.T, want int) {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	if len(stats) == 0 {
		t.Log("no /proc: runner processes not counted")
		return
	}
	got := 0
	for _, path := range stats {
		stat, err := os.ReadFile(path)
		if err != nil {
			continue // the process has exited meanwhile
		}
		// pid (comm) state ppid ...
		s := string(stat)
		command := s[strings.IndexByte(s, '(')+1 : strings.LastIndexByte(s, ')')]
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if command == "node" && fields[1] == strconv.Itoa(os.Getpid()) {
			got++
		}
	}
	if got != want {
		t.Errorf("%d runner processes, want %d", got, want)
	}
}
