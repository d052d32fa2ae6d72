package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// The basket's limits keep every sum far from overflowing int64.
type lineRequest struct {
	ID        string `json:"id" validate:"required,max=64,printascii"`
	SKU       string `json:"sku" validate:"required,max=128"`
	Name      string `json:"name" validate:"required,max=255"`
	Quantity  int64  `json:"quantity" validate:"gt=0,lte=10000"`
	UnitPrice int64  `json:"unit_price" validate:"gt=0,lte=100000000"`
	Category  string `json:"category" validate:"max=128"`
}

type rewardRequest struct {
	RewardUUID string   `json:"reward_uuid" validate:"required,leat_id"`
	Strategy   string   `json:"strategy" validate:"omitempty,oneof=redeem_reverse pre_redeem_collect"`
	LineIDs    []string `json:"line_ids" validate:"max=500,dive,max=64"`
}

type collectRequest struct {
	CollectableUUID string   `json:"collectable_uuid" validate:"required,leat_id"`
	LineIDs         []string `json:"line_ids" validate:"max=500,dive,max=64"`
}

type voucherRequest struct {
	Code     string   `json:"code" validate:"required,max=255,printascii"`
	Strategy string   `json:"strategy" validate:"omitempty,oneof=lock_redeem redeem_reverse"`
	LineIDs  []string `json:"line_ids" validate:"max=500,dive,max=64"`
}

type tenderRequest struct {
	Type         string `json:"type" validate:"required,oneof=giftcard prepaid"`
	Code         string `json:"code" validate:"required_if=Type giftcard,excluded_if=Type prepaid,max=255,printascii"`
	Amount       int64  `json:"amount" validate:"gt=0,lte=100000000"`
	AllowPartial bool   `json:"allow_partial"`
}

type giftcardSaleRequest struct {
	LineID  string `json:"line_id" validate:"required,max=64"`
	Code    string `json:"code" validate:"required_without=Digital,excluded_with=Digital,max=255,printascii"`
	Digital bool   `json:"digital"`
	Email   string `json:"email" validate:"excluded_without=Digital,omitempty,email,max=255"`
}

type topUpRequest struct {
	LineID string `json:"line_id" validate:"required,max=64"`
}

type checkoutRequest struct {
	OrderID     string           `json:"order_id" validate:"required,max=80"`
	LocationID  string           `json:"location_id" validate:"omitempty,max=63"`
	Currency    string           `json:"currency" validate:"required,len=3"`
	ContactUUID string           `json:"contact_uuid" validate:"omitempty,leat_id"`
	Lines       []lineRequest    `json:"lines" validate:"required,min=1,max=500,dive"`
	Rewards     []rewardRequest  `json:"rewards" validate:"max=20,dive"`
	Collect     []collectRequest `json:"collect" validate:"max=20,dive"`
	Vouchers    []voucherRequest `json:"vouchers" validate:"max=20,dive"`
	Tenders     []tenderRequest  `json:"tenders" validate:"max=10,dive"`
	// GiftcardSales and PrepaidTopUps name lines that sell Leat money.
	GiftcardSales []giftcardSaleRequest `json:"giftcard_sales" validate:"max=20,dive"`
	PrepaidTopUps []topUpRequest        `json:"prepaid_topups" validate:"max=1,dive"`
}

func linesOf(in []lineRequest) []ledger.Line {
	out := make([]ledger.Line, 0, len(in))
	for _, l := range in {
		out = append(out, ledger.Line{ID: l.ID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Category: l.Category})
	}
	return out
}

// bodyLocation lets a key serving several locations name one in the body;
// the key must still serve it, as with the Location-Id header.
func bodyLocation(r Request, named string) (tenancy.LocationID, error) {
	if named == "" {
		return r.Location, nil
	}
	location, err := tenancy.ParseLocationID(named)
	if err != nil {
		return "", Invalid("location_id", "format", "must be a location id (lower-case letters, digits and '-')")
	}
	if r.Location != "" && r.Location != location {
		return "", Invalid("location_id", "conflict", "differs from the Location-Id header")
	}
	return location, nil
}

