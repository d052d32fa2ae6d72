package localsfn_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestStartExecutionIsIdempotentByName(t *testing.T) {
	t.Parallel()
	p := newPaymentFixture(t)
	ctx := context.Background()
	start := func(input string) (*sfn.StartExecutionOutput, error) {
		return p.client.StartExecution(ctx, &sfn.StartExecutionInput{
			StateMachineArn: aws.String(p.machine),
			Name:            aws.String("tenant-1.store-9.pos-order-42"),
			Input:           aws.String(input),
		})
	}
	first, err := start(`{"orderId":"o-42"}`)
	if err != nil {
		t.Fatal(err)
	}
	request := p.awaitRequest()

	again, err := start(`{"orderId":"o-42"}`)
	if err != nil || aws.ToString(again.ExecutionArn) != aws.ToString(first.ExecutionArn) || !again.StartDate.Equal(*first.StartDate) {
		t.Fatalf("same name and input while running: %+v, %v; first %+v", again, err, first)
	}
	var exists *types.ExecutionAlreadyExists
	if _, err := start(`{"orderId":"o-43"}`); !errors.As(err, &exists) {
		t.Errorf("same name, other input: %v", err)
	}

	_, err = p.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(request.TaskToken), Output: aws.String(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	p.finish(aws.ToString(first.ExecutionArn))
	if _, err := start(`{"orderId":"o-42"}`); !errors.As(err, &exists) {
		t.Errorf("same name and input once closed: %v", err)
	}
}

func TestStartExecutionRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	machine := f.machine("order", []string{"Greet"}, nil)
	start := func(machine, name, input string) error {
		_, err := f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
			StateMachineArn: aws.String(machine), Name: aws.String(name), Input: aws.String(input),
		})
		return err
	}
	var missing *types.StateMachineDoesNotExist
	if err := start(strings.Replace(machine, ":order", ":nothing", 1), "a", "{}"); !errors.As(err, &missing) {
		t.Errorf("unknown state machine: %v", err)
	}
	var badArn *types.InvalidArn
	if err := start("order", "a", "{}"); !errors.As(err, &badArn) {
		t.Errorf("not an ARN: %v", err)
	}
	var badName *types.InvalidName
	if err := start(machine, "pos order/42", "{}"); !errors.As(err, &badName) {
		t.Errorf("name with a space and a slash: %v", err)
	}
	var badInput *types.InvalidExecutionInput
	if err := start(machine, "a", "{not json"); !errors.As(err, &badInput) {
		t.Errorf("input that is not JSON: %v", err)
	}
}

func TestExecutionDescriptionAndHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.function("Greet", func(o order) (string, error) { return "hi " + o.OrderID, nil })
	machine := f.machine("order", []string{"Greet"}, nil)
	executionArn := f.start(machine, "described", order{OrderID: "o-1", Amount: 5})
	f.finish(executionArn)

	t.Run("DescribeExecution", func(t *testing.T) {
		out := f.in(t).describe(executionArn)
		if aws.ToString(out.Name) != "described" || aws.ToString(out.StateMachineArn) != machine ||
			out.StartDate == nil || out.StopDate == nil || out.StopDate.Before(*out.StartDate) {
			t.Errorf("described as %+v", out)
		}
		assertJSON(t, aws.ToString(out.Input), `{"orderId":"o-1","amount":5}`)
		assertJSON(t, aws.ToString(out.Output), `{"greeting":"hi o-1","execution":"described","stateMachine":"order"}`)
	})

	t.Run("GetExecutionHistory", func(t *testing.T) {
		events := f.in(t).history(executionArn)
		want := []types.HistoryEventType{
			types.HistoryEventTypeExecutionStarted,
			types.HistoryEventTypeTaskStateEntered,
			types.HistoryEventTypeLambdaFunctionScheduled,
			types.HistoryEventTypeLambdaFunctionStarted,
			types.HistoryEventTypeLambdaFunctionSucceeded,
			types.HistoryEventTypeTaskStateExited,
			types.HistoryEventTypePassStateEntered,
			types.HistoryEventTypePassStateExited,
			types.HistoryEventTypeSucceedStateEntered,
			types.HistoryEventTypeSucceedStateExited,
			types.HistoryEventTypeExecutionSucceeded,
		}
		if got := eventTypes(events); !slices.Equal(got, want) {
			t.Fatalf("events %v\nwant   %v", got, want)
		}
		for i, ev := range events {
			if ev.Id != int64(i+1) || ev.PreviousEventId != int64(i) || ev.Timestamp == nil ||
				(i > 0 && ev.Timestamp.Before(*events[i-1].Timestamp)) {
				t.Errorf("event %d: id %d, previous %d, at %v", i, ev.Id, ev.PreviousEventId, ev.Timestamp)
			}
		}
		assertJSON(t, aws.ToString(events[0].ExecutionStartedEventDetails.Input), `{"orderId":"o-1","amount":5}`)
		if entered := events[1].StateEnteredEventDetails; aws.ToString(entered.Name) != "Greet" {
			t.Errorf("entered %+v", entered)
		}
		scheduled := events[2].LambdaFunctionScheduledEventDetails
		if aws.ToString(scheduled.Resource) != "arn:aws:lambda:us-east-1:123456789012:function:Greet" {
			t.Errorf("scheduled %+v", scheduled)
		}
		assertJSON(t, aws.ToString(events[4].LambdaFunctionSucceededEventDetails.Output), `"hi o-1"`)
		assertJSON(t, aws.ToString(events[10].ExecutionSucceededEventDetails.Output),
			`{"greeting":"hi o-1","execution":"described","stateMachine":"order"}`)
	})

	t.Run("GetExecutionHistory pages, in either order", func(t *testing.T) {
		f := f.in(t)
		all := f.history(executionArn)
		for _, reverse := range []bool{false, true} {
			var paged []types.HistoryEvent
			paginator := sfn.NewGetExecutionHistoryPaginator(f.client, &sfn.GetExecutionHistoryInput{
				ExecutionArn: aws.String(executionArn), MaxResults: 4, ReverseOrder: reverse,
			})
			for pages := 0; paginator.HasMorePages(); pages++ {
				page, err := paginator.NextPage(context.Background())
				if err != nil || pages > 3 {
					t.Fatalf("page %d: %v", pages, err)
				}
				paged = append(paged, page.Events...)
			}
			want := slices.Clone(all)
			if reverse {
				slices.Reverse(want)
			}
			if !slices.Equal(eventTypes(paged), eventTypes(want)) || paged[0].Id != want[0].Id {
				t.Errorf("reverse %v: %v", reverse, eventTypes(paged))
			}
		}
	})
}

