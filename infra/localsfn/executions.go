package localsfn

import (
	"context"
	"encoding/json"
	"errors"
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

// execution is one run of a state machine, interpreted by the engine's runner process among others.
type execution struct {
	engine    *Engine
	machine   *stateMachine
	arn, name string
	input     string
	started   time.Time
	startRank int64 // the order executions started in, by which ListExecutions pages
	log       *slog.Logger

	// entries holds the latest entry of each Task state whose limits come from its input, for its attempts to
	// resolve them. The runner reports the entry before the attempts, and only the goroutine reading the
	// runner's output uses it.
	entries map[string]stateEntry

	// ctx ends when the execution closes, which releases the tasks waiting in it and has the runner abort it.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	status  string
	stopped time.Time
	output  string   // when SUCCEEDED
	failure *failure // when FAILED, TIMED_OUT or ABORTED
	history []historyEvent
}

// runResult is the runner's last message about an execution: how the definition's interpretation ended.
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

// run hands the execution to the runner and, once it has closed, has the runner abort it unless the runner has
// finished it.
func (x *execution) run() {
	defer x.engine.executionsDone.Done()
	if x.machine.timeout > 0 {
		timer := time.AfterFunc(x.machine.timeout, func() {
			x.close(statusTimedOut, nil, &failure{Error: "States.Timeout", Cause: "the execution exceeded its TimeoutSeconds"})
		})
		defer timer.Stop()
	}
	p, err := x.engine.runner.current()
	var exec int64
	if err == nil {
		exec, err = p.open(x, runnerRequest{Run: x.runRequest()})
	}
	if err != nil {
		x.close(statusFailed, nil, &failure{Error: "States.Runtime", Cause: err.Error()})
		return
	}
	<-x.ctx.Done()
	p.stop(exec)
}

// receive turns a line of the runner's into history, a task attempt or the outcome.
func (x *execution) receive(p *runnerProcess, message runnerMessage) {
	if x.ctx.Err() != nil {
		return // closed: the history is final and the tasks are released
	}
	switch {
	case message.Event != nil:
		x.recordRunnerEvent(*message.Event)
	case message.Task != nil:
		x.startTask(p, message.Exec, *message.Task)
	case message.Result != nil:
		x.close(message.Result.Status, message.Result.Output, message.Result.Failure)
	}
}

func (x *execution) runnerEnded(err error) {
	err = errors.Join(errors.New("the runner ended without a result"), err)
	x.close(statusFailed, nil, &failure{Error: "States.Runtime", Cause: err.Error()})
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
		request.WaitTimeOverrides = delays(m.waitStates, 0)
		request.RetryIntervalOverrides = delays(m.retryingStates, x.engine.retryInterval)
	}
	return request
}

// delays overrides each named state's delay with d, in the runner's milliseconds.
func delays(stateNames []string, d time.Duration) map[string]int {
	overrides := make(map[string]int, len(stateNames))
	for _, name := range stateNames {
		overrides[name] = int(d.Milliseconds())
	}
	return overrides
}

// close ends the execution with status, once: later calls change nothing. It releases the tasks waiting in it,
// and their task tokens, by the time anyone can see the new status; it does not wait for the runner, which run
// then has abort the execution.
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

// abort stops the execution, as StopExecution does.
func (x *execution) abort(errorName, cause string) {
	var f *failure
	if errorName != "" || cause != "" {
		f = &failure{Error: errorName, Cause: cause}
	}
	x.close(statusAborted, nil, f)
}