// StartCheckout answers POST /v1/checkouts.
func StartCheckout(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		var body checkoutRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		location, err := bodyLocation(r, body.LocationID)
		if err != nil {
			return Response{}, err
		}
		cmd := checkout.StartCommand{
			Location: location, RequestKey: r.IdempotencyKey, OrderID: body.OrderID, Currency: body.Currency,
			ContactUUID: body.ContactUUID, Lines: linesOf(body.Lines),
		}
		for _, rw := range body.Rewards {
			cmd.Rewards = append(cmd.Rewards, checkout.RewardRequest{RewardUUID: rw.RewardUUID, Strategy: tenancy.RewardStrategy(rw.Strategy), LineIDs: rw.LineIDs})
		}
		for _, c := range body.Collect {
			cmd.Collects = append(cmd.Collects, checkout.CollectRequest{CollectableUUID: c.CollectableUUID, LineIDs: c.LineIDs})
		}
		for _, v := range body.Vouchers {
			cmd.Vouchers = append(cmd.Vouchers, checkout.VoucherRequest{Code: v.Code, Strategy: tenancy.VoucherStrategy(v.Strategy), LineIDs: v.LineIDs})
		}
		for _, s := range body.GiftcardSales {
			cmd.GiftcardSales = append(cmd.GiftcardSales, checkout.GiftcardSaleRequest{LineID: s.LineID, Code: s.Code, Digital: s.Digital, Email: s.Email})
		}
		for _, t := range body.PrepaidTopUps {
			cmd.PrepaidTopUps = append(cmd.PrepaidTopUps, t.LineID)
		}
		for _, t := range body.Tenders {
			cmd.Tenders = append(cmd.Tenders, checkout.TenderRequest{Type: ledger.TenderType(t.Type), Code: t.Code, Amount: t.Amount, AllowPartial: t.AllowPartial})
		}
		v, err := svc.Start(ctx, r.Principal, cmd)
		if err != nil {
			return Response{}, err
		}
		return settled(v, http.StatusCreated), nil
	}}
}

// settled answers a checkout the saga got to (status), or 202 while it is
// still on its way, pointing at where to read it.
func settled(v checkout.View, status int) Response {
	location := "/v1/checkouts/" + string(v.Checkout.ID)
	if !v.Settled {
		status = http.StatusAccepted
	}
	return Response{Status: status, Body: checkoutOf(v), Location: location}
}

// GetCheckout answers GET /v1/checkouts/{checkout_id}.
func GetCheckout(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Handle: func(ctx context.Context, r Request) (Response, error) {
		id, err := checkoutIDParam(r)
		if err != nil {
			return Response{}, err
		}
		v, err := svc.Get(ctx, r.Principal, r.Location, id)
		if err != nil {
			return Response{}, err
		}
		return OK(checkoutOf(v)), nil
	}}
}

func checkoutIDParam(r Request) (ledger.CheckoutID, error) {
	id, err := ledger.ParseCheckoutID(r.PathParam("checkout_id"))
	if err != nil {
		return "", Invalid("checkout_id", "format", "must be <location>.<order id> as the checkout was answered")
	}
	return id, nil
}

type paymentRequest struct {
	Outcome       string        `json:"outcome" validate:"required,oneof=paid failed"`
	Lines         []lineRequest `json:"lines" validate:"max=500,dive"`
	DiscountTotal *int64        `json:"discount_total" validate:"omitempty,gte=0,lte=500000000000000"`
}

