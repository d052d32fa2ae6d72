package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

type returnLineRequest struct {
	LineID   string `json:"line_id" validate:"required,max=64,printascii"`
	Quantity int64  `json:"quantity" validate:"gt=0,lte=10000"`
}

type refundRequest struct {
	Tender string `json:"tender" validate:"required,max=16,printascii"`
	Amount int64  `json:"amount" validate:"gt=0,lte=100000000"`
}

type returnRequest struct {
	ReturnID   string              `json:"return_id" validate:"required,max=64"`
	LocationID string              `json:"location_id" validate:"omitempty,max=63"`
	Full       bool                `json:"full" validate:"required_without=Lines"`
	Lines      []returnLineRequest `json:"lines" validate:"excluded_if=Full true,max=500,dive"`
	// Refunds, when given, replace the automatic rule; an empty list
	// refunds nothing to Leat tenders.
	Refunds       *[]refundRequest `json:"refunds" validate:"omitempty,max=10,dive"`
	ReverseOffers *[]string        `json:"reverse_offers" validate:"omitempty,max=60,dive,max=16,printascii"`
}

// StartReturn answers POST /v1/orders/{order_id}/returns.
func StartReturn(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeBackend, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		var body returnRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		location, err := bodyLocation(r, body.LocationID)
		if err != nil {
			return Response{}, err
		}
		cmd := checkout.ReturnCommand{
			Location: location, OrderID: r.PathParam("order_id"), ReturnID: body.ReturnID, RequestKey: r.IdempotencyKey, Full: body.Full,
		}
		for _, l := range body.Lines {
			cmd.Lines = append(cmd.Lines, checkout.ReturnLineRequest{LineID: l.LineID, Quantity: l.Quantity})
		}
		if body.Refunds != nil {
			cmd.Refunds = []checkout.TenderRefund{}
			for _, f := range *body.Refunds {
				cmd.Refunds = append(cmd.Refunds, checkout.TenderRefund{Tender: f.Tender, Amount: f.Amount})
			}
		}
		if body.ReverseOffers != nil {
			cmd.ReverseOffers = append([]string{}, *body.ReverseOffers...)
		}
		v, err := svc.StartReturn(ctx, r.Principal, cmd)
		if err != nil {
			return Response{}, err
		}
		return returnAnswer(v, http.StatusCreated), nil
	}}
}

// returnAnswer answers a return with status once its saga has recorded it,
// or 202 while it still runs.
func returnAnswer(v checkout.ReturnView, status int) Response {
	if !v.Settled {
		status = http.StatusAccepted
	}
	return Response{Status: status, Body: returnOf(v.Order, v.Return), Location: returnPath(v.Order.Checkout, v.Return.ID)}
}

func returnPath(c ledger.Checkout, id ledger.ReturnID) string {
	return "/v1/orders/" + c.POSOrderID + "/returns/" + string(id)
}

// queryLocation reads the optional location_id query parameter.
func queryLocation(r Request) (tenancy.LocationID, error) {
	return bodyLocation(r, r.Query("location_id"))
}

// GetReturn answers GET /v1/orders/{order_id}/returns/{return_id}.
func GetReturn(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeBackend, Handle: func(ctx context.Context, r Request) (Response, error) {
		location, err := queryLocation(r)
		if err != nil {
			return Response{}, err
		}
		v, err := svc.ReadReturn(ctx, r.Principal, location, r.PathParam("order_id"), r.PathParam("return_id"))
		if err != nil {
			return Response{}, err
		}
		return OK(returnOf(v.Order, v.Return)), nil
	}}
}

// pageQuery reads what every list of a location's orders or returns takes:
// the location, a status among statuses, the cursor, and a limit of at most
// maxLimit.
func pageQuery[S ~string](r Request, statuses []S, limit, maxLimit int) (ledger.ListQuery[S], error) {
	location, err := queryLocation(r)
	if err != nil {
		return ledger.ListQuery[S]{}, err
	}
	q := ledger.ListQuery[S]{Location: location, Status: S(r.Query("status")), Cursor: r.Query("cursor"), Limit: limit}
	if q.Status != "" && !slices.Contains(statuses, q.Status) {
		names := make([]string, len(statuses))
		for i, st := range statuses {
			names[i] = string(st)
		}
		return ledger.ListQuery[S]{}, Invalid("status", "oneof", "must be one of "+strings.Join(names, ", "))
	}
	if raw := r.Query("limit"); raw != "" {
		if q.Limit, err = strconv.Atoi(raw); err != nil || q.Limit < 1 || q.Limit > maxLimit {
			return ledger.ListQuery[S]{}, Invalid("limit", "range", fmt.Sprintf("must be a whole number from 1 to %d", maxLimit))
		}
	}
	return q, nil
}

