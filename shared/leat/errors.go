package leat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

var (
	// ErrUnauthorized matches an *APIError for HTTP 401 or 403: the token is missing,
	// expired, revoked or lacks access to the account.
	ErrUnauthorized = errors.New("leat: unauthorized")
	// ErrNotFound matches an *APIError for an HTTP 404 without a Leat code: the route or
	// object does not exist. Leat's own "not found" codes (CodeContactNotFound, …) are
	// matched by their Code instead.
	ErrNotFound = errors.New("leat: not found")
	// ErrMethodNotAllowed matches an *APIError for an HTTP 405 without a Leat code.
	ErrMethodNotAllowed = errors.New("leat: method not allowed")

	// ErrTransient matches every *TransientError: the call failed for a reason unrelated to
	// its content and may succeed later.
	ErrTransient = errors.New("leat: transient failure")
	// ErrRateLimited is the reason of a TransientError for HTTP 429.
	ErrRateLimited = errors.New("leat: rate limited")
	// ErrMaintenance is the reason of a TransientError for HTTP 503 (maintenance mode).
	ErrMaintenance = errors.New("leat: in maintenance")
	// ErrServerError is the reason of a TransientError for any other HTTP 5xx.
	ErrServerError = errors.New("leat: server error")
	// ErrTimeout is the reason of a TransientError for a context deadline, an attempt
	// timeout or a network timeout.
	ErrTimeout = errors.New("leat: timeout")
	// ErrNetwork is the reason of a TransientError for a failed connection or a broken
	// answer.
	ErrNetwork = errors.New("leat: network failure")
	// ErrCanceled is the reason of a TransientError for a canceled context.
	ErrCanceled = errors.New("leat: canceled")

	// ErrOutcomeUnknown matches the error of a write that may have reached Leat without the
	// client learning the result. Leat may or may not have applied it: reconcile (look the
	// transaction up) before writing again, never repeat it blindly.
	ErrOutcomeUnknown = errors.New("leat: outcome unknown")

	// ErrInvalidArgument reports a call or configuration rejected by the client before any
	// request was sent.
	ErrInvalidArgument = errors.New("leat: invalid argument")
)

// APIError is an answer from Leat that refused the request: a documented business error
// (HTTP 400 with a Code), a validation failure, or an authentication or routing error. Leat
// did not apply the request, and sending it again unchanged will fail again.
//
// errors.Is(err, code) matches the Leat code, for example leat.CodeVoucherAlreadyLocked;
// ErrUnauthorized, ErrNotFound and ErrMethodNotAllowed match by HTTP status.
type APIError struct {
	// Code is Leat's numeric error code; zero when the answer carried none.
	Code Code
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is Leat's message, sometimes "Dutch | English".
	Message string
	// Fields holds validation messages per request field, when Leat sent them.
	Fields map[string][]string
	// Method and Path identify the call; Path excludes the query string.
	Method, Path string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "leat: %s %s: %s (", e.Method, e.Path, e.Message)
	if e.Code != 0 {
		fmt.Fprintf(&b, "code %d, ", int(e.Code))
	}
	fmt.Fprintf(&b, "HTTP %d)", e.StatusCode)
	if len(e.Fields) > 0 {
		fmt.Fprintf(&b, "; invalid fields: %s", strings.Join(slices.Sorted(maps.Keys(e.Fields)), ", "))
	}
	return b.String()
}

// Is matches the error's Code and the status sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && e.Code == 0
	case ErrMethodNotAllowed:
		return e.StatusCode == http.StatusMethodNotAllowed && e.Code == 0
	}
	code, ok := target.(Code)
	return ok && code != 0 && code == e.Code
}

// TransientError is a failure unrelated to the request's content: rate limiting,
// maintenance, a server error, a timeout, a network failure or a canceled context. It
// matches ErrTransient and its Reason, and ErrOutcomeUnknown when OutcomeUnknown is set.
type TransientError struct {
	// Reason is one of ErrRateLimited, ErrMaintenance, ErrServerError, ErrTimeout,
	// ErrNetwork or ErrCanceled.
	Reason error
	// StatusCode is the HTTP status, or zero when no answer arrived.
	StatusCode int
	// RetryAfter is Leat's Retry-After, when it sent one.
	RetryAfter time.Duration
	// OutcomeUnknown is set for a write that may have reached Leat: see ErrOutcomeUnknown.
	// A 429 or 503 is never an unknown outcome, as Leat refuses those before processing.
	OutcomeUnknown bool
	// Message is the message from Leat's answer, if any.
	Message string
	// Method and Path identify the call; Path excludes the query string.
	Method, Path string
	// Attempts is the number of attempts made, retries included.
	Attempts int
	// Err is the underlying cause, such as context.DeadlineExceeded, if any.
	Err error
}