// ReportPayment answers POST /v1/checkouts/{checkout_id}/payment.
func ReportPayment(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		id, err := checkoutIDParam(r)
		if err != nil {
			return Response{}, err
		}
		var body paymentRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		if body.Outcome != string(ledger.PaymentPaid) && (len(body.Lines) > 0 || body.DiscountTotal != nil) {
			return Response{}, Invalid("lines", "excluded", "only a paid outcome reports the final lines")
		}
		v, err := svc.ReportPayment(ctx, r.Principal, checkout.PaymentCommand{
			Location: r.Location, CheckoutID: id, Outcome: ledger.PaymentOutcome(body.Outcome),
			Lines: linesOf(body.Lines), DiscountTotal: body.DiscountTotal,
		})
		if err != nil {
			return Response{}, err
		}
		return settled(v, http.StatusOK), nil
	}}
}

// CancelCheckout answers POST /v1/checkouts/{checkout_id}/cancel.
func CancelCheckout(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		id, err := checkoutIDParam(r)
		if err != nil {
			return Response{}, err
		}
		v, err := svc.ReportPayment(ctx, r.Principal, checkout.PaymentCommand{Location: r.Location, CheckoutID: id, Outcome: ledger.PaymentCancelled})
		if err != nil {
			return Response{}, err
		}
		return settled(v, http.StatusOK), nil
	}}
}

type tenderTakenJSON struct {
	Tender tenderJSON `json:"tender"`
	// Due is what the POS still charges after every tender taken so far.
	Due      int64        `json:"due"`
	Checkout checkoutJSON `json:"checkout"`
}

// AddTender answers POST /v1/checkouts/{checkout_id}/tenders.
func AddTender(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		id, err := checkoutIDParam(r)
		if err != nil {
			return Response{}, err
		}
		var body tenderRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		taken, err := svc.AddTender(ctx, r.Principal, checkout.TenderCommand{
			Location: r.Location, CheckoutID: id, RequestKey: r.IdempotencyKey,
			Tender: checkout.TenderRequest{Type: ledger.TenderType(body.Type), Code: body.Code, Amount: body.Amount, AllowPartial: body.AllowPartial},
		})
		if err != nil {
			return Response{}, err
		}
		view := checkoutOf(taken.View)
		// The saga counts the new tender into the checkout's totals only
		// after answering it, so the answer counts it itself.
		view.Totals.Tendered = 0
		for _, t := range view.Tenders {
			view.Totals.Tendered += t.Taken
		}
		view.Totals.Due = view.Totals.Lines - view.Totals.Discounts - view.Totals.Tendered
		out := tenderTakenJSON{Checkout: view, Due: view.Totals.Due}
		for _, t := range view.Tenders {
			if t.Source == taken.Step.Item() {
				out.Tender = t
			}
		}
		status := http.StatusCreated
		if !taken.View.Settled {
			status = http.StatusAccepted
		}
		return Response{Status: status, Body: out, Location: "/v1/checkouts/" + string(id)}, nil
	}}
}

type customerRequest struct {
	Identifier  string `json:"identifier" validate:"required_without_all=Email ContactUUID,excluded_with=Email ContactUUID,omitempty,max=255"`
	Email       string `json:"email" validate:"omitempty,excluded_with=ContactUUID,email,max=255"`
	ContactUUID string `json:"contact_uuid" validate:"omitempty,leat_id"`
}

// AttachCustomer answers POST /v1/orders/{order_id}/customer.
func AttachCustomer(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		var body customerRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		v, err := svc.AttachCustomer(ctx, r.Principal, checkout.CustomerCommand{
			Location: r.Location, OrderID: r.PathParam("order_id"),
			Identifier: body.Identifier, Email: body.Email, ContactUUID: body.ContactUUID,
		})
		if err != nil {
			return Response{}, err
		}
		return OK(checkoutOf(v)), nil
	}}
}

type claimLinkJSON struct {
	URL      string `json:"url"`
	UniqueID string `json:"unique_id"`
	Amount   int64  `json:"amount"`
}