// ListOrders answers GET /v1/orders: a location's orders, newest first.
func ListOrders(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeBackend, Handle: func(ctx context.Context, r Request) (Response, error) {
		q, err := pageQuery(r, ledger.CheckoutStatuses(), 50, 100)
		if err != nil {
			return Response{}, err
		}
		for _, bound := range []struct {
			name string
			into *time.Time
		}{{"from", &q.From}, {"to", &q.To}} {
			if raw := r.Query(bound.name); raw != "" {
				if *bound.into, err = time.Parse(time.RFC3339, raw); err != nil {
					return Response{}, Invalid(bound.name, "format", "must be an RFC 3339 time")
				}
			}
		}
		page, err := svc.ListOrders(ctx, r.Principal, q)
		if err != nil {
			return Response{}, err
		}
		out := orderListJSON{Orders: []orderSummaryJSON{}}
		if page.Next != "" {
			out.NextCursor = &page.Next
		}
		for _, c := range page.Orders {
			s := orderSummaryJSON{
				OrderID: c.POSOrderID, CheckoutID: string(c.ID), Status: string(c.Status), Currency: string(c.Currency),
				Totals: c.Totals, Returns: c.Returned.Count, CreatedAt: c.CreatedAt,
			}
			if c.ContactUUID != "" {
				s.ContactUUID = &c.ContactUUID
			}
			if c.Result != nil {
				s.PointsEarned = c.Result.PointsEarned
			}
			out.Orders = append(out.Orders, s)
		}
		return OK(out), nil
	}}
}

type orderListJSON struct {
	Orders     []orderSummaryJSON `json:"orders"`
	NextCursor *string            `json:"next_cursor"`
}

type orderSummaryJSON struct {
	OrderID      string        `json:"order_id"`
	CheckoutID   string        `json:"checkout_id"`
	Status       string        `json:"status"`
	ContactUUID  *string       `json:"contact_uuid"`
	Currency     string        `json:"currency"`
	Totals       ledger.Totals `json:"totals"`
	PointsEarned *int64        `json:"points_earned"`
	Returns      int           `json:"returns"`
	CreatedAt    time.Time     `json:"created_at"`
}

// GetOrder answers GET /v1/orders/{order_id}.
func GetOrder(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopeBackend, Handle: func(ctx context.Context, r Request) (Response, error) {
		location, err := queryLocation(r)
		if err != nil {
			return Response{}, err
		}
		o, err := svc.ReadOrder(ctx, r.Principal, location, r.PathParam("order_id"))
		if err != nil {
			return Response{}, err
		}
		return OK(orderOf(o)), nil
	}}
}

type orderJSON struct {
	OrderID        string            `json:"order_id"`
	CheckoutID     string            `json:"checkout_id"`
	LocationID     string            `json:"location_id"`
	Status         string            `json:"status"`
	ContactUUID    *string           `json:"contact_uuid"`
	Currency       string            `json:"currency"`
	LeatOrderUUID  *string           `json:"leat_order_uuid"`
	PointsEarned   *int64            `json:"points_earned"`
	Lines          []orderLineJSON   `json:"lines"`
	Tenders        []orderTenderJSON `json:"tenders"`
	Transactions   []transactionJSON `json:"transactions"`
	Returns        []returnJSON      `json:"returns"`
	CreatedAt      time.Time         `json:"created_at"`
	ReturnedOffers []string          `json:"returned_offers"`
}

type orderLineJSON struct {
	ID               string `json:"id"`
	SKU              string `json:"sku"`
	Name             string `json:"name"`
	Quantity         int64  `json:"quantity"`
	UnitPrice        int64  `json:"unit_price"`
	Discount         int64  `json:"discount"`
	ReturnedQuantity int64  `json:"returned_quantity"`
	ReturnedAmount   int64  `json:"returned_amount"`
}

type orderTenderJSON struct {
	Source   string `json:"source"`
	Type     string `json:"type"`
	Code     string `json:"code,omitempty"`
	Paid     int64  `json:"paid"`
	Refunded int64  `json:"refunded"`
}

// transactionJSON is one Leat transaction of the order, or of a return.
type transactionJSON struct {
	stepJSON
	Amount       int64   `json:"amount,omitempty"`
	ReversalUUID *string `json:"reversal_uuid"`
	// ReversedBy says how money was given back: reverse, credit or debit.
	ReversedBy string `json:"reversed_by,omitempty"`
}

type returnJSON struct {
	ReturnID string              `json:"return_id"`
	OrderID  string              `json:"order_id"`
	Status   string              `json:"status"`
	Full     bool                `json:"full"`
	Lines    []ledger.ReturnLine `json:"lines"`
	Refunds  []refundJSON        `json:"refunds"`
	// OffersReversed and TakenBack name the order's items given back.
	OffersReversed  []string          `json:"offers_reversed"`
	TakenBack       []string          `json:"taken_back"`
	PointsCorrected *int64            `json:"points_corrected"`
	Steps           []transactionJSON `json:"steps"`
	Problems        []string          `json:"problems"`
	CreatedAt       time.Time         `json:"created_at"`
	// Retries are the operators' retries of the return, oldest first.
	Retries []ledger.OperatorRetry `json:"retries,omitempty"`
}