func TestListExecutions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.function("Greet", func(o order) (string, error) { return "hi", nil })
	machine := f.machine("order", []string{"Greet"}, nil)
	for _, name := range []string{"first", "second", "third"} {
		f.finish(f.start(machine, name, order{OrderID: name}))
	}
	list := func(status types.ExecutionStatus, maxResults int32, token *string) *sfn.ListExecutionsOutput {
		out, err := f.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{
			StateMachineArn: aws.String(machine), StatusFilter: status, MaxResults: maxResults, NextToken: token,
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	names := func(items []types.ExecutionListItem) (out []string) {
		for _, item := range items {
			out = append(out, aws.ToString(item.Name))
		}
		return out
	}

	page := list("", 2, nil)
	if got := names(page.Executions); !slices.Equal(got, []string{"third", "second"}) || page.NextToken == nil {
		t.Fatalf("first page %v, token %v", got, page.NextToken)
	}
	page = list("", 2, page.NextToken)
	if got := names(page.Executions); !slices.Equal(got, []string{"first"}) || page.NextToken != nil {
		t.Fatalf("second page %v, token %v", got, page.NextToken)
	}
	if item := page.Executions[0]; item.Status != types.ExecutionStatusSucceeded || item.StopDate == nil ||
		aws.ToString(item.StateMachineArn) != machine {
		t.Errorf("listed as %+v", item)
	}
	if got := len(list(types.ExecutionStatusSucceeded, 0, nil).Executions); got != 3 {
		t.Errorf("%d succeeded executions, want 3", got)
	}
	if got := len(list(types.ExecutionStatusRunning, 0, nil).Executions); got != 0 {
		t.Errorf("%d running executions, want 0", got)
	}
}

func TestStateMachineRegistration(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	register := func(name, definition string, substitutions map[string]string) error {
		_, err := f.engine.RegisterStateMachine(name, []byte(definition), substitutions)
		return err
	}

	t.Run("placeholders are substituted as SAM does", func(t *testing.T) {
		arn := f.in(t).machine("order", []string{"Greet"}, nil)
		out, err := f.client.DescribeStateMachine(context.Background(), &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(aws.ToString(out.Definition), `"Resource": "arn:aws:lambda:us-east-1:123456789012:function:Greet"`) ||
			out.Type != types.StateMachineTypeStandard || out.Status != types.StateMachineStatusActive {
			t.Errorf("described as %+v", out)
		}
		list, err := f.client.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
		if err != nil || len(list.StateMachines) != 1 || aws.ToString(list.StateMachines[0].StateMachineArn) != arn {
			t.Errorf("listed %+v, %v", list, err)
		}
	})

	t.Run("an unknown placeholder is an error", func(t *testing.T) {
		_, err := f.engine.RegisterStateMachineFile("fanout", filepath.Join("testdata", "fanout.asl.json"),
			map[string]string{"PriceFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:Price"})
		if err == nil || !strings.Contains(err.Error(), "${ReserveFunctionArn}, ${StockFunctionArn}") {
			t.Errorf("got %v", err)
		}
	})

	refusals := map[string]struct{ definition, want string }{
		"invalid ASL": {
			`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}`,
			"invalid definition",
		},
		"JSONata": {
			`{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`,
			"JSONata is not supported",
		},
		"state names reused in a branch": {
			`{"StartAt": "A", "States": {"A": {"Type": "Parallel", "End": true, "Branches": [
				{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}]}}}`,
			`state name "A" is used more than once`,
		},
		"an integration other than Lambda": {
			`{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}`,
			"is not supported locally",
		},
		"a timeout from the input in a Map iteration": {
			`{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "P", "States": {
				"P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Task",
					"Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.timeout", "End": true}}}]}}}}}}`,
			"TimeoutSecondsPath is not supported inside a Map",
		},
		"a heartbeat from the context object": {
			`{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
				"HeartbeatSecondsPath": "$$.Execution.Input.heartbeat", "End": true}}}`,
			`HeartbeatSecondsPath "$$.Execution.Input.heartbeat" must be a reference path into the state's input`,
		},
		"a timeout path with a wildcard": {
			`{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
				"TimeoutSecondsPath": "$.tenants[*].timeout", "End": true}}}`,
			`TimeoutSecondsPath "$.tenants[*].timeout" must be a reference path`,
		},
	}
	for name, refusal := range refusals {
		t.Run("refuses "+name, func(t *testing.T) {
			if err := register(strings.ReplaceAll(name, " ", "-"), refusal.definition, nil); err == nil || !strings.Contains(err.Error(), refusal.want) {
				t.Errorf("got %v, want an error with %q", err, refusal.want)
			}
		})
	}
}
