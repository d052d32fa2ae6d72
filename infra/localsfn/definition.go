package localsfn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Node cannot arm a timer longer than 2^31-1 ms (about 24.8 days); a longer one fires at once.
const maxRunnerTimerSeconds = 2147483

// stateMachine is a registered definition and what the engine needs to know about its states to run it.
type stateMachine struct {
	name, arn  string
	definition string // after substitution: what DescribeStateMachine returns
	created    time.Time
	// runnable is the definition the runner interprets: the engine enforces the timeouts it takes out.
	runnable json.RawMessage
	timeout  time.Duration // the definition's TimeoutSeconds; zero for none
	tasks    map[string]taskState
	// waitStates and retryingStates name the states whose delays SkipDelays removes.
	waitStates, retryingStates []string
}

// taskState is a Task state as the engine runs it.
type taskState struct {
	name      string
	resource  resource
	timeout   time.Duration // TimeoutSeconds; zero for none
	heartbeat time.Duration // HeartbeatSeconds; zero for none
	// timeoutPath and heartbeatPath are TimeoutSecondsPath and HeartbeatSecondsPath; nil for none. Each attempt
	// resolves them into its timeout and heartbeat.
	timeoutPath, heartbeatPath *referencePath
}

// readsInput reports whether the state's limits come from its input, which the engine must then remember.
func (t taskState) readsInput() bool {
	return t.timeoutPath != nil || t.heartbeatPath != nil
}

var placeholder = regexp.MustCompile(`\$\{([^}]*)\}`)

// substitute replaces ${Name} placeholders as SAM does with DefinitionSubstitutions: textually, before the
// definition is parsed. A placeholder without a substitution is an error rather than a broken deployment.
func substitute(definition []byte, substitutions map[string]string) (string, error) {
	var unknown []string
	text := placeholder.ReplaceAllStringFunc(string(definition), func(match string) string {
		name := match[2 : len(match)-1]
		value, ok := substitutions[name]
		if !ok {
			unknown = append(unknown, name)
			return match
		}
		return value
	})
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return "", fmt.Errorf("no substitution for ${%s}", strings.Join(slices.Compact(unknown), "}, ${"))
	}
	return text, nil
}

func newStateMachine(name, arn string, source []byte, substitutions map[string]string) (*stateMachine, error) {
	definition, err := substitute(source, substitutions)
	if err != nil {
		return nil, err
	}
	decoder := json.NewDecoder(strings.NewReader(definition))
	decoder.UseNumber() // keeps numbers in Result and Parameters exactly as written
	var root map[string]any
	if err := decoder.Decode(&root); err != nil {
		return nil, fmt.Errorf("definition is not JSON: %w", err)
	}
	m := &stateMachine{name: name, arn: arn, definition: definition, created: time.Now(), tasks: map[string]taskState{}}
	if m.timeout, err = seconds(root, "TimeoutSeconds"); err != nil {
		return nil, err
	}
	delete(root, "TimeoutSeconds") // the engine times the execution, and the runner's timer could overflow
	if err := m.visit(root, map[string]bool{}, false); err != nil {
		return nil, err
	}
	if m.runnable, err = json.Marshal(root); err != nil {
		return nil, err
	}
	return m, nil
}

// visit walks the states of machine and of every Parallel branch and Map item processor inside it; inMap tells
// whether machine runs in a Map iteration, at any depth.
func (m *stateMachine) visit(machine map[string]any, seen map[string]bool, inMap bool) error {
	if err := unsupported(machine); err != nil {
		return err
	}
	states, ok := machine["States"].(map[string]any)
	if !ok {
		return errors.New("definition has no States")
	}
	for name, value := range states {
		state, ok := value.(map[string]any)
		if !ok {
			return fmt.Errorf("state %q is not an object", name)
		}
		// The runner's overrides are keyed by state name alone, across branches and item processors.
		if seen[name] {
			return fmt.Errorf("state name %q is used more than once", name)
		}
		seen[name] = true
		if err := m.visitState(name, state, seen, inMap); err != nil {
			return fmt.Errorf("state %q: %w", name, err)
		}
	}
	return nil
}