// IssueClaimLink answers POST /v1/orders/{order_id}/claim-link.
func IssueClaimLink(svc *checkout.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		link, err := svc.IssueClaimLink(ctx, r.Principal, r.Location, r.PathParam("order_id"))
		if err != nil {
			return Response{}, err
		}
		return OK(claimLinkJSON{URL: link.URL, UniqueID: link.UniqueID, Amount: link.Amount}), nil
	}}
}

type checkoutJSON struct {
	CheckoutID      string             `json:"checkout_id"`
	OrderID         string             `json:"order_id"`
	Status          string             `json:"status"`
	ContactUUID     *string            `json:"contact_uuid"`
	Currency        string             `json:"currency"`
	Discounts       []checkoutDiscount `json:"discounts"`
	Tenders         []tenderJSON       `json:"tenders"`
	Totals          ledger.Totals      `json:"totals"`
	PaymentDeadline *time.Time         `json:"payment_deadline"`
	Steps           []stepJSON         `json:"steps"`
	Refusal         *ledger.Refusal    `json:"refusal,omitempty"`
	Result          *resultJSON        `json:"result,omitempty"`
	ClaimURL        string             `json:"claim_url,omitempty"`
	// Retries are the operators' retries of its settlement, oldest first.
	Retries []ledger.OperatorRetry `json:"retries,omitempty"`
}

type checkoutDiscount struct {
	Source   string       `json:"source"`
	UUID     string       `json:"uuid"`
	Title    string       `json:"title"`
	Kind     string       `json:"kind"`
	Discount discountJSON `json:"discount"`
	LineIDs  []string     `json:"line_ids"`
	// Amount is null when the POS computes it (a rule of its own).
	Amount     *int64 `json:"amount"`
	ComputedBy string `json:"computed_by"`
}

// tenderJSON is a Leat tender: what the POS asked for and what was taken.
type tenderJSON struct {
	Source    string `json:"source"`
	Type      string `json:"type"`
	Code      string `json:"code,omitempty"`
	Requested int64  `json:"requested"`
	Taken     int64  `json:"taken"`
	// BalanceAfter is the card's or the prepaid balance after the debit.
	BalanceAfter *int64 `json:"balance_after"`
	State        string `json:"state"`
}

type stepJSON struct {
	ID       string  `json:"id"`
	Kind     string  `json:"kind"`
	Item     string  `json:"item"`
	State    string  `json:"state"`
	LeatUUID *string `json:"leat_uuid"`
	Points   *int64  `json:"points,omitempty"`
	Code     string  `json:"code,omitempty"`
	// Detail says why a step needs an operator.
	Detail string `json:"detail,omitempty"`
}

func stepOf(s ledger.Step) stepJSON {
	sj := stepJSON{ID: string(s.ID), Kind: string(s.Kind()), Item: s.Item(), State: string(s.State), Code: s.FailureCode}
	if s.LeatUUID != "" {
		sj.LeatUUID = &s.LeatUUID
	}
	if s.State == ledger.StepNeedsAttention {
		sj.Detail = s.Failure
	}
	if s.Details.Points != 0 {
		sj.Points = &s.Details.Points
	}
	return sj
}

type resultJSON struct {
	OrderUUID     string         `json:"order_uuid,omitempty"`
	PointsEarned  *int64         `json:"points_earned"`
	PointsBalance *int64         `json:"points_balance"`
	Redeemed      []string       `json:"redeemed"`
	Kept          []string       `json:"kept_collectable"`
	Giftcards     []soldCardJSON `json:"giftcards_sold"`
	// PrepaidBalance is the customer's prepaid balance after a top-up.
	PrepaidBalance *int64 `json:"prepaid_balance,omitempty"`
}

// soldCardJSON is a card the checkout loaded, for the receipt.
type soldCardJSON struct {
	Source     string `json:"source"`
	Code       string `json:"code"`
	Balance    int64  `json:"balance"`
	BalanceURL string `json:"balance_url,omitempty"`
	Emailed    bool   `json:"emailed"`
}

