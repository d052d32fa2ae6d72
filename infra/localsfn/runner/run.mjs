// Interprets state machine definitions for the Go engine in package localsfn, using aws-local-stepfunctions. One
// process serves a whole engine: it validates definitions and interprets any number of executions at once.
//
// The engine owns everything with a lifetime (executions, task tokens, timeouts, history); this process only walks
// the states. Both sides speak JSON, one message per line, and every message names what it is about with "exec", a
// number the engine gives each execution and each validation:
//
//   stdin:   {"exec", "validate": <definition>}
//            {"exec", "run": {definition, input, context, taskStates, ...}}
//            {"exec", "id", "output"} or {"exec", "id", "failure": {"error", "cause"}}   how a task request ended
//            {"exec", "stop": true}                                                   abort the execution
//   stdout:  {"exec", "validation": {"valid", "errors"}}, or, for a run, any number of
//            {"exec", "event": <library event>} and {"exec", "task": {"id", "state", "input", "token"}}, then
//            {"exec", "result": {"status", "output"}} or
//            {"exec", "result": {"status", "failure": {"error", "cause"}}}
//
// The lines about one execution are its single ordered log: the engine builds its history from them in the order
// they were written. A validation or a result is the last line about its exec; a stopped execution ends with a
// result too, which the engine ignores.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setImmediate as afterQueuedEvents } from 'node:timers/promises';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

// Task tokens are 48 random bytes, base64url-encoded; the engine recognises malformed tokens by this shape.
const newTaskToken = () => randomBytes(48).toString('base64url');

// The library evaluates a Task's Parameters against the context object and then, in the same synchronous turn,
// calls that Task's override, which claims the token before its first await. JavaScript runs a synchronous turn to
// completion, so no other branch or iteration runs in between: a token minted lazily when $$.Task.Token is read
// belongs to the very next override call. Every Task attempt gets a token, whether its Parameters read it or not.
// Each execution has its own tokens, so that even a token read outside a Task state stays within its execution.
function taskTokens() {
  let unclaimed = null;
  return {
    context: {
      get Token() {
        unclaimed ??= newTaskToken();
        return unclaimed;
      },
    },
    claim() {
      const token = unclaimed ?? newTaskToken();
      unclaimed = null;
      return token;
    },
  };
}

// The library exempts only its own timeout error class from the States.TaskFailed wildcard, and does not export
// it. The engine enforces task timeouts itself, so borrow the class from a Task that times out after 1 ms.
async function timeoutErrorClass() {
  const probe = new StateMachine(
    { StartAt: 'Probe', States: { Probe: { Type: 'Task', Resource: 'probe', TimeoutSeconds: 0.001, End: true } } },
    { validationOptions: { noValidate: true } },
  );
  const never = () => new Promise(() => {});
  try {
    await probe.run(null, { overrides: { taskResourceLocalHandlers: { Probe: never } } }).result;
  } catch (error) {
    return error.cause.constructor;
  }
  throw new Error('the timeout probe did not time out');
}
const StatesTimeoutError = await timeoutErrorClass();

// The executions being interpreted and not stopped, by exec: how to abort each, and its open task requests.
const executions = new Map();
let lastTaskId = 0;

// Settles a stopped execution's task requests, so that the library lets go of the execution instead of holding it
// until the tasks' timers fire; the library ignores what an aborted execution does next.
const stopped = new Error('the execution was stopped');

function taskOverride(exec, tokens, stateName) {
  return async (input) => {
    const token = tokens.claim();
    // Events the library has queued (this state's StateEntered among them) reach stdout before the request.
    await afterQueuedEvents();
    const running = executions.get(exec);
    if (!running) {
      throw stopped;
    }
    const id = ++lastTaskId;
    const outcome = new Promise((resolve, reject) => running.tasks.set(id, { resolve, reject }));
    send({ exec, task: { id, state: stateName, input, token } });
    return outcome;
  };
}

function settleTask({ exec, id, output, failure }) {
  const tasks = executions.get(exec)?.tasks;
  const task = tasks?.get(id);
  if (!task) {
    return; // the execution was stopped meanwhile
  }
  tasks.delete(id);
  if (!failure) {
    task.resolve(output);
  } else if (failure.error === 'States.Timeout') {
    task.reject(new StatesTimeoutError());
  } else {
    const error = new Error(failure.cause);
    error.name = failure.error;
    task.reject(error);
  }
}

function validate(exec, definition) {
  try {
    new StateMachine(definition);
    send({ exec, validation: { valid: true } });
  } catch (error) {
    send({ exec, validation: { valid: false, errors: error.message } });
  }
}

async function run(exec, { definition, input, context, taskStates, waitTimeOverrides, retryIntervalOverrides }) {
  let result;
  try {
    // The engine validated the definition when it was registered.
    const stateMachine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const tokens = taskTokens();
    const execution = stateMachine.run(input, {
      context: { ...context, Task: tokens.context },
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          taskStates.map((name) => [name, taskOverride(exec, tokens, name)]),
        ),
        waitTimeOverrides,
        retryIntervalOverrides,
      },
    });
    executions.set(exec, { abort: execution.abort, tasks: new Map() });
    const forwarded = (async () => {
      for await (const event of execution.eventLogs) send({ exec, event });
    })();
    try {
      result = { status: 'SUCCEEDED', output: (await execution.result) ?? null };
    } catch (error) {
      const cause = error instanceof ExecutionError ? error.cause : error;
      result = { status: 'FAILED', failure: { error: cause.name, cause: cause.message } };
    }
    await forwarded;
  } catch (error) {
    result = { status: 'FAILED', failure: { error: 'States.Runtime', cause: error.message } };
  }
  executions.delete(exec);
  send({ exec, result });
}

function stop(exec) {
  const running = executions.get(exec);
  if (!running) {
    return; // it has ended already
  }
  executions.delete(exec);
  running.abort();
  for (const task of running.tasks.values()) task.reject(stopped);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if ('validate' in message) {
    validate(message.exec, message.validate);
  } else if ('run' in message) {
    run(message.exec, message.run);
  } else if ('stop' in message) {
    stop(message.exec);
  } else {
    settleTask(message);
  }
});
// The engine holds the other end of stdin: when it goes away, so does this process.
lines.on('close', () => process.exit(1));
