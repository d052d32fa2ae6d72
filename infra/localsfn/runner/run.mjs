// Interprets one state machine definition for the Go engine in package localsfn, using aws-local-stepfunctions.
//
// The engine owns everything with a lifetime (executions, task tokens, timeouts, history); this process only walks
// the states. Both sides speak JSON, one message per line:
//
//   stdin, first line:  {"validate": <definition>}  or  {"run": {definition, input, context, taskStates, ...}}
//   stdin, later:       {"id", "output"} or {"id", "failure": {"error", "cause"}}   how a task request ended
//   stdout:             {"validation": {"valid", "errors"}}, or, for a run, any number of
//                       {"event": <library event>} and {"task": {"id", "state", "input", "token"}}, then
//                       {"result": {"status", "output"}} or {"result": {"status", "failure": {"error", "cause"}}}
//
// stdout is the execution's single ordered log: the engine builds the history from it in the order it was written.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setImmediate as afterQueuedEvents } from 'node:timers/promises';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';

const send = (message, then) => process.stdout.write(`${JSON.stringify(message)}\n`, then);
// The last message: exit once it is written out.
const finish = (message) => send(message, () => process.exit(0));

// Task tokens are 48 random bytes, base64url-encoded; the engine recognises malformed tokens by this shape.
const newTaskToken = () => randomBytes(48).toString('base64url');

// The library evaluates a Task's Parameters against the context object and then, in the same synchronous turn,
// calls that Task's override. A token minted lazily when $$.Task.Token is read therefore belongs to the very next
// override call, which claims it. Every Task attempt gets a token, whether its Parameters read it or not.
let unclaimedToken = null;
const taskContext = {
  get Token() {
    unclaimedToken ??= newTaskToken();
    return unclaimedToken;
  },
};
function claimTaskToken() {
  const token = unclaimedToken ?? newTaskToken();
  unclaimedToken = null;
  return token;
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

const openTasks = new Map();
let lastTaskId = 0;

function taskOverride(stateName) {
  return async (input) => {
    const token = claimTaskToken();
    // Events the library has queued (this state's StateEntered among them) reach stdout before the request.
    await afterQueuedEvents();
    const id = ++lastTaskId;
    const outcome = new Promise((resolve, reject) => openTasks.set(id, { resolve, reject }));
    send({ task: { id, state: stateName, input, token } });
    return outcome;
  };
}

function settleTask({ id, output, failure }) {
  const task = openTasks.get(id);
  openTasks.delete(id);
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

function validate(definition) {
  try {
    new StateMachine(definition);
    finish({ validation: { valid: true } });
  } catch (error) {
    finish({ validation: { valid: false, errors: error.message } });
  }
}

async function run({ definition, input, context, taskStates, waitTimeOverrides, retryIntervalOverrides }) {
  let result;
  try {
    // The engine validated the definition when it was registered.
    const stateMachine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const execution = stateMachine.run(input, {
      context: { ...context, Task: taskContext },
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(taskStates.map((name) => [name, taskOverride(name)])),
        waitTimeOverrides,
        retryIntervalOverrides,
      },
    });
    const forwarded = (async () => {
      for await (const event of execution.eventLogs) send({ event });
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
  finish({ result });
}

// The first line is the request; every later one settles a task.
let handle = (request) => {
  handle = settleTask;
  if ('validate' in request) {
    validate(request.validate);
  } else {
    run(request.run);
  }
};
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => handle(JSON.parse(line)));
// The engine holds the other end of stdin: when it goes away, so does this process.
lines.on('close', () => process.exit(1));
