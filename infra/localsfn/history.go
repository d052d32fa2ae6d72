package localsfn

import (
	"encoding/json"
	"strings"
	"time"
)

// historyEvent is one event of GetExecutionHistory, in the API's JSON form.
type historyEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	Details         *eventDetails
}

// eventDetails holds the fields of every kind of event details the engine records; each kind uses a few.
type eventDetails struct {
	Name               string          `json:"name,omitempty"`
	Index              *int            `json:"index,omitempty"`
	Input              *string         `json:"input,omitempty"`
	InputDetails       *payloadDetails `json:"inputDetails,omitempty"`
	Output             *string         `json:"output,omitempty"`
	OutputDetails      *payloadDetails `json:"outputDetails,omitempty"`
	ResourceType       string          `json:"resourceType,omitempty"`
	Resource           string          `json:"resource,omitempty"`
	Region             string          `json:"region,omitempty"`
	Parameters         string          `json:"parameters,omitempty"`
	TimeoutInSeconds   int64           `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds int64           `json:"heartbeatInSeconds,omitempty"`
	Error              string          `json:"error,omitempty"`
	Cause              string          `json:"cause,omitempty"`
}

type payloadDetails struct {
	Truncated bool `json:"truncated"`
}

func (d *eventDetails) withInput(input string) *eventDetails {
	d.Input, d.InputDetails = &input, &payloadDetails{}
	return d
}

func (d *eventDetails) withOutput(output string) *eventDetails {
	d.Output, d.OutputDetails = &output, &payloadDetails{}
	return d
}

func (d *eventDetails) withFailure(f *failure) *eventDetails {
	d.Error, d.Cause = f.Error, f.Cause
	return d
}

func (ev historyEvent) MarshalJSON() ([]byte, error) {
	fields := map[string]any{
		"id":              ev.ID,
		"previousEventId": ev.PreviousEventID,
		"timestamp":       epochSeconds(ev.Timestamp),
		"type":            ev.Type,
	}
	if ev.Details != nil {
		fields[detailsField(ev.Type)] = ev.Details
	}
	return json.Marshal(fields)
}

// detailsField names the member that carries an event's details: one shared by all state types for entering
// and exiting a state, and otherwise named after the event type, as taskScheduledEventDetails is.
func detailsField(eventType string) string {
	switch {
	case strings.HasSuffix(eventType, "StateEntered"):
		return "stateEnteredEventDetails"
	case strings.HasSuffix(eventType, "StateExited"):
		return "stateExitedEventDetails"
	}
	return strings.ToLower(eventType[:1]) + eventType[1:] + "EventDetails"
}

// runnerEvent is an event of aws-local-stepfunctions' eventLogs, as the runner forwards it.
type runnerEvent struct {
	Type  string `json:"type"`
	Index *int   `json:"index"`
	State *struct {
		Name   string          `json:"name"`
		Type   string          `json:"type"`
		Input  json.RawMessage `json:"input"`
		Output json.RawMessage `json:"output"`
	} `json:"state"`
	ParentState *struct {
		Name string `json:"name"`
	} `json:"parentState"`
}

// recordRunnerEvent adds the history events that AWS records for what the runner reports. Execution events are
// recorded by the engine itself, Task outcomes by the task, and branch, retry and catch events have no
// counterpart in AWS's history.
func (x *execution) recordRunnerEvent(ev runnerEvent) {
	switch ev.Type {
	case "StateEntered":
		x.log.Debug("state entered", "state", ev.State.Name)
		id := x.record(ev.State.Type+"StateEntered", (&eventDetails{Name: ev.State.Name}).withInput(string(ev.State.Input)))
		if x.machine.tasks[ev.State.Name].readsInput() {
			x.entries[ev.State.Name] = stateEntry{input: ev.State.Input, eventID: id}
		}
		x.recordCompositeState(ev, "Started")
	case "StateExited":
		x.log.Debug("state exited", "state", ev.State.Name)
		x.recordCompositeState(ev, "Succeeded")
		x.record(ev.State.Type+"StateExited", (&eventDetails{Name: ev.State.Name}).withOutput(string(ev.State.Output)))
	case "StateFailed":
		x.recordCompositeState(ev, "Failed")
	case "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed":
		x.record(ev.Type, &eventDetails{Name: ev.ParentState.Name, Index: ev.Index})
	}
}

// recordCompositeState records the events AWS has, and the library lacks, for the life of a Map or Parallel
// state, such as MapStateStarted and ParallelStateSucceeded.
func (x *execution) recordCompositeState(ev runnerEvent, phase string) {
	if t := ev.State.Type; t == "Map" || t == "Parallel" {
		x.record(t+"State"+phase, nil)
	}
}

// record appends an event to the history and returns its ID, unless the execution has already closed: then its
// history is final, and the ID is zero.
func (x *execution) record(eventType string, details *eventDetails) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.status != statusRunning {
		return 0
	}
	return x.recordLocked(eventType, details)
}

// recordLocked appends an event and returns its ID; the caller holds x.mu. Events are numbered in the order they
// happen, each pointing to the one before it.
func (x *execution) recordLocked(eventType string, details *eventDetails) int64 {
	id := int64(len(x.history)) + 1
	x.history = append(x.history, historyEvent{
		ID:              id,
		PreviousEventID: id - 1,
		Timestamp:       time.Now(),
		Type:            eventType,
		Details:         details,
	})
	return id
}