type refundJSON struct {
	Tender string `json:"tender"`
	Amount int64  `json:"amount"`
	// Method is how the money went back: reverse (the debit undone), or
	// credit (a transaction of its own); empty until it did.
	Method string `json:"method,omitempty"`
	State  string `json:"state"`
}

func transactionOf(s ledger.Step) transactionJSON {
	t := transactionJSON{stepJSON: stepOf(s), Amount: s.Details.Amount, ReversedBy: s.Details.ReversedBy}
	if s.ReversalUUID != "" {
		t.ReversalUUID = &s.ReversalUUID
	}
	return t
}

func orderOf(o checkout.OrderRecord) orderJSON {
	c := o.Checkout
	out := orderJSON{
		OrderID: c.POSOrderID, CheckoutID: string(c.ID), LocationID: string(c.Location), Status: string(c.Status),
		Currency: string(c.Currency), CreatedAt: c.CreatedAt,
		Lines: []orderLineJSON{}, Tenders: []orderTenderJSON{}, Transactions: []transactionJSON{}, Returns: []returnJSON{},
		ReturnedOffers: []string{},
	}
	if c.ContactUUID != "" {
		out.ContactUUID = &c.ContactUUID
	}
	if c.Result != nil {
		if c.Result.OrderUUID != "" {
			out.LeatOrderUUID = &c.Result.OrderUUID
		}
		out.PointsEarned = c.Result.PointsEarned
	}
	for _, l := range c.Basket.Lines {
		var discount int64
		for _, d := range c.Discounts {
			discount += d.PerLine[l.ID]
		}
		out.Lines = append(out.Lines, orderLineJSON{
			ID: l.ID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Discount: discount,
			ReturnedQuantity: c.Returned.Quantities[l.ID], ReturnedAmount: c.Returned.Amounts[l.ID],
		})
	}
	for i, t := range c.Basket.Tenders {
		tj := orderTenderJSON{Source: fmt.Sprintf("tenders[%d]", i), Type: string(t.Type), Code: t.Code, Refunded: c.Returned.Refunded[i]}
		for _, s := range o.Steps {
			// A debit a completed order's return reversed was paid, then refunded;
			// one a cancelled checkout reversed was never paid.
			if s.Item() == tj.Source && (s.State == ledger.StepDone || s.State == ledger.StepReversed && c.Status == ledger.CheckoutCompleted) {
				tj.Paid = s.Details.Amount
			}
		}
		out.Tenders = append(out.Tenders, tj)
	}
	for _, s := range o.Steps {
		out.Transactions = append(out.Transactions, transactionOf(s))
	}
	for _, id := range c.Returned.Reversed {
		out.ReturnedOffers = append(out.ReturnedOffers, id.Item())
	}
	for _, r := range o.Returns {
		out.Returns = append(out.Returns, returnOf(o, r))
	}
	return out
}

func returnOf(o checkout.OrderRecord, r ledger.Return) returnJSON {
	out := returnJSON{
		ReturnID: string(r.ID), OrderID: o.Checkout.POSOrderID, Status: string(r.Status), Full: r.Full, Lines: r.Lines,
		Refunds: []refundJSON{}, OffersReversed: []string{}, TakenBack: []string{}, Steps: []transactionJSON{},
		Problems: append([]string{}, r.Problems...), CreatedAt: r.CreatedAt, Retries: r.Retries,
	}
	step := func(id ledger.StepID) (ledger.Step, bool) {
		i := slices.IndexFunc(o.Steps, func(s ledger.Step) bool { return s.ID == id })
		if i < 0 {
			return ledger.Step{}, false
		}
		return o.Steps[i], true
	}
	for _, id := range r.Plan.Steps() {
		if s, found := step(id); found {
			out.Steps = append(out.Steps, transactionOf(s))
		}
	}
	for _, f := range r.Refunds {
		rj := refundJSON{Tender: fmt.Sprintf("tenders[%d]", f.Tender), Amount: f.Amount, State: "pending"}
		if s, found := step(f.By); found {
			rj.State = string(s.State)
			switch {
			case f.By != f.Debit && s.State == ledger.StepDone:
				rj.Method, rj.State = "credit", "done"
			case f.By == f.Debit && s.State == ledger.StepReversed:
				rj.Method, rj.State = s.Details.ReversedBy, "done"
				if rj.Method == "" {
					rj.Method = "reverse"
				}
			case f.By == f.Debit && s.State == ledger.StepDone:
				rj.State = "pending" // the debit is not given back yet
			}
		}
		out.Refunds = append(out.Refunds, rj)
	}
	for _, id := range r.Plan.Offers {
		out.OffersReversed = append(out.OffersReversed, id.Item())
	}
	for _, id := range r.Plan.TakeBacks {
		out.TakenBack = append(out.TakenBack, id.Item())
	}
	if r.Plan.OrderReturn != "" {
		if s, found := step(r.Plan.OrderReturn); found {
			out.PointsCorrected = s.Details.PointsEarned
		}
	}
	return out
}
