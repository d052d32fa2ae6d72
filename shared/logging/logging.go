// Package logging gives every function the same structured JSON logs. A logger
// travels in the context, collecting request id, tenant, order id and
// execution ARN as they become known, so each line carries them.
package logging

import (
	"context"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
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
// collection picks it up. Email addresses in any logged text are redacted:
// Leat's error messages may quote the customer's.
func New(w io.Writer, level slog.Level) *slog.Logger {
	if w == nil {
		w = os.Stdout
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redact}))
}

// emailAddress is compiled on the first text with an '@', not at every
// cold start: most functions never log one.
var emailAddress = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
})

// redact replaces the email addresses in a string or error attribute.
func redact(_ []string, a slog.Attr) slog.Attr {
	var text string
	switch v := a.Value.Any().(type) {
	case string:
		text = v
	case error:
		text = v.Error()
	default:
		return a
	}
	if strings.IndexByte(text, '@') < 0 {
		return a
	}
	if email := emailAddress(); email.MatchString(text) {
		a.Value = slog.StringValue(email.ReplaceAllString(text, "<email>"))
	}
	return a
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
