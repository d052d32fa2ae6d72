package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/leatpos/gateway/shared/store"
)

// TestOutagesAreTold: what DynamoDB's client returns when no answer came,
// or the service was overloaded or failed, is store.ErrUnavailable; a
// refusal of the request itself, or a local failure, is not.
func TestOutagesAreTold(t *testing.T) {
	call := func(err error) error {
		return &smithy.OperationError{ServiceID: "DynamoDB", OperationName: "GetItem", Err: err}
	}
	tests := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"connection refused", call(&smithyhttp.RequestSendError{Err: errors.New("dial tcp 127.0.0.1:8000: connect: connection refused")}), true},
		{"retries exhausted", call(&retry.MaxAttemptsError{Attempt: 4, Err: &smithyhttp.RequestSendError{Err: errors.New("EOF")}}), true},
		{"throttled", call(&types.ProvisionedThroughputExceededException{Message: new(string)}), true},
		{"request limit", call(&types.RequestLimitExceeded{}), true},
		{"server fault", call(&types.InternalServerError{}), true},
		{"throttling by code", call(&smithy.GenericAPIError{Code: "ThrottlingException", Fault: smithy.FaultClient}), true},
		{"condition failed", call(&types.ConditionalCheckFailedException{}), false},
		{"transaction cancelled", call(&types.TransactionCanceledException{}), false},
		{"validation", call(&smithy.GenericAPIError{Code: "ValidationException", Fault: smithy.FaultClient}), false},
		{"caller gave up", call(fmt.Errorf("wrapped: %w", context.Canceled)), false},
		{"not a call at all", errors.New("unmarshal: bad attribute"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := wrap("get T#x", tt.err)
			if got := errors.Is(err, store.ErrUnavailable); got != tt.unavailable {
				t.Fatalf("%v: unavailable %v, want %v", err, got, tt.unavailable)
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("%v no longer wraps the client's error", err)
			}
		})
	}
}
