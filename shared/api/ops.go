package api

import (
	"context"
	"net/http"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// ListCheckoutsForOps answers GET /v1/ops/checkouts: a location's checkouts
// needing attention (or in ?status=), with their steps.
func ListCheckoutsForOps(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeOps, Handle: func(ctx context.Context, r Request) (Response, error) {
		q, err := pageQuery(r, ledger.CheckoutStatuses(), 20, 50)
		if err != nil {
			return Response{}, err
		}
		views, next, err := svc.CheckoutsForOperators(ctx, r.Principal, q)
		if err != nil {
			return Response{}, err
		}
		out := opsCheckoutsJSON{Checkouts: []checkoutJSON{}}
		if next != "" {
			out.NextCursor = &next
		}
		for _, v := range views {
			out.Checkouts = append(out.Checkouts, checkoutOf(v))
		}
		return OK(out), nil
	}}
}

type opsCheckoutsJSON struct {
	Checkouts  []checkoutJSON `json:"checkouts"`
	NextCursor *string        `json:"next_cursor"`
}

// ListReturnsForOps answers GET /v1/ops/returns: the returns of a
// location's orders needing attention (or in ?status=), with their steps.
func ListReturnsForOps(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeOps, Handle: func(ctx context.Context, r Request) (Response, error) {
		q, err := pageQuery(r, ledger.ReturnStatuses(), 20, 50)
		if err != nil {
			return Response{}, err
		}
		views, next, err := svc.ReturnsForOperators(ctx, r.Principal, q)
		if err != nil {
			return Response{}, err
		}
		out := opsReturnsJSON{Returns: []returnJSON{}}
		if next != "" {
			out.NextCursor = &next
		}
		for _, v := range views {
			out.Returns = append(out.Returns, returnOf(v.Order, v.Return))
		}
		return OK(out), nil
	}}
}

type opsReturnsJSON struct {
	Returns    []returnJSON `json:"returns"`
	NextCursor *string      `json:"next_cursor"`
}

// RetryCheckoutSettlement answers POST
// /v1/ops/checkouts/{checkout_id}/retry-compensation: a checkout needing
// attention is settled again, giving back what it holds, or confirming it
// when it was paid.
func RetryCheckoutSettlement(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeOps, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		id, err := checkoutIDParam(r)
		if err != nil {
			return Response{}, err
		}
		v, err := svc.RetrySettlement(ctx, r.Principal, r.Location, id)
		if err != nil {
			return Response{}, err
		}
		return settled(v, http.StatusOK), nil
	}}
}

// RetryReturn answers POST /v1/ops/orders/{order_id}/returns/{return_id}/retry:
// a return needing attention runs again, skipping what it finished.
func RetryReturn(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeOps, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		v, err := svc.RetryReturn(ctx, r.Principal, r.Location, r.PathParam("order_id"), r.PathParam("return_id"))
		if err != nil {
			return Response{}, err
		}
		return returnAnswer(v, http.StatusOK), nil
	}}
}
