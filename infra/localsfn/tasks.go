package localsfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// outcome is how a task attempt, or one step of it, ended: an output, or a failure.
type outcome struct {
	output   json.RawMessage
	failure  *failure
	timedOut bool // the failure is States.Timeout or States.HeartbeatTimeout, raised by the engine
}

// taskRequest is the runner handing a Task state's attempt to the engine, with the state's effective input
// (after InputPath and Parameters) and the attempt's task token.
type taskRequest struct {
	ID    int64           `json:"id"`
	State string          `json:"state"`
	Input json.RawMessage `json:"input"`
	Token string          `json:"token"`
}

// taskEventNames are the history events of a task attempt: Lambda function ARNs have their own.
type taskEventNames struct{ scheduled, started, succeeded, failed, timedOut string }

var (
	lambdaFunctionEvents = taskEventNames{"LambdaFunctionScheduled", "LambdaFunctionStarted",
		"LambdaFunctionSucceeded", "LambdaFunctionFailed", "LambdaFunctionTimedOut"}
	integrationEvents = taskEventNames{"TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed", "TaskTimedOut"}
)

// taskAttempt is one attempt at a Task state; a Retry makes a new one.
type taskAttempt struct {
	x      *execution
	task   taskState
	input  json.RawMessage
	token  *taskToken // for .waitForTaskToken only
	events taskEventNames
	log    *slog.Logger
}

// startTask runs an attempt in the background and replies to the runner when it ends. It opens the task token
// and records TaskScheduled before returning, so that the token works as soon as the history shows it.
func (x *execution) startTask(p *runnerProcess, exec int64, request taskRequest) {
	task := x.machine.tasks[request.State]
	if f := x.entries[task.name].resolveLimits(&task); f != nil {
		// As on AWS, States.Runtime fails the execution: no Retry or Catch applies.
		x.close(statusFailed, nil, f)
		return
	}
	a := &taskAttempt{
		x:      x,
		task:   task,
		input:  request.Input,
		events: integrationEvents,
		log:    x.log.With("state", request.State),
	}
	if a.task.resource.function != "" {
		a.events = lambdaFunctionEvents
	}
	if a.task.resource.callback {
		a.token = x.engine.tokens.open(request.Token, x.ctx.Done())
	}
	a.recordScheduled()
	go func() {
		o, executionOpen := a.run()
		if !executionOpen {
			return // the runner has been told to stop the execution
		}
		if err := p.send(taskReply{Exec: exec, ID: request.ID, Output: o.output, Failure: o.failure}); err != nil {
			a.log.Warn("task outcome not delivered to the runner", "error", err)
		}
	}()
}

// run carries the attempt out: invoke the function if there is one, then wait for the task token if there is
// one. It reports false when the execution closed first.
func (a *taskAttempt) run() (outcome, bool) {
	a.record(a.events.started, a.integrationDetails())
	limits := a.startLimits()
	defer limits.stop()

	var o outcome
	executionOpen := true
	r := a.task.resource
	if r.callsFunction() {
		o, executionOpen = limits.await(a.invoke())
		if executionOpen && o.failure == nil && r.callback {
			a.record("TaskSubmitted", a.integrationDetails().withOutput(string(o.output)))
		}
	}
	if executionOpen && o.failure == nil && r.callback {
		o, executionOpen = limits.await(a.token.outcome)
	}
	if a.token != nil {
		if delivered, ok := a.x.engine.tokens.end(a.token); ok {
			o = delivered // sent just as a limit struck: the sender was told it counted
		}
	}
	if executionOpen {
		a.recordOutcome(o)
	}
	return o, executionOpen
}

// stateEntry is a Task state's entry as its StateEntered event recorded it.
type stateEntry struct {
	input   json.RawMessage // the state's input, before InputPath and Parameters
	eventID int64
}

// resolveLimits sets task's timeout and heartbeat from its TimeoutSecondsPath and HeartbeatSecondsPath, which
// select in the state's input, or reports the States.Runtime error that AWS raises when they cannot.
func (entry stateEntry) resolveLimits(task *taskState) *failure {
	if !task.readsInput() {
		return nil
	}
	var input any
	decoder := json.NewDecoder(bytes.NewReader(entry.input))
	decoder.UseNumber()
	// The input is JSON the runner sent, and the runner sends a state's entry before its tasks.
	decoder.Decode(&input)
	for _, limit := range []struct {
		field string
		path  *referencePath
		into  *time.Duration
	}{
		{"TimeoutSecondsPath", task.timeoutPath, &task.timeout},
		{"HeartbeatSecondsPath", task.heartbeatPath, &task.heartbeat},
	} {
		if limit.path == nil {
			continue
		}
		value, found := limit.path.selectIn(input)
		if !found {
			return entry.runtimeError(task, "The %s '%s' could not be found in the input '%s'",
				limit.field, limit.path.text, entry.input)
		}
		seconds, ok := positiveSeconds(value)
		if !ok {
			shown, _ := json.Marshal(value)
			return entry.runtimeError(task, "The %s '%s' references %s, which is not a positive integer",
				limit.field, limit.path.text, shown)
		}
		*limit.into = seconds
	}
	return nil
}

// runtimeError is a States.Runtime failure of the state, described the way AWS describes them.
func (entry stateEntry) runtimeError(task *taskState, format string, args ...any) *failure {
	return &failure{Error: "States.Runtime", Cause: fmt.Sprintf(
		"An error occurred while executing the state '%s' (entered at the event id #%d). ", task.name, entry.eventID) +
		fmt.Sprintf(format, args...)}
}

