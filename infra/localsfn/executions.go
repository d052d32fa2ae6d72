package localsfn

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"
)

const (
	statusRunning   = "RUNNING"
	statusSucceeded = "SUCCEEDED"
	statusFailed    = "FAILED"
	statusTimedOut  = "TIMED_OUT"
	statusAborted   = "ABORTED"
)

// closingEvent is the history event that ends an execution with each final status.
var closingEvent = map[string]string{
	statusSucceeded: "ExecutionSucceeded",
	statusFailed:    "ExecutionFailed",
	statusTimedOut:  "ExecutionTimedOut",
	statusAborted:   "ExecutionAborted",
}

// execution is one run of a state machine, interpreted by its own runner process.
type execution struct {
	engine    *Engine
	machine   *stateMachine
	arn, name string
	input     string
	started   time.Time
	startRank int64 // the order executions started in, by which ListExecutions pages
	log       *slog.Logger

	// entries holds the latest entry of each Task state whose limits come from its input, for its attempts to
	// resolve them. The runner reports the entry before the attempts, and only follow's goroutine uses it.
	entries map[string]stateEntry

	// ctx ends when the execution closes, which kills the runner and releases the tasks waiting in it.
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed once the runner has exited

	mu      sync.Mutex
	status  string
	stopped time.Time
	output  string   // when SUCCEEDED
	failure *failure // when FAILED, TIMED_OUT or ABORTED
	history []historyEvent
}

// runResult is the runner's last message: how the definition's interpretation ended.
type runResult struct {
	Status  string          `json:"status"`
	Output  json.RawMessage `json:"output"`
	Failure *failure        `json:"failure"`
}

// startExecution starts an execution of m, or returns the running one when a Standard workflow would: same name
// and same input.
func (e *Engine) startExecution(m *stateMachine, name, input string) (*execution, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, apiErrorf(errServiceUnavailable, "the local Step Functions engine is closed")
	}
	arn := e.arn("execution", m.name, name)
	if x, exists := e.executions[arn]; exists {
		if x.runningWith(input) {
			return x, nil
		}
		return nil, apiErrorf(errExecutionAlreadyExists, "Execution Already Exists: '%s'", arn)
	}
	e.startedCount++
	x := &execution{
		engine:    e,
		machine:   m,
		arn:       arn,
		name:      name,
		input:     input,
		started:   time.Now(),
		startRank: e.startedCount,
		log:       e.log.With("executionArn", arn),
		entries:   map[string]stateEntry{},
		done:      make(chan struct{}),
		status:    statusRunning,
	}
	x.ctx, x.cancel = context.WithCancel(context.Background())
	x.recordLocked("ExecutionStarted", (&eventDetails{}).withInput(input))
	e.executions[arn] = x
	e.executionsDone.Add(1)
	go x.run()
	x.log.Info("execution started", "stateMachineArn", m.arn)
	return x, nil
}

func (x *execution) runningWith(input string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.status == statusRunning && x.input == input
}

// run drives the runner until the execution closes, turning its messages into history and task attempts.
func (x *execution) run() {
	defer x.engine.executionsDone.Done()
	defer close(x.done)
	defer x.cancel()
	if x.machine.timeout > 0 {
		timer := time.AfterFunc(x.machine.timeout, func() {
			x.close(statusTimedOut, nil, &failure{Error: "States.Timeout", Cause: "the execution exceeded its TimeoutSeconds"})
		})
		defer timer.Stop()
	}
	p, err := x.engine.runner.start(x.ctx, runnerRequest{Run: x.runRequest()})
	if err != nil {
		x.close(statusFailed, nil, &failure{Error: "States.Runtime", Cause: err.Error()})
		return
	}
	readErr := x.follow(p)
	if errors.Is(readErr, io.EOF) {
		readErr = nil
	} else {
		x.cancel() // the runner can no longer be understood: stop it
	}
	waitErr := p.wait()
	// Still running here means the runner ended without a result.
	err = errors.Join(errors.New("the runner ended without a result"), readErr, waitErr)
	x.close(statusFailed, nil, &failure{Error: "States.Runtime", Cause: err.Error()})
}

// follow turns the runner's messages into history, task attempts and the outcome, until its output ends.
func (x *execution) follow(p *runnerProcess) error {
	for {
		message, err := p.receive()
		if err != nil {
			return err
		}
		switch {
		case message.Event != nil:
			x.recordRunnerEvent(*message.Event)
		case message.Task != nil:
			x.startTask(p, *message.Task)
		case message.Result != nil:
			x.close(message.Result.Status, message.Result.Output, message.Result.Failure)
		}
	}
}

func (x *execution) runRequest() *runRequest {
	m := x.machine
	request := &runRequest{
		Definition: m.runnable,
		Input:      json.RawMessage(x.input),
		TaskStates: m.taskStateNames(),
	}
	request.Context.Execution.ID, request.Context.Execution.Name = x.arn, x.name
	request.Context.StateMachine.ID, request.Context.StateMachine.Name = m.arn, m.name
	if x.engine.skipDelays {
		request.WaitTimeOverrides = zeroDelays(m.waitStates)
		request.RetryIntervalOverrides = zeroDelays(m.retryingStates)
	}
	return request
}

func zeroDelays(stateNames []string) map[string]int {
	delays := make(map[string]int, len(stateNames))
	for _, name := range stateNames {
		delays[name] = 0
	}
	return delays
}

// close ends the execution with status, once: later calls change nothing. It kills the runner and releases the
// tasks waiting in it, and their task tokens, by the time anyone can see the new status.
func (x *execution) close(status string, output json.RawMessage, f *failure) {
	x.mu.Lock()
	if x.status != statusRunning {
		x.mu.Unlock()
		return
	}
	x.cancel()
	var details *eventDetails
	switch {
	case status == statusSucceeded:
		x.output = string(output)
		details = (&eventDetails{}).withOutput(x.output)
	case f != nil:
		x.failure = f
		details = (&eventDetails{}).withFailure(f)
	}
	x.recordLocked(closingEvent[status], details)
	x.status, x.stopped = status, time.Now()
	x.mu.Unlock()

	attrs := []any{"status", status}
	if f != nil {
		attrs = append(attrs, "error", f.Error, "cause", f.Cause)
	}
	x.log.Info("execution closed", attrs...)
}

// abort stops the execution, as StopExecution does, and returns once its runner has exited.
func (x *execution) abort(errorName, cause string) {
	var f *failure
	if errorName != "" || cause != "" {
		f = &failure{Error: errorName, Cause: cause}
	}
	x.close(statusAborted, nil, f)
	<-x.done
}
