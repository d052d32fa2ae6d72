// Package leat is a typed client for the Leat v3 OAuth API (the "clients" routes under
// /api/v3/oauth/clients), plus two helpers that need no API call: the Loyalty Token URL
// builder and the webhook signature verifier.
//
// # Money and points
//
// Amounts of money are int64 minor units (AmountInCents); positive amounts load or top up,
// negative amounts pay. Points are int64. The package never uses floating point for either.
//
// # Writes and unknown outcomes
//
// Leat has no idempotency keys, so a write (any call documented as moving money, points or
// state) must never be repeated blindly. The client therefore retries a write only when Leat
// certainly did not apply it: a 429 or 503 answer, or a connection that could not be opened.
// When a write may have reached Leat but its answer was lost (a timeout or dropped connection
// after the request was sent, a 500/502/504, or a success body the client cannot read), the
// returned error matches ErrOutcomeUnknown. The caller must then reconcile against Leat (look
// the transaction up) before deciding to write again.
//
// Reads are retried on every transient failure, with capped and jittered exponential backoff.
//
// # Errors
//
// Business errors from Leat are *APIError values that match their Code with errors.Is, for
// example errors.Is(err, leat.CodeInsufficientCredits). Transient failures are *TransientError
// values that match ErrTransient and one reason sentinel (ErrRateLimited, ErrMaintenance,
// ErrServerError, ErrTimeout, ErrNetwork, ErrCanceled).
package leat