func checkoutOf(v checkout.View) checkoutJSON {
	c := v.Checkout
	out := checkoutJSON{
		CheckoutID: string(c.ID), OrderID: c.POSOrderID, Status: string(c.Status), Currency: string(c.Currency),
		Totals: c.Totals, Discounts: []checkoutDiscount{}, Tenders: tendersOf(c, v.Steps), Steps: []stepJSON{},
		Refusal: c.Refusal, ClaimURL: v.ClaimURL, Retries: c.Retries,
	}
	if c.ContactUUID != "" {
		out.ContactUUID = &c.ContactUUID
	}
	if !c.PaymentDeadline.IsZero() {
		out.PaymentDeadline = &c.PaymentDeadline
	}
	for _, d := range c.Discounts {
		cd := checkoutDiscount{
			Source: d.Source, UUID: d.UUID, Title: d.Title, Kind: sourceKind(d.Source), Discount: discountOf(d.Discount),
			LineIDs: d.LineIDs, Amount: d.Amount, ComputedBy: "gateway",
		}
		if d.Amount == nil {
			cd.ComputedBy = "pos"
		}
		if cd.LineIDs == nil {
			cd.LineIDs = []string{}
		}
		out.Discounts = append(out.Discounts, cd)
	}
	var redeemed, kept []string
	for _, s := range v.Steps {
		out.Steps = append(out.Steps, stepOf(s))
		if s.State == ledger.StepDone && (s.Kind() == ledger.StepRewardReception || s.Kind() == ledger.StepRewardCollection || s.Kind() == ledger.StepVoucherRedemption) {
			redeemed = append(redeemed, s.Item())
		}
		if s.State == ledger.StepDone && c.Status == ledger.CheckoutCancelled && s.Kind() == ledger.StepRewardReception {
			kept = append(kept, s.Item())
		}
	}
	if c.Result != nil || c.Status == ledger.CheckoutCompleted {
		out.Result = &resultJSON{Redeemed: nonNil(redeemed), Kept: []string{}, Giftcards: []soldCardJSON{}}
		for _, s := range v.Steps {
			switch {
			case s.State != ledger.StepDone:
			case s.Kind() == ledger.StepGiftcardLoad:
				out.Result.Giftcards = append(out.Result.Giftcards, soldCardJSON{
					Source: s.Item(), Code: s.Details.GiftcardCode, Balance: s.Details.Amount,
					BalanceURL: s.Details.BalanceURL, Emailed: s.Details.Emailed,
				})
			case s.Kind() == ledger.StepPrepaidTopUp:
				out.Result.PrepaidBalance = s.Details.BalanceAfter
			}
		}
		if c.Result != nil {
			out.Result.OrderUUID, out.Result.PointsEarned, out.Result.PointsBalance = c.Result.OrderUUID, c.Result.PointsEarned, c.Result.PointsBalance
		}
	} else if len(kept) > 0 {
		out.Result = &resultJSON{Redeemed: []string{}, Kept: kept, Giftcards: []soldCardJSON{}}
	}
	return out
}

func tendersOf(c ledger.Checkout, steps []ledger.Step) []tenderJSON {
	out := []tenderJSON{}
	for i, t := range c.Basket.Tenders {
		source := fmt.Sprintf("tenders[%d]", i)
		tj := tenderJSON{Source: source, Type: string(t.Type), Code: t.Code, Requested: t.Amount, State: "not_taken"}
		for _, s := range steps {
			if s.Item() != source {
				continue
			}
			tj.State = string(s.State)
			if s.State == ledger.StepDone {
				tj.Taken, tj.BalanceAfter = s.Details.Amount, s.Details.BalanceAfter
			}
		}
		out = append(out, tj)
	}
	return out
}

func sourceKind(source string) string {
	for _, k := range []struct{ prefix, kind string }{{"rewards[", "reward"}, {"collect[", "collectable_reward"}, {"vouchers[", "voucher"}} {
		if strings.HasPrefix(source, k.prefix) {
			return k.kind
		}
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
