package localsfn_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/leatpos/gateway/infra/localsfn"
)

// fixture is an engine with its functions and state machines, and an sfn client pointed at it.
type fixture struct {
	t      *testing.T
	engine *localsfn.Engine
	client *sfn.Client
}

// newFixture starts an engine for one test. Without Node.js or the npm packages the test is skipped, except in
// CI (the CI variable is set), where it fails: CI must never skip silently.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	engine, err := localsfn.New(localsfn.Options{
		SkipDelays: true,
		Logger:     slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	if errors.Is(err, localsfn.ErrInterpreterUnavailable) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v; CI must run these tests", err)
		}
		t.Skipf("skipped: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := engine.Close(); err != nil {
			t.Error(err)
		}
	})
	client := sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(engine.URL()),
		Credentials:  aws.AnonymousCredentials{},
	})
	return &fixture{t: t, engine: engine, client: client}
}

// in returns the fixture for use in subtest t.
func (f *fixture) in(t *testing.T) *fixture {
	return &fixture{t: t, engine: f.engine, client: f.client}
}

func (f *fixture) function(name string, handler any) {
	f.t.Helper()
	if err := f.engine.RegisterFunction(name, handler); err != nil {
		f.t.Fatal(err)
	}
}

// machine registers testdata/<file>.asl.json, with each ${<Name>FunctionArn} naming function <Name>.
func (f *fixture) machine(file string, functions []string, substitutions map[string]string) string {
	f.t.Helper()
	all := map[string]string{}
	for _, name := range functions {
		all[name+"FunctionArn"] = "arn:aws:lambda:us-east-1:123456789012:function:" + name
	}
	for key, value := range substitutions {
		all[key] = value
	}
	arn, err := f.engine.RegisterStateMachineFile(file, filepath.Join("testdata", file+".asl.json"), all)
	if err != nil {
		f.t.Fatal(err)
	}
	return arn
}

func (f *fixture) start(machineArn, name string, input any) string {
	f.t.Helper()
	out, err := f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String(machineArn),
		Name:            aws.String(name),
		Input:           aws.String(mustJSON(f.t, input)),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

// finish waits for the execution to end and describes it.
func (f *fixture) finish(executionArn string) *sfn.DescribeExecutionOutput {
	f.t.Helper()
	var out *sfn.DescribeExecutionOutput
	f.eventually("the execution to end", func() bool {
		out = f.describe(executionArn)
		return out.Status != types.ExecutionStatusRunning
	})
	return out
}

func (f *fixture) describe(executionArn string) *sfn.DescribeExecutionOutput {
	f.t.Helper()
	out, err := f.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(executionArn)})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) history(executionArn string) []types.HistoryEvent {
	f.t.Helper()
	out, err := f.client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(executionArn),
		MaxResults:   1000,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Events
}

// awaitEvent waits for the first history event of a type and returns it.
func (f *fixture) awaitEvent(executionArn string, eventType types.HistoryEventType) types.HistoryEvent {
	f.t.Helper()
	var found types.HistoryEvent
	f.eventually("a "+string(eventType)+" event", func() bool {
		events := f.history(executionArn)
		i := slices.IndexFunc(events, func(ev types.HistoryEvent) bool { return ev.Type == eventType })
		if i >= 0 {
			found = events[i]
		}
		return i >= 0
	})
	return found
}

func (f *fixture) eventually(what string, done func() bool) {
	f.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !done(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			f.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func eventTypes(events []types.HistoryEvent) []types.HistoryEventType {
	out := make([]types.HistoryEventType, len(events))
	for i, ev := range events {
		out[i] = ev.Type
	}
	return out
}

func mustJSON(t *testing.T, value any) string {
	t.Helper()
	b, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertJSON compares JSON texts by value.
func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("not JSON: %s", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %s", want)
	}
	if mustJSON(t, g) != mustJSON(t, w) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
