package localsfn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// lambdaToken finds the task token in the payload of a lambda:invoke.waitForTaskToken task.
func lambdaToken(t *testing.T, scheduled types.HistoryEvent) string {
	t.Helper()
	var parameters struct {
		Payload paymentRequest
	}
	if err := json.Unmarshal([]byte(aws.ToString(scheduled.TaskScheduledEventDetails.Parameters)), &parameters); err != nil {
		t.Fatal(err)
	}
	return parameters.Payload.TaskToken
}

// The Parameters of testdata/deadline.asl.json leave the payment out, so its TimeoutSecondsPath and
// HeartbeatSecondsPath can only find the tenant's limits in the state's input.
func TestWaitForTaskTokenLimitsFromInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.function("RequestPayment", func(paymentRequest) (map[string]bool, error) {
		return map[string]bool{"requested": true}, nil
	})
	machine := f.machine("deadline", []string{"RequestPayment"}, nil)

	// How AWS words a States.Runtime error; the Choice state's two events come before the Task state's entry.
	runtimeCause := func(state, problem string) string {
		return "An error occurred while executing the state '" + state + "' (entered at the event id #4). " + problem
	}
	cases := []struct {
		name    string
		payment map[string]any // the tenant's limits, in the execution's input
		pay     bool           // SendTaskSuccess as soon as the task is scheduled
		// timeout and heartbeat are what TaskScheduled reports; no TaskScheduled is expected when timeout is zero.
		timeout, heartbeat int64
		timedOut           string // the error of the TaskTimedOut event expected, if any
		status             types.ExecutionStatus
		error, cause       string
		output             string // when it succeeds
	}{
		{
			name:    "the deadline passes",
			payment: map[string]any{"timeout_seconds": 1},
			timeout: 1, timedOut: "States.Timeout",
			status: types.ExecutionStatusFailed, error: "PaymentExpired", cause: "The payment was not made before the tenant's deadline.",
		},
		{
			name:    "paid before the deadline",
			payment: map[string]any{"timeout_seconds": 2},
			pay:     true, timeout: 2,
			status: types.ExecutionStatusSucceeded,
			output: `{"orderId":"o-1","payment":{"timeout_seconds":2,"result":{"paid":true}}}`,
		},
		{
			name:    "the heartbeats stop",
			payment: map[string]any{"timeout_seconds": 60, "heartbeat_seconds": 1},
			timeout: 60, heartbeat: 1, timedOut: "States.HeartbeatTimeout",
			status: types.ExecutionStatusFailed, error: "TerminalLost", cause: "The terminal stopped sending heartbeats.",
		},
		{
			name:    "a deadline of zero",
			payment: map[string]any{"timeout_seconds": 0},
			status:  types.ExecutionStatusFailed, error: "States.Runtime",
			cause: runtimeCause("AwaitPayment",
				"The TimeoutSecondsPath '$.payment.timeout_seconds' references 0, which is not a positive integer"),
		},
		{
			name:    "a fractional deadline",
			payment: map[string]any{"timeout_seconds": 1.5},
			status:  types.ExecutionStatusFailed, error: "States.Runtime",
			cause: runtimeCause("AwaitPayment",
				"The TimeoutSecondsPath '$.payment.timeout_seconds' references 1.5, which is not a positive integer"),
		},
		{
			name:    "a deadline written as a string",
			payment: map[string]any{"timeout_seconds": "2"},
			status:  types.ExecutionStatusFailed, error: "States.Runtime",
			cause: runtimeCause("AwaitPayment",
				`The TimeoutSecondsPath '$.payment.timeout_seconds' references "2", which is not a positive integer`),
		},
		{
			name:    "a negative heartbeat",
			payment: map[string]any{"timeout_seconds": 60, "heartbeat_seconds": -1},
			status:  types.ExecutionStatusFailed, error: "States.Runtime",
			cause: runtimeCause("AwaitPaymentWithHeartbeats",
				"The HeartbeatSecondsPath '$.payment.heartbeat_seconds' references -1, which is not a positive integer"),
		},
		{
			name:    "no deadline",
			payment: map[string]any{},
			status:  types.ExecutionStatusFailed, error: "States.Runtime",
			cause: runtimeCause("AwaitPayment",
				`The TimeoutSecondsPath '$.payment.timeout_seconds' could not be found in the input '{"orderId":"o-1","payment":{}}'`),
		},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := f.in(t)
			executionArn := f.start(machine, fmt.Sprintf("deadline-%d", i),
				map[string]any{"orderId": "o-1", "payment": c.payment})
			if c.timeout > 0 {
				scheduled := f.awaitEvent(executionArn, types.HistoryEventTypeTaskScheduled)
				d := scheduled.TaskScheduledEventDetails
				if aws.ToInt64(d.TimeoutInSeconds) != c.timeout || aws.ToInt64(d.HeartbeatInSeconds) != c.heartbeat {
					t.Errorf("scheduled with timeout %d and heartbeat %d, want %d and %d",
						aws.ToInt64(d.TimeoutInSeconds), aws.ToInt64(d.HeartbeatInSeconds), c.timeout, c.heartbeat)
				}
				if c.pay {
					_, err := f.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
						TaskToken: aws.String(lambdaToken(t, scheduled)), Output: aws.String(`{"paid":true}`),
					})
					if err != nil {
						t.Fatal(err)
					}
				}
			}
			out := f.finish(executionArn)

			if out.Status != c.status || aws.ToString(out.Error) != c.error || aws.ToString(out.Cause) != c.cause {
				t.Fatalf("status %s, error %q, cause %q\nwant   %s, error %q, cause %q",
					out.Status, aws.ToString(out.Error), aws.ToString(out.Cause), c.status, c.error, c.cause)
			}
			if c.output != "" {
				assertJSON(t, aws.ToString(out.Output), c.output)
			}
			if c.timedOut != "" {
				timedOut := f.awaitEvent(executionArn, types.HistoryEventTypeTaskTimedOut)
				if got := aws.ToString(timedOut.TaskTimedOutEventDetails.Error); got != c.timedOut {
					t.Errorf("TaskTimedOut with error %q, want %q", got, c.timedOut)
				}
				if elapsed := out.StopDate.Sub(*out.StartDate); elapsed < time.Second {
					t.Errorf("timed out after %v, want at least the limit (1 s)", elapsed)
				}
			}
			if c.timeout == 0 {
				for _, ev := range f.history(executionArn) {
					if ev.Type == types.HistoryEventTypeTaskScheduled {
						t.Error("the task was scheduled")
					}
				}
			}
		})
	}
}