func (m *stateMachine) visitState(name string, state map[string]any, seen map[string]bool, inMap bool) error {
	if err := unsupported(state); err != nil {
		return err
	}
	if _, retries := state["Retry"]; retries {
		m.retryingStates = append(m.retryingStates, name)
	}
	switch state["Type"] {
	case "Task":
		return m.visitTask(name, state, inMap)
	case "Wait":
		m.waitStates = append(m.waitStates, name)
	case "Parallel":
		branches, _ := state["Branches"].([]any)
		for _, branch := range branches {
			if err := m.visitNested(branch, seen, inMap); err != nil {
				return err
			}
		}
	case "Map":
		if processor, ok := state["ItemProcessor"].(map[string]any); ok {
			if config, _ := processor["ProcessorConfig"].(map[string]any); config["Mode"] == "DISTRIBUTED" {
				return errors.New("distributed Map is not supported locally")
			}
			return m.visitNested(processor, seen, true)
		}
		return m.visitNested(state["Iterator"], seen, true)
	}
	return nil
}

func (m *stateMachine) visitNested(value any, seen map[string]bool, inMap bool) error {
	machine, ok := value.(map[string]any)
	if !ok {
		return errors.New("nested state machine is not an object")
	}
	return m.visit(machine, seen, inMap)
}

func (m *stateMachine) visitTask(name string, state map[string]any, inMap bool) error {
	arn, _ := state["Resource"].(string)
	r, err := parseResource(arn)
	if err != nil {
		return err
	}
	task := taskState{name: name, resource: r}
	if task.timeout, err = seconds(state, "TimeoutSeconds"); err != nil {
		return err
	}
	if task.heartbeat, err = seconds(state, "HeartbeatSeconds"); err != nil {
		return err
	}
	if task.timeoutPath, err = secondsPath(state, "TimeoutSecondsPath", inMap); err != nil {
		return err
	}
	if task.heartbeatPath, err = secondsPath(state, "HeartbeatSecondsPath", inMap); err != nil {
		return err
	}
	// The engine times tasks itself; without this the library would give up after its default of 60 s. It
	// resolves the paths itself too: the library would select in the Parameters' output.
	state["TimeoutSeconds"] = maxRunnerTimerSeconds
	for _, field := range []string{"HeartbeatSeconds", "TimeoutSecondsPath", "HeartbeatSecondsPath"} {
		delete(state, field)
	}
	m.tasks[name] = task
	return nil
}

// secondsPath reads an optional TimeoutSecondsPath or HeartbeatSecondsPath.
func secondsPath(state map[string]any, field string, inMap bool) (*referencePath, error) {
	value, ok := state[field]
	if !ok {
		return nil, nil
	}
	// The engine finds a task's input by its state's name, which concurrent Map iterations share.
	if inMap {
		return nil, fmt.Errorf("%s is not supported inside a Map locally; use a fixed value", field)
	}
	text, _ := value.(string)
	path, err := parseReferencePath(text)
	if err != nil {
		return nil, fmt.Errorf("%s %q %w", field, text, err)
	}
	return path, nil
}

// unsupported reports the features aws-local-stepfunctions does not implement, rather than letting them be
// silently ignored.
func unsupported(object map[string]any) error {
	if object["QueryLanguage"] == "JSONata" {
		return errors.New("JSONata is not supported locally; use JSONPath")
	}
	for _, field := range []string{"Assign", "ItemReader", "ItemBatcher", "ResultWriter"} {
		if _, ok := object[field]; ok {
			return fmt.Errorf("%s is not supported locally", field)
		}
	}
	return nil
}

// seconds reads an optional whole number of seconds.
func seconds(object map[string]any, field string) (time.Duration, error) {
	value, ok := object[field]
	if !ok {
		return 0, nil
	}
	d, ok := positiveSeconds(value)
	if !ok {
		return 0, fmt.Errorf("%s must be a positive whole number", field)
	}
	return d, nil
}

// positiveSeconds converts a JSON value (decoded with UseNumber) that is a positive integer into seconds.
func positiveSeconds(value any) (time.Duration, bool) {
	number, ok := value.(json.Number)
	if !ok {
		return 0, false
	}
	n, err := number.Int64()
	// Beyond math.MaxInt64 nanoseconds a Duration would wrap around and expire at once.
	if err != nil || n <= 0 || n > math.MaxInt64/int64(time.Second) {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// taskStateNames lists the Task states the runner must route to the engine.
func (m *stateMachine) taskStateNames() []string {
	names := make([]string, 0, len(m.tasks))
	for name := range m.tasks {
		names = append(names, name)
	}
	return names
}
