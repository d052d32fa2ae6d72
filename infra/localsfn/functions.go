package localsfn

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// failure is an ASL error: Error is the name that Retry and Catch match, Cause the detail that travels with it.
type failure struct {
	Error string `json:"error"`
	Cause string `json:"cause"`
}

func (e *Engine) functionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", e.region, e.account, name)
}

// invoke calls the registered function name with a raw JSON payload, as the Lambda Go runtime would: the same
// (un)marshalling, a lambdacontext with a fresh request ID, and errors and panics reported by type name.
func (e *Engine) invoke(ctx context.Context, name string, payload []byte) (json.RawMessage, *failure) {
	e.mu.Lock()
	handler, ok := e.functions[name]
	e.mu.Unlock()
	if !ok {
		return nil, &failure{Error: "Lambda.ResourceNotFoundException", Cause: "Function not found: " + e.functionARN(name)}
	}
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       newUUID(),
		InvokedFunctionArn: e.functionARN(name),
	})
	return callHandler(ctx, handler, payload)
}

func callHandler(ctx context.Context, handler any, payload []byte) (output json.RawMessage, f *failure) {
	defer func() {
		if value := recover(); value != nil {
			output, f = nil, functionFailure(value)
		}
	}()
	// A new lambda.Handler for every call: Invoke hands back a buffer that the handler has already returned to
	// its pool, so calls sharing one handler (a Map running the same function) would overwrite each other.
	output, err := lambda.NewHandler(handler).Invoke(ctx, payload)
	if err != nil {
		return nil, functionFailure(err)
	}
	return output, nil
}

// functionFailure turns a returned error or a panic value into the error Step Functions sees, following
// aws-lambda-go: errorType is the value's type name without pointer, and Cause is the JSON error payload.
func functionFailure(value any) *failure {
	payload := struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{Message: fmt.Sprint(value), Type: typeName(value)}
	if reported, ok := value.(messages.InvokeResponse_Error); ok {
		payload.Message, payload.Type = reported.Message, reported.Type
	}
	var cause bytes.Buffer
	encoder := json.NewEncoder(&cause)
	encoder.SetEscapeHTML(false)
	encoder.Encode(payload) // two strings always encode
	return &failure{Error: payload.Type, Cause: string(bytes.TrimSuffix(cause.Bytes(), []byte("\n")))}
}

func typeName(value any) string {
	t := reflect.TypeOf(value)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}
