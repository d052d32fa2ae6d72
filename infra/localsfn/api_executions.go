package localsfn

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type startExecutionInput struct {
	StateMachineArn string
	Name            string
	Input           string
}

type startExecutionOutput struct {
	ExecutionArn string       `json:"executionArn"`
	StartDate    epochSeconds `json:"startDate"`
}

func (e *Engine) startExecutionCall(in startExecutionInput) (startExecutionOutput, error) {
	m, err := e.stateMachine(in.StateMachineArn)
	if err != nil {
		return startExecutionOutput{}, err
	}
	name := in.Name
	if name == "" {
		name = newUUID()
	} else if !validName(name) {
		return startExecutionOutput{}, apiErrorf(errInvalidName, "Invalid Name: '%s'", name)
	}
	input := valueOr(in.Input, "{}")
	if !json.Valid([]byte(input)) {
		return startExecutionOutput{}, apiErrorf(errInvalidExecutionInput, "Invalid State Machine Execution Input: 'not valid JSON'")
	}
	x, err := e.startExecution(m, name, input)
	if err != nil {
		return startExecutionOutput{}, err
	}
	return startExecutionOutput{ExecutionArn: x.arn, StartDate: epochSeconds(x.started)}, nil
}

// validName applies the rules for execution names: 1 to 80 characters, none of them white space, control
// characters, brackets, wildcards or the special characters AWS lists.
func validName(name string) bool {
	if n := utf8.RuneCountInString(name); n == 0 || n > 80 {
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r)
	})
}

type executionInput struct {
	ExecutionArn string
}

type payloadIncluded struct {
	Included bool `json:"included"`
}

type describeExecutionOutput struct {
	ExecutionArn    string           `json:"executionArn"`
	StateMachineArn string           `json:"stateMachineArn"`
	Name            string           `json:"name"`
	Status          string           `json:"status"`
	StartDate       epochSeconds     `json:"startDate"`
	StopDate        *epochSeconds    `json:"stopDate,omitempty"`
	Input           string           `json:"input"`
	InputDetails    payloadIncluded  `json:"inputDetails"`
	Output          *string          `json:"output,omitempty"`
	OutputDetails   *payloadIncluded `json:"outputDetails,omitempty"`
	Error           *string          `json:"error,omitempty"`
	Cause           *string          `json:"cause,omitempty"`
}

