package api

import (
	"context"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

type portalSessionRequest struct {
	Kind                      string `json:"kind" validate:"required,oneof=default credit_reception redeem_giftcards top_up_giftcards pay_prepaid top_up_prepaid vouchers"`
	ContactUUID               string `json:"contact_uuid" validate:"omitempty,leat_id"`
	Amount                    int64  `json:"amount" validate:"gte=0,lte=100000000"`
	EnableEmailIdentification bool   `json:"enable_email_identification"`
	EnableRegistration        bool   `json:"enable_registration"`
}

type portalSessionJSON struct {
	UUID        string    `json:"uuid"`
	URL         string    `json:"url"`
	Kind        string    `json:"kind"`
	ContactUUID string    `json:"contact_uuid,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// OpenPortalSession answers POST /v1/portal-sessions.
func OpenPortalSession(svc *loyalty.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Idempotent: true, Handle: func(ctx context.Context, r Request) (Response, error) {
		var body portalSessionRequest
		if err := r.Decode(&body); err != nil {
			return Response{}, err
		}
		if body.Kind == string(loyalty.PortalRedeemGiftcards) && body.Amount == 0 {
			return Response{}, Invalid("amount", "required", "is required to redeem giftcards (minor units)")
		}
		s, err := svc.OpenPortalSession(ctx, r.Principal, loyalty.PortalSessionCommand{
			Location: r.Location, Kind: loyalty.PortalSessionKind(body.Kind), ContactUUID: body.ContactUUID,
			AmountMinor: body.Amount, EnableEmailIdentification: body.EnableEmailIdentification,
			EnableRegistration: body.EnableRegistration,
		})
		if err != nil {
			return Response{}, err
		}
		return Created(portalSessionJSON{UUID: s.UUID, URL: s.URL, Kind: string(s.Kind), ContactUUID: s.ContactUUID, CreatedAt: s.CreatedAt},
			"/v1/portal-sessions/"+s.UUID), nil
	}}
}
