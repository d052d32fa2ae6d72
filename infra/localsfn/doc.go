// Package localsfn runs the project's real Amazon States Language definitions locally, behind the AWS Step
// Functions API, so that code written against the sfn SDK only has to change its endpoint (BaseEndpoint).
//
// # How it works
//
// Go owns all state: state machines, executions and their history, task tokens, and every timer that can end a
// task or an execution. Node.js only interprets ASL, in runner/run.mjs, built on the npm package
// aws-local-stepfunctions (pinned in infra/package.json). Starting Node.js with the library takes about a
// second, so each engine keeps one runner process, started when first needed, which validates definitions and
// interprets all the engine's executions at once. The runner overrides every Task state, including those in
// Parallel branches and Map item processors, and hands each attempt to the engine, which calls the registered
// Go handler in-process or waits for the task token. The two talk over the runner's stdin and stdout, one JSON
// message per line, each naming the execution it is about; the runner's lines about an execution are its single
// ordered log, so the history lists events in the order they happened.
//
// StopExecution, an execution's TimeoutSeconds, and the States.Runtime errors the engine raises itself close the
// execution at once, releasing its task tokens, and then have the runner abort it; whatever the runner still
// reports about it is ignored. If the runner dies, every execution it was interpreting fails with
// States.Runtime, naming the cause, and the next execution starts a new runner. Close kills the runner, and a
// runner whose engine has gone away exits by itself when its stdin closes.
//
// # Task tokens
//
// aws-local-stepfunctions has no $$.Task.Token, but it evaluates a Task's Parameters against the context object
// and then calls the Task's override in the same synchronous turn. The runner therefore puts a getter at
// $$.Task.Token that mints a token when read; the override that runs next claims it and sends it to the engine
// with the task. JavaScript runs a synchronous turn to completion, so no other execution, branch or iteration
// comes in between, however many the runner interprets. For a .waitForTaskToken task the engine opens the token
// before invoking anything, invokes the function for lambda:invoke.waitForTaskToken, and waits for
// SendTaskSuccess, SendTaskFailure, TimeoutSeconds, HeartbeatSeconds (reset by SendTaskHeartbeat) or the end of
// the execution. The engine enforces TimeoutSeconds and HeartbeatSeconds itself, so that a token dies with its
// task, and answers the runner with States.Timeout or States.HeartbeatTimeout; the runner raises the library's
// own timeout error, which States.TaskFailed does not match, as on AWS.
//
// # Limits from the input
//
// TimeoutSecondsPath and HeartbeatSecondsPath select in the state's input, as its StateEntered event records it
// (before InputPath and Parameters), whereas the library would select in the Parameters' output. So the engine
// resolves them: it remembers the input of each such state's latest StateEntered, which the runner reports
// before the state's task, and when an attempt arrives reads the limits there, reports them in TaskScheduled
// and enforces them as it does fixed values. A path that selects nothing, or a value that is not a positive
// integer, fails the execution with States.Runtime before the task is scheduled; as on AWS, no Retry or Catch
// applies.
//
// # Differences from AWS that remain
//
//   - JSONPath only: no JSONata, no Assign, no distributed Map. Task resources are limited to Lambda function
//     ARNs, arn:aws:states:::lambda:invoke and .waitForTaskToken integrations; an integration other than Lambda
//     performs no call and only waits for its token, which the TaskScheduled event's parameters show. State
//     names must be unique across the whole definition, branches and item processors included.
//   - TimeoutSecondsPath and HeartbeatSecondsPath must be reference paths into the state's input ($.a.b,
//     $['a'], $.a[0]), not into the context object ($$). They are refused in a Map item processor, at any
//     depth: its iterations run the same state concurrently, and a task reaches the engine with its state's
//     name alone, so the engine cannot tell which iteration's input is its own.
//   - The context object has Execution.Id, Name, Input and StartTime (when the runner began interpreting it),
//     StateMachine.Id and Name, Map.Item and Task.Token; it has no State, and Execution.Input inside a Parallel
//     branch or a Map iteration is that branch's or iteration's input.
//   - The history has the events of AWS's for states, Lambda functions, service tasks, Map and Parallel states
//     and the execution, but each event's previous event is simply the one recorded before it, and
//     GetExecutionHistory ignores includeExecutionData. lambda:invoke results carry Payload, StatusCode and
//     ExecutedVersion, without the SDK metadata. A panic's Cause has no stack trace.
//   - A Fail state without Error or Cause reports the library's defaults instead of nothing: FailStateError and
//     "Execution failed because of a Fail state".
//   - Execution names can be reused only while the engine lives; nothing expires after 90 days.
package localsfn
