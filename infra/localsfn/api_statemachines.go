package localsfn

import (
	"slices"
)

type stateMachineInput struct {
	StateMachineArn string
}

type describeStateMachineOutput struct {
	StateMachineArn string       `json:"stateMachineArn"`
	Name            string       `json:"name"`
	Status          string       `json:"status"`
	Type            string       `json:"type"`
	Definition      string       `json:"definition"`
	CreationDate    epochSeconds `json:"creationDate"`
}

func (e *Engine) describeStateMachineCall(in stateMachineInput) (describeStateMachineOutput, error) {
	m, err := e.stateMachine(in.StateMachineArn)
	if err != nil {
		return describeStateMachineOutput{}, err
	}
	return describeStateMachineOutput{
		StateMachineArn: m.arn,
		Name:            m.name,
		Status:          "ACTIVE",
		Type:            "STANDARD",
		Definition:      m.definition,
		CreationDate:    epochSeconds(m.created),
	}, nil
}

type listStateMachinesInput struct {
	MaxResults int
	NextToken  string
}

type stateMachineListItem struct {
	StateMachineArn string       `json:"stateMachineArn"`
	Name            string       `json:"name"`
	Type            string       `json:"type"`
	CreationDate    epochSeconds `json:"creationDate"`
}

type listStateMachinesOutput struct {
	StateMachines []stateMachineListItem `json:"stateMachines"`
	NextToken     *string                `json:"nextToken,omitempty"`
}

// listStateMachinesCall lists state machines in the order they were registered, so that a page token can hold
// the position to resume from: registering more only adds to the end.
func (e *Engine) listStateMachinesCall(in listStateMachinesInput) (listStateMachinesOutput, error) {
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return listStateMachinesOutput{}, err
	}
	start, _, err := pagePosition(in.NextToken)
	if err != nil {
		return listStateMachinesOutput{}, err
	}
	e.mu.Lock()
	machines := make([]*stateMachine, 0, len(e.machines))
	for _, m := range e.machines {
		machines = append(machines, m)
	}
	e.mu.Unlock()
	slices.SortFunc(machines, func(a, b *stateMachine) int { return a.created.Compare(b.created) })

	out := listStateMachinesOutput{StateMachines: []stateMachineListItem{}}
	for i := int(min(start, int64(len(machines)))); i < len(machines); i++ {
		if len(out.StateMachines) == size {
			out.NextToken = pageToken(int64(i))
			break
		}
		m := machines[i]
		out.StateMachines = append(out.StateMachines, stateMachineListItem{
			StateMachineArn: m.arn, Name: m.name, Type: "STANDARD", CreationDate: epochSeconds(m.created),
		})
	}
	return out, nil
}
