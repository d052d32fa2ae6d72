package localsfn

import "encoding/json"

type sendTaskSuccessInput struct {
	TaskToken string
	Output    string
}

type sendTaskFailureInput struct {
	TaskToken string
	Error     string
	Cause     string
}

type sendTaskHeartbeatInput struct {
	TaskToken string
}

// noOutput is the empty response of the SendTask calls.
type noOutput struct{}

func (e *Engine) sendTaskSuccessCall(in sendTaskSuccessInput) (noOutput, error) {
	if !json.Valid([]byte(in.Output)) {
		return noOutput{}, apiErrorf(errInvalidOutput, "Invalid Output: 'not valid JSON'")
	}
	return noOutput{}, e.tokens.complete(in.TaskToken, outcome{output: json.RawMessage(in.Output)})
}

func (e *Engine) sendTaskFailureCall(in sendTaskFailureInput) (noOutput, error) {
	return noOutput{}, e.tokens.complete(in.TaskToken, outcome{failure: &failure{Error: in.Error, Cause: in.Cause}})
}

func (e *Engine) sendTaskHeartbeatCall(in sendTaskHeartbeatInput) (noOutput, error) {
	return noOutput{}, e.tokens.heartbeat(in.TaskToken)
}