// invoke calls the attempt's Lambda function in the background.
func (a *taskAttempt) invoke() <-chan outcome {
	results := make(chan outcome, 1)
	go func() {
		name, payload, f := a.lambdaCall()
		var output json.RawMessage
		if f == nil {
			output, f = a.x.engine.invoke(a.x.ctx, name, payload)
		}
		if f == nil && a.task.resource.invokesLambda() {
			output = invokeResponse(output)
		}
		results <- outcome{output: output, failure: f}
	}()
	return results
}

// lambdaCall works out the function and payload: a function ARN Resource gets the input itself, lambda:invoke
// takes FunctionName and Payload from it.
func (a *taskAttempt) lambdaCall() (function string, payload []byte, f *failure) {
	if a.task.resource.function != "" {
		return a.task.resource.function, a.input, nil
	}
	var parameters struct {
		FunctionName string
		Payload      json.RawMessage
	}
	if err := json.Unmarshal(a.input, &parameters); err != nil || parameters.FunctionName == "" {
		return "", nil, &failure{Error: "States.Runtime", Cause: "lambda:invoke needs Parameters with a FunctionName"}
	}
	if len(parameters.Payload) == 0 {
		parameters.Payload = json.RawMessage("{}") // what Lambda passes a function invoked without a payload
	}
	return functionName(parameters.FunctionName), parameters.Payload, nil
}

// invokeResponse wraps a function's result the way arn:aws:states:::lambda:invoke returns it.
func invokeResponse(payload json.RawMessage) json.RawMessage {
	wrapped, _ := json.Marshal(struct {
		ExecutedVersion string
		Payload         json.RawMessage
		StatusCode      int
	}{"$LATEST", payload, 200})
	return wrapped
}

func (a *taskAttempt) recordScheduled() {
	d := a.integrationDetails()
	if d == nil {
		d = (&eventDetails{Resource: a.task.resource.arn}).withInput(string(a.input))
	} else {
		d.Region = a.x.engine.region
		d.Parameters = string(a.input)
		d.HeartbeatInSeconds = int64(a.task.heartbeat / time.Second)
	}
	d.TimeoutInSeconds = int64(a.task.timeout / time.Second)
	a.record(a.events.scheduled, d)
}

func (a *taskAttempt) recordOutcome(o outcome) {
	switch {
	case o.timedOut:
		a.log.Info("task timed out", "error", o.failure.Error)
		a.record(a.events.timedOut, a.details().withFailure(o.failure))
	case o.failure != nil:
		a.log.Info("task failed", "error", o.failure.Error, "cause", o.failure.Cause)
		a.record(a.events.failed, a.details().withFailure(o.failure))
	default:
		a.record(a.events.succeeded, a.details().withOutput(string(o.output)))
	}
}

// integrationDetails starts the details of a service integration's event, which name the integration; nil for
// a Lambda function ARN, whose events carry no such fields.
func (a *taskAttempt) integrationDetails() *eventDetails {
	if a.task.resource.function != "" {
		return nil
	}
	return &eventDetails{ResourceType: a.task.resource.service, Resource: a.task.resource.action}
}

// details starts the details of an event that has some either way.
func (a *taskAttempt) details() *eventDetails {
	if d := a.integrationDetails(); d != nil {
		return d
	}
	return &eventDetails{}
}

func (a *taskAttempt) record(eventType string, details *eventDetails) {
	a.x.record(eventType, details)
}

// limits are what can end an attempt besides its own outcome: TimeoutSeconds, HeartbeatSeconds, and the end of
// the execution. The engine keeps these timers rather than the runner, so that a task token dies with its task.
type limits struct {
	timeout, heartbeat *time.Timer
	heartbeatEvery     time.Duration
	heartbeats         <-chan struct{}
	executionClosed    <-chan struct{}
}

func (a *taskAttempt) startLimits() *limits {
	l := &limits{executionClosed: a.x.ctx.Done()}
	if a.task.timeout > 0 {
		l.timeout = time.NewTimer(a.task.timeout)
	}
	if a.task.heartbeat > 0 && a.token != nil {
		l.heartbeat = time.NewTimer(a.task.heartbeat)
		l.heartbeatEvery, l.heartbeats = a.task.heartbeat, a.token.heartbeats
	}
	return l
}

// await waits for results within the limits; it reports false when the execution closed first.
func (l *limits) await(results <-chan outcome) (outcome, bool) {
	for {
		select {
		case o := <-results:
			return o, true
		case <-l.heartbeats:
			l.heartbeat.Reset(l.heartbeatEvery)
		case <-timerChannel(l.timeout):
			return outcome{failure: &failure{Error: "States.Timeout"}, timedOut: true}, true
		case <-timerChannel(l.heartbeat):
			return outcome{failure: &failure{Error: "States.HeartbeatTimeout"}, timedOut: true}, true
		case <-l.executionClosed:
			return outcome{}, false
		}
	}
}

func (l *limits) stop() {
	for _, t := range []*time.Timer{l.timeout, l.heartbeat} {
		if t != nil {
			t.Stop()
		}
	}
}

// timerChannel is t's channel, or nil (which never delivers) when there is no timer.
func timerChannel(t *time.Timer) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C
}
