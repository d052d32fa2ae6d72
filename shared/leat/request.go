package leat

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// request describes one API call for Client.do.
type request struct {
	method string
	// format is the path below the API root with a %s for each of ids, which are escaped
	// and must not be empty.
	format string
	ids    []string
	params url.Values

	// payload is encoded as the JSON body; nil sends no body.
	payload any

	// idempotent marks a non-GET call that changes nothing in Leat, so it may be retried
	// like a read.
	idempotent bool

	// tokenEndpoint sends the call to /oauth/token: no bearer token, no envelope.
	tokenEndpoint bool

	// out receives the envelope's data; nil ignores the body. meta receives the envelope's
	// meta when it is an object.
	out  any
	meta any
}

func get(format string, ids ...string) request {
	return request{method: http.MethodGet, format: format, ids: ids}
}

func post(format string, ids ...string) request {
	return request{method: http.MethodPost, format: format, ids: ids}
}

func put(format string, ids ...string) request {
	return request{method: http.MethodPut, format: format, ids: ids}
}

// param adds a query parameter unless value is empty (Leat treats absent filters as "any").
func (r request) param(key, value string) request {
	if value == "" {
		return r
	}
	if r.params == nil {
		r.params = url.Values{}
	}
	r.params.Add(key, value)
	return r
}

// paramInt adds a query parameter unless n is zero or negative.
func (r request) paramInt(key string, n int) request {
	if n <= 0 {
		return r
	}
	return r.param(key, strconv.Itoa(n))
}

// paramTime adds an ISO-8601 query parameter unless t is zero.
func (r request) paramTime(key string, t time.Time) request {
	if t.IsZero() {
		return r
	}
	return r.param(key, t.Format(time.RFC3339))
}

func (r request) body(payload any) request {
	r.payload = payload
	return r
}

// isWrite reports whether Leat may change state when it receives the request.
func (r request) isWrite() bool {
	return r.method != http.MethodGet && !r.idempotent
}

func (r request) path() (string, error) {
	args := make([]any, len(r.ids))
	for i, id := range r.ids {
		if strings.TrimSpace(id) == "" {
			return "", fmt.Errorf("%w: %s %s: empty identifier", ErrInvalidArgument, r.method, r.format)
		}
		args[i] = url.PathEscape(id)
	}
	return fmt.Sprintf(r.format, args...), nil
}

// fetch performs r and returns the decoded data.
func fetch[T any](ctx context.Context, c *Client, r request) (*T, error) {
	var out T
	r.out = &out
	if err := c.do(ctx, r); err != nil {
		return nil, err
	}
	return &out, nil
}

// fetchList performs r for a route that answers with an unpaginated list.
func fetchList[T any](ctx context.Context, c *Client, r request) ([]T, error) {
	var items []T
	r.out = &items
	if err := c.do(ctx, r); err != nil {
		return nil, err
	}
	return items, nil
}

// Page is one page of a paginated list. Page numbers start at 1.
type Page[T any] struct {
	Items []T
	// Page is the number of this page, PerPage the page size Leat applied, LastPage the
	// number of the last page and Total the number of items over all pages. They are zero
	// when Leat sent no pagination details.
	Page, PerPage, LastPage, Total int
}

// HasNext reports whether a page follows this one.
func (p *Page[T]) HasNext() bool {
	return p.Page < p.LastPage
}

// fetchPage performs r for a paginated route. Routes name their pagination details
// differently (current_page or page, per_page or limit, per_page sometimes a string);
// pageMeta accepts every spelling.
func fetchPage[T any](ctx context.Context, c *Client, r request) (*Page[T], error) {
	var (
		items []T
		meta  pageMeta
	)
	r.out, r.meta = &items, &meta
	if err := c.do(ctx, r); err != nil {
		return nil, err
	}
	return &Page[T]{
		Items:    items,
		Page:     int(max(meta.CurrentPage, meta.Page)),
		PerPage:  int(max(meta.PerPage, meta.Limit)),
		LastPage: int(meta.LastPage),
		Total:    int(meta.Total),
	}, nil
}

type pageMeta struct {
	CurrentPage flexInt `json:"current_page"`
	Page        flexInt `json:"page"`
	PerPage     flexInt `json:"per_page"`
	Limit       flexInt `json:"limit"`
	LastPage    flexInt `json:"last_page"`
	Total       flexInt `json:"total"`
}
