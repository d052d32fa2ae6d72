// Package logging gives every function the same structured JSON logs. A logger
// travels in the context, collecting request id, tenant, order id and
// execution ARN as they become known, so each line carries them.
package logging

import (
	"context"
	"io"
	"log/slog"
	"os"
)

// Attribute names shared by every log line, so operators can filter on them.
const (
	RequestID    = "request_id"
	Tenant       = "tenant"
	OrderID      = "order_id"
	ExecutionARN = "execution_arn"
	Function     = "function"
)

// New returns a JSON logger writing to w (stdout when nil), where Lambda's log
// collection picks it up.
func New(w io.Writer, level slog.Level) *slog.Logger {
	if w == nil {
		w = os.Stdout
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

type ctxKey struct{}

// With returns a context whose logger carries the extra attributes.
func With(ctx context.Context, args ...any) context.Context {
	return context.WithValue(ctx, ctxKey{}, From(ctx).With(args...))
}

// Into stores a logger in the context.
func Into(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the context's logger, or the default one.
func From(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(ctxKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}
