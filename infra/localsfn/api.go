package localsfn

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Step Functions API speaks AWS's JSON 1.0 protocol: every call is a POST to / naming its operation in
// X-Amz-Target, with a JSON body both ways.
const (
	targetPrefix = "AWSStepFunctions."
	contentType  = "application/x-amz-json-1.0"
	maxBodyBytes = 1 << 20 // the largest Step Functions payload is 256 KiB
)

// The error codes the engine answers with, as AWS names them.
const (
	errExecutionAlreadyExists   = "ExecutionAlreadyExists"
	errExecutionDoesNotExist    = "ExecutionDoesNotExist"
	errStateMachineDoesNotExist = "StateMachineDoesNotExist"
	errInvalidArn               = "InvalidArn"
	errInvalidName              = "InvalidName"
	errInvalidExecutionInput    = "InvalidExecutionInput"
	errInvalidOutput            = "InvalidOutput"
	errInvalidToken             = "InvalidToken"
	errTaskDoesNotExist         = "TaskDoesNotExist"
	errTaskTimedOut             = "TaskTimedOut"
	errValidation               = "ValidationException"
	errSerialization            = "SerializationException"
	errUnknownOperation         = "UnknownOperationException"
	errServiceUnavailable       = "ServiceUnavailable"
)

// apiError is an error the API answers with its AWS code.
type apiError struct {
	code, message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func apiErrorf(code, format string, args ...any) *apiError {
	return &apiError{code: code, message: fmt.Sprintf(format, args...)}
}

type operation func(e *Engine, body []byte) (any, error)

// operations are the supported API calls, by the name X-Amz-Target gives them.
var operations = map[string]operation{
	"StartExecution":       decoding((*Engine).startExecutionCall),
	"DescribeExecution":    decoding((*Engine).describeExecutionCall),
	"StopExecution":        decoding((*Engine).stopExecutionCall),
	"ListExecutions":       decoding((*Engine).listExecutionsCall),
	"GetExecutionHistory":  decoding((*Engine).getExecutionHistoryCall),
	"SendTaskSuccess":      decoding((*Engine).sendTaskSuccessCall),
	"SendTaskFailure":      decoding((*Engine).sendTaskFailureCall),
	"SendTaskHeartbeat":    decoding((*Engine).sendTaskHeartbeatCall),
	"DescribeStateMachine": decoding((*Engine).describeStateMachineCall),
	"ListStateMachines":    decoding((*Engine).listStateMachinesCall),
}

// decoding adapts a typed call to an operation on the raw request body.
func decoding[In, Out any](call func(*Engine, In) (Out, error)) operation {
	return func(e *Engine, body []byte) (any, error) {
		var in In
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, apiErrorf(errSerialization, "malformed request body: %v", err)
		}
		return call(e, in)
	}
}

func (e *Engine) apiHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, _ := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
		op, known := operations[name]
		if r.Method != http.MethodPost || !known {
			writeError(w, apiErrorf(errUnknownOperation, "unknown operation %q", r.Header.Get("X-Amz-Target")))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			writeError(w, apiErrorf(errValidation, "request body: %v", err))
			return
		}
		out, err := op(e, body)
		if err != nil {
			e.log.Debug("API call refused", "operation", name, "error", err)
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Type", contentType)
		json.NewEncoder(w).Encode(out)
	})
}

// writeError answers an error as AWS does: its code in __type, and 400 for the caller's mistakes.
func writeError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	var known *apiError
	if !errors.As(err, &known) {
		status, known = http.StatusInternalServerError, apiErrorf("InternalFailure", "%v", err)
	}
	if known.code == errServiceUnavailable {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": known.code, "message": known.message})
}

// epochSeconds is a timestamp as the JSON 1.0 protocol writes it: seconds since the epoch, to the millisecond.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(time.Time(t).UnixMilli())/1000, 'f', 3, 64), nil
}

// optionalEpochSeconds is nil for the zero time, so that the field is left out.
func optionalEpochSeconds(t time.Time) *epochSeconds {
	if t.IsZero() {
		return nil
	}
	return (*epochSeconds)(&t)
}

// pageSize applies maxResults' default and bounds.
func pageSize(maxResults int) (int, error) {
	switch {
	case maxResults == 0:
		return 100, nil
	case maxResults < 0 || maxResults > 1000:
		return 0, apiErrorf(errValidation, "maxResults must be between 0 and 1000")
	}
	return maxResults, nil
}

// pageToken makes the opaque nextToken that resumes a listing at position.
func pageToken(position int64) *string {
	token := base64.RawURLEncoding.EncodeToString(strconv.AppendInt(nil, position, 10))
	return &token
}

// pagePosition reads a nextToken back; ok is false when there is none.
func pagePosition(token string) (position int64, ok bool, err error) {
	if token == "" {
		return 0, false, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err == nil {
		position, err = strconv.ParseInt(string(raw), 10, 64)
	}
	if err != nil || position < 0 {
		return 0, false, apiErrorf(errInvalidToken, "Invalid Token: '%s'", token)
	}
	return position, true, nil
}

// validARN reports whether arn has the shape of a Step Functions ARN of resourceType.
func validARN(arn, resourceType string) bool {
	parts := strings.Split(arn, ":")
	return len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == resourceType
}
