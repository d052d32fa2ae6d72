package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

type identifyRequest struct {
	Identifier string `json:"identifier" validate:"required_without=Email,excluded_with=Email,omitempty,max=255"`
	Email      string `json:"email" validate:"omitempty,email,max=255"`
}

// IdentifyCustomer answers POST /v1/customers/identify; with
// ?include=overview the answer carries the customer's overview too.
func IdentifyCustomer(svc *loyalty.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, ReadOnly: identifiesByCard, Handle: func(ctx context.Context, r Request) (Response, error) {
		var body identifyRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		cmd := loyalty.IdentifyCommand{Location: r.Location, Identifier: body.Identifier, Email: body.Email}
		var (
			id       loyalty.Identification
			overview *overviewJSON
			err      error
		)
		switch include := r.Query("include"); include {
		case "":
			id, err = svc.Identify(ctx, r.Principal, cmd)
		case "overview":
			var o loyalty.Overview
			id, o, err = svc.IdentifyWithOverview(ctx, r.Principal, cmd)
			out := overviewOf(o)
			overview = &out
		default:
			return Response{}, Invalid("include", "oneof", "must be overview")
		}
		if err != nil {
			return Response{}, err
		}
		out := identificationJSON{Contact: contactOf(id.Customer), Overview: overview}
		if id.Identifier != nil {
			out.Identifier = &identifierJSON{Value: id.Identifier.Value, Name: id.Identifier.Name}
		}
		return OK(out), nil
	}}
}

// identifiesByCard tells a scan, which only reads Leat, from an email,
// which may create the customer.
func identifiesByCard(r Request) bool {
	var body identifyRequest
	return json.Unmarshal(r.body, &body) == nil && body.Email == "" && body.Identifier != ""
}

// CustomerOverview answers GET /v1/customers/{contact_uuid}.
func CustomerOverview(svc *loyalty.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Handle: func(ctx context.Context, r Request) (Response, error) {
		uuid, err := leatUUIDParam(r, "contact_uuid")
		if err != nil {
			return Response{}, err
		}
		o, err := svc.Overview(ctx, r.Principal, r.Location, uuid)
		if err != nil {
			return Response{}, err
		}
		return OK(overviewOf(o)), nil
	}}
}

func overviewOf(o loyalty.Overview) overviewJSON {
	out := overviewJSON{Contact: contactOf(o.Customer), Rewards: []rewardJSON{}, Offers: []offerJSON{}, OffersTruncated: o.OffersTruncated}
	for _, opt := range o.Rewards {
		out.Rewards = append(out.Rewards, rewardJSON{
			UUID: opt.Reward.UUID, Title: opt.Reward.Title, Description: opt.Reward.Description,
			RequiredPoints: opt.Reward.RequiredPoints, ImageURL: opt.Reward.ImageURL, Type: rewardType(opt.Reward),
			PreRedeemable: opt.Reward.PreRedeemable, Affordable: opt.Affordable, PointsNeeded: opt.PointsNeeded,
			Discount: discountOf(opt.Discount),
		})
	}
	for _, offer := range o.Offers {
		out.Offers = append(out.Offers, offerJSON{
			Kind: string(offer.Kind), UUID: offer.UUID, Code: offer.Code, Title: offer.Title,
			Description: offer.Description, ExpiresAt: offer.ExpiresAt, Discount: discountOf(offer.Discount),
		})
	}
	return out
}

type identificationJSON struct {
	Contact    contactJSON     `json:"contact"`
	Identifier *identifierJSON `json:"identifier,omitempty"`
	Overview   *overviewJSON   `json:"overview,omitempty"`
}

type identifierJSON struct {
	Value string `json:"value"`
	Name  string `json:"name"`
}

type contactJSON struct {
	UUID           string      `json:"uuid"`
	Email          string      `json:"email"`
	Tier           *tierJSON   `json:"tier"`
	Points         int64       `json:"points"`
	PrepaidBalance money.Money `json:"prepaid_balance"`
}

type tierJSON struct {
	UUID     string `json:"uuid"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

func contactOf(c loyalty.Customer) contactJSON {
	out := contactJSON{UUID: c.UUID, Email: c.Email, Points: c.Points, PrepaidBalance: c.Prepaid}
	if c.Tier != nil {
		out.Tier = &tierJSON{UUID: c.Tier.UUID, Name: c.Tier.Name, Position: c.Tier.Position}
	}
	return out
}

type overviewJSON struct {
	Contact         contactJSON  `json:"contact"`
	Rewards         []rewardJSON `json:"rewards"`
	Offers          []offerJSON  `json:"offers"`
	OffersTruncated bool         `json:"offers_truncated"`
}

type rewardJSON struct {
	UUID           string       `json:"uuid"`
	Title          string       `json:"title"`
	Description    string       `json:"description"`
	RequiredPoints int64        `json:"required_points"`
	ImageURL       string       `json:"image_url,omitempty"`
	Type           string       `json:"type"`
	PreRedeemable  bool         `json:"pre_redeemable"`
	Affordable     bool         `json:"affordable"`
	PointsNeeded   int64        `json:"points_needed"`
	Discount       discountJSON `json:"discount"`
}

func rewardType(r loyalty.Reward) string {
	if r.Physical {
		return "physical"
	}
	return "digital"
}

type offerJSON struct {
	Kind        string       `json:"kind"`
	UUID        string       `json:"uuid"`
	Code        string       `json:"code,omitempty"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	ExpiresAt   *time.Time   `json:"expires_at"`
	Discount    discountJSON `json:"discount"`
}

type discountJSON struct {
	Kind                  string       `json:"kind"`
	RuleID                string       `json:"rule_id,omitempty"`
	PercentageBasisPoints int64        `json:"percentage_basis_points,omitempty"`
	Amount                *money.Money `json:"amount,omitempty"`
	ProductCodes          []string     `json:"product_codes,omitempty"`
	Category              string       `json:"category,omitempty"`
	Problem               string       `json:"problem,omitempty"`
}

func discountOf(d loyalty.Discount) discountJSON {
	out := discountJSON{
		Kind: string(d.Kind), RuleID: d.RuleID, PercentageBasisPoints: d.PercentageBasisPoints,
		ProductCodes: d.ProductCodes, Category: d.Category, Problem: d.Problem,
	}
	if d.Kind == loyalty.DiscountAmount {
		out.Amount = &d.Amount
	}
	return out
}

// leatUUIDParam reads a Leat id from the path.
func leatUUIDParam(r Request, name string) (string, error) {
	v := r.PathParam(name)
	if !isLeatID(v) {
		return "", Invalid(name, "leat_id", "must be a Leat id (letters, digits and '-')")
	}
	return v, nil
}
