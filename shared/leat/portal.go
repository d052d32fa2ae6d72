package leat

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// PortalSessionKind picks the flow a portal session runs on the customer-facing screen.
type PortalSessionKind string

const (
	// PortalSessionGeneral identifies the customer and shows the loyalty overview.
	PortalSessionGeneral PortalSessionKind = ""
	// PortalSessionCreditReception awards points; set UnitValue.
	PortalSessionCreditReception PortalSessionKind = "credit-reception"
	// PortalSessionRedeemGiftcards pays with giftcards; set AmountInCents.
	PortalSessionRedeemGiftcards PortalSessionKind = "redeem-giftcards"
	PortalSessionTopUpGiftcards  PortalSessionKind = "top-up-giftcards"
	PortalSessionPayPrepaid      PortalSessionKind = "pay-prepaid"
	PortalSessionTopUpPrepaid    PortalSessionKind = "top-up-prepaid"
	PortalSessionVouchers        PortalSessionKind = "vouchers"
)

// PortalSessionRequest creates a portal session. Optional fields left zero take Leat's
// defaults.
type PortalSessionRequest struct {
	Kind PortalSessionKind `json:"-"`

	ShopUUID    string `json:"shop_uuid"`
	ContactUUID string `json:"contact_uuid,omitempty"`
	// ScannerType is "camera" (default) or "hand_scanner".
	ScannerType               string `json:"scanner_type,omitempty"`
	EnableEmailIdentification *bool  `json:"enable_email_identification,omitempty"`
	EnableRegistration        *bool  `json:"enable_registration,omitempty"`
	EnableOnScreenKeyboard    *bool  `json:"enable_on_screen_keyboard,omitempty"`
	// CameraService is 1, 2 or 3 (default).
	CameraService int `json:"camera_service,omitempty"`
	// FacingMode is "user" (default) or "environment".
	FacingMode string `json:"facing_mode,omitempty"`
	// PrimaryIdentificationMethod is "identifier" (default) or "email".
	PrimaryIdentificationMethod string `json:"primary_identification_method,omitempty"`

	// UnitValue is for PortalSessionCreditReception only.
	UnitValue UnitValue `json:"unit_value,omitzero"`
	// AmountInCents (required) and AllowMultipleGiftcards (default true) are for
	// PortalSessionRedeemGiftcards only.
	AmountInCents          int64 `json:"amount_in_cents,omitempty"`
	AllowMultipleGiftcards *bool `json:"allow_multiple_giftcards,omitempty"`
}

func (r PortalSessionRequest) validate() error {
	switch r.Kind {
	case PortalSessionGeneral, PortalSessionCreditReception, PortalSessionRedeemGiftcards,
		PortalSessionTopUpGiftcards, PortalSessionPayPrepaid, PortalSessionTopUpPrepaid, PortalSessionVouchers:
	default:
		return fmt.Errorf("%w: unknown portal session kind %q", ErrInvalidArgument, r.Kind)
	}
	if r.Kind != PortalSessionCreditReception && !r.UnitValue.IsZero() {
		return fmt.Errorf("%w: UnitValue is for credit-reception sessions only", ErrInvalidArgument)
	}
	if r.Kind == PortalSessionRedeemGiftcards && r.AmountInCents <= 0 {
		return fmt.Errorf("%w: redeem-giftcards sessions need a positive AmountInCents", ErrInvalidArgument)
	}
	if r.Kind != PortalSessionRedeemGiftcards && (r.AmountInCents != 0 || r.AllowMultipleGiftcards != nil) {
		return fmt.Errorf("%w: AmountInCents and AllowMultipleGiftcards are for redeem-giftcards sessions only", ErrInvalidArgument)
	}
	return nil
}

// PortalSession is a Leat-hosted screen flow; show URL on the customer-facing display.
type PortalSession struct {
	UUID    string          `json:"uuid"`
	URL     string          `json:"url"`
	Contact *ContactSummary `json:"contact"`
	Shop    Shop            `json:"shop"`
	// Events is what happened in the session; Leat does not document the payloads.
	Events    []json.RawMessage `json:"events"`
	CreatedAt time.Time         `json:"created_at"`
}

// CreatePortalSession starts a portal session of req.Kind. It fails with
// CodeContactNotFound, CodeShopNotFound or CodeInvalidInput.
func (c *Client) CreatePortalSession(ctx context.Context, req PortalSessionRequest) (*PortalSession, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	path := "/portal-sessions"
	if req.Kind != PortalSessionGeneral {
		path += "/" + string(req.Kind)
	}
	return fetch[PortalSession](ctx, c, post(path).body(req))
}

// GetPortalSession returns a portal session (without its events).
func (c *Client) GetPortalSession(ctx context.Context, sessionUUID string) (*PortalSession, error) {
	return fetch[PortalSession](ctx, c, get("/portal-sessions/%s", sessionUUID))
}