func (e *Engine) describeExecutionCall(in executionInput) (describeExecutionOutput, error) {
	x, err := e.execution(in.ExecutionArn)
	if err != nil {
		return describeExecutionOutput{}, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	out := describeExecutionOutput{
		ExecutionArn:    x.arn,
		StateMachineArn: x.machine.arn,
		Name:            x.name,
		Status:          x.status,
		StartDate:       epochSeconds(x.started),
		StopDate:        optionalEpochSeconds(x.stopped),
		Input:           x.input,
		InputDetails:    payloadIncluded{Included: true},
	}
	if x.status == statusSucceeded {
		out.Output, out.OutputDetails = &x.output, &payloadIncluded{Included: true}
	}
	if x.failure != nil {
		out.Error, out.Cause = &x.failure.Error, &x.failure.Cause
	}
	return out, nil
}

type stopExecutionInput struct {
	ExecutionArn string
	Error        string
	Cause        string
}

type stopExecutionOutput struct {
	StopDate epochSeconds `json:"stopDate"`
}

// stopExecutionCall aborts a running execution, which has released its task tokens by the time it returns;
// stopping an execution that has already ended changes nothing.
func (e *Engine) stopExecutionCall(in stopExecutionInput) (stopExecutionOutput, error) {
	x, err := e.execution(in.ExecutionArn)
	if err != nil {
		return stopExecutionOutput{}, err
	}
	x.abort(in.Error, in.Cause)
	x.mu.Lock()
	defer x.mu.Unlock()
	return stopExecutionOutput{StopDate: epochSeconds(x.stopped)}, nil
}

type listExecutionsInput struct {
	StateMachineArn string
	StatusFilter    string
	MaxResults      int
	NextToken       string
}

type executionListItem struct {
	ExecutionArn    string        `json:"executionArn"`
	StateMachineArn string        `json:"stateMachineArn"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	StartDate       epochSeconds  `json:"startDate"`
	StopDate        *epochSeconds `json:"stopDate,omitempty"`
}

type listExecutionsOutput struct {
	Executions []executionListItem `json:"executions"`
	NextToken  *string             `json:"nextToken,omitempty"`
}

// listExecutionsCall lists a state machine's executions, newest first. A page token holds the start rank to
// resume from, which executions started later do not disturb.
func (e *Engine) listExecutionsCall(in listExecutionsInput) (listExecutionsOutput, error) {
	m, err := e.stateMachine(in.StateMachineArn)
	if err != nil {
		return listExecutionsOutput{}, err
	}
	if _, known := closingEvent[in.StatusFilter]; in.StatusFilter != "" && in.StatusFilter != statusRunning && !known {
		return listExecutionsOutput{}, apiErrorf(errValidation, "invalid statusFilter %q", in.StatusFilter)
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return listExecutionsOutput{}, err
	}
	resumeAt, resuming, err := pagePosition(in.NextToken)
	if err != nil {
		return listExecutionsOutput{}, err
	}

	e.mu.Lock()
	var matching []*execution
	for _, x := range e.executions {
		if x.machine == m && (!resuming || x.startRank <= resumeAt) {
			matching = append(matching, x)
		}
	}
	e.mu.Unlock()
	slices.SortFunc(matching, func(a, b *execution) int { return cmp.Compare(b.startRank, a.startRank) })

	out := listExecutionsOutput{Executions: []executionListItem{}}
	for _, x := range matching {
		item := x.listItem()
		if in.StatusFilter != "" && item.Status != in.StatusFilter {
			continue
		}
		if len(out.Executions) == size {
			out.NextToken = pageToken(x.startRank)
			break
		}
		out.Executions = append(out.Executions, item)
	}
	return out, nil
}

func (x *execution) listItem() executionListItem {
	x.mu.Lock()
	defer x.mu.Unlock()
	return executionListItem{
		ExecutionArn:    x.arn,
		StateMachineArn: x.machine.arn,
		Name:            x.name,
		Status:          x.status,
		StartDate:       epochSeconds(x.started),
		StopDate:        optionalEpochSeconds(x.stopped),
	}
}

type getExecutionHistoryInput struct {
	ExecutionArn string
	MaxResults   int
	ReverseOrder bool
	NextToken    string
}

type getExecutionHistoryOutput struct {
	Events    []historyEvent `json:"events"`
	NextToken *string        `json:"nextToken,omitempty"`
}

// getExecutionHistoryCall pages through the history; a page token holds the ID of the next event.
func (e *Engine) getExecutionHistoryCall(in getExecutionHistoryInput) (getExecutionHistoryOutput, error) {
	x, err := e.execution(in.ExecutionArn)
	if err != nil {
		return getExecutionHistoryOutput{}, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return getExecutionHistoryOutput{}, err
	}
	next, resuming, err := pagePosition(in.NextToken)
	if err != nil {
		return getExecutionHistoryOutput{}, err
	}

	x.mu.Lock()
	events := slices.Clone(x.history)
	x.mu.Unlock()
	if in.ReverseOrder {
		slices.Reverse(events)
	}
	if resuming {
		start := slices.IndexFunc(events, func(ev historyEvent) bool { return ev.ID == next })
		if start < 0 {
			return getExecutionHistoryOutput{}, apiErrorf(errInvalidToken, "Invalid Token: '%s'", in.NextToken)
		}
		events = events[start:]
	}
	out := getExecutionHistoryOutput{Events: events}
	if len(events) > size {
		out.Events, out.NextToken = events[:size], pageToken(events[size].ID)
	}
	return out, nil
}

// stateMachine finds a registered state machine by ARN.
func (e *Engine) stateMachine(arn string) (*stateMachine, error) {
	return lookup(e, e.machines, arn, "stateMachine", errStateMachineDoesNotExist, "State Machine Does Not Exist")
}

// execution finds an execution by ARN.
func (e *Engine) execution(arn string) (*execution, error) {
	return lookup(e, e.executions, arn, "execution", errExecutionDoesNotExist, "Execution Does Not Exist")
}

// lookup finds a resource of one kind by ARN, answering as AWS does for a
// malformed or an unknown ARN.
func lookup[T any](e *Engine, byARN map[string]*T, arn, kind, missing, missingMessage string) (*T, error) {
	if !validARN(arn, kind) {
		return nil, apiErrorf(errInvalidArn, "Invalid Arn: '%s'", arn)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := byARN[arn]
	if !ok {
		return nil, apiErrorf(missing, "%s: '%s'", missingMessage, arn)
	}
	return v, nil
}