func (e *TransientError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %s %s", e.Reason, e.Method, e.Path)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "; after %d attempts", e.Attempts)
	}
	if e.OutcomeUnknown {
		b.WriteString("; outcome unknown, reconcile before retrying")
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Is matches ErrTransient, the Reason, and ErrOutcomeUnknown when OutcomeUnknown is set.
func (e *TransientError) Is(target error) bool {
	return target == ErrTransient || target == e.Reason || (target == ErrOutcomeUnknown && e.OutcomeUnknown)
}

func (e *TransientError) Unwrap() error { return e.Err }

// DecodeError reports a success answer whose body the client could not read. Leat did apply
// the request, so for a write the error also matches ErrOutcomeUnknown: the caller has no
// result (no transaction uuid) and must reconcile.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	Err          error
	write        bool
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("leat: %s %s: unreadable answer (HTTP %d)", e.Method, e.Path, e.StatusCode)
	if e.write {
		msg += "; outcome unknown, reconcile before retrying"
	}
	return msg + ": " + e.Err.Error()
}

// Is matches ErrOutcomeUnknown for writes.
func (e *DecodeError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.write
}

func (e *DecodeError) Unwrap() error { return e.Err }

// statusError classifies a non-2xx answer.
func statusError(r request, path string, resp *http.Response, body []byte) error {
	apiErr := decodeAPIError(resp.StatusCode, body)
	apiErr.Method, apiErr.Path = r.method, path
	transient := &TransientError{StatusCode: resp.StatusCode, Message: apiErr.Message, Method: r.method, Path: path}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		transient.Reason = ErrRateLimited
		transient.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	case resp.StatusCode == http.StatusServiceUnavailable:
		transient.Reason = ErrMaintenance
		transient.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	case resp.StatusCode >= 500:
		transient.Reason = ErrServerError
		transient.OutcomeUnknown = r.isWrite()
	default:
		return apiErr
	}
	return transient
}

// decodeAPIError reads Leat's error body {"message","code","status_code","errors"}; bodies
// that are not JSON (proxies, Laravel defaults) keep the HTTP status text as message.
func decodeAPIError(status int, body []byte) *APIError {
	apiErr := &APIError{StatusCode: status, Message: http.StatusText(status)}
	var wire struct {
		Message string          `json:"message"`
		Code    flexInt         `json:"code"`
		Errors  json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &wire) != nil {
		return apiErr
	}
	if wire.Message != "" {
		apiErr.Message = wire.Message
	}
	apiErr.Code = Code(wire.Code)
	// An empty bag arrives as [] from PHP; only an object carries field errors.
	if json.Unmarshal(wire.Errors, &apiErr.Fields) != nil {
		apiErr.Fields = nil
	}
	return apiErr
}

// transportError classifies a failure to send the request or read its answer. sent tells
// whether the request may have reached Leat.
func transportError(r request, path string, err error, sent bool) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		// url.Error repeats the full URL, query included; keep only the cause.
		err = urlErr.Err
	}
	reason := ErrNetwork
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		reason = ErrCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		reason = ErrTimeout
	}
	return &TransientError{
		Reason:         reason,
		OutcomeUnknown: sent && r.isWrite(),
		Method:         r.method,
		Path:           path,
		Err:            err,
	}
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if seconds, err := strconv.Atoi(value); err == nil {
		return max(0, time.Duration(seconds)*time.Second)
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(0, at.Sub(now))
	}
	return 0
}

// isStatus reports whether err is an *APIError with the given HTTP status.
func isStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// withAttempts records on a TransientError how many attempts the call made.
func withAttempts(err error, attempts int) error {
	var transient *TransientError
	if errors.As(err, &transient) {
		transient.Attempts = attempts
	}
	return err
}
