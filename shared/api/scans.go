package api

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// ScanVoucher answers GET /v1/vouchers/{code}.
func ScanVoucher(svc *loyalty.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Handle: func(ctx context.Context, r Request) (Response, error) {
		code, err := scannedCodeParam(r)
		if err != nil {
			return Response{}, err
		}
		contactUUID, err := leatIDQuery(r, "contact_uuid")
		if err != nil {
			return Response{}, err
		}
		scan, err := svc.ScanVoucher(ctx, r.Principal, loyalty.VoucherScanCommand{Location: r.Location, Code: code, ContactUUID: contactUUID})
		if err != nil {
			return Response{}, err
		}
		v := scan.Voucher
		out := voucherScanJSON{
			Voucher: voucherJSON{
				UUID: v.UUID, Code: v.Code, Name: v.Name, Description: v.Description, Status: string(v.Status),
				ExpiresAt: v.ExpiresAt, RedemptionsRemaining: v.RedemptionsRemaining,
				Promotion: promotionJSON{UUID: v.PromotionUUID, Name: v.PromotionName},
			},
			Discount: discountOf(scan.Discount), Usable: scan.Usable, Reason: scan.Reason, RequiresCustomer: scan.RequiresCustomer,
		}
		if v.ContactUUID != "" {
			// Whoever scans a voucher at the till sees whose it is, not their address.
			out.Voucher.Contact = &contactRefJSON{UUID: v.ContactUUID, Email: maskEmail(v.ContactEmail)}
		}
		return OK(out), nil
	}}
}

// ScanGiftcard answers GET /v1/giftcards/{code}.
func ScanGiftcard(svc *loyalty.Service) Route {
	return Route{Scope: tenancy.ScopePOS, Handle: func(ctx context.Context, r Request) (Response, error) {
		code, err := scannedCodeParam(r)
		if err != nil {
			return Response{}, err
		}
		scan, err := svc.ScanGiftcard(ctx, r.Principal, r.Location, code)
		if err != nil {
			return Response{}, err
		}
		g := scan.Giftcard
		out := giftcardScanJSON{
			Giftcard: giftcardJSON{
				UUID: g.UUID, Code: g.Code, Type: "digital", Balance: g.Balance, Active: g.Active, ExpiresAt: g.ExpiresAt,
				Program: programJSON{UUID: g.ProgramUUID, Name: g.ProgramName},
			},
			Sellable: scan.Sellable, Payable: scan.Payable, Reason: scan.Reason,
		}
		if g.Physical {
			out.Giftcard.Type = "physical"
		}
		if !g.MaxBalance.IsZero() {
			out.Giftcard.Program.MaxBalance = &g.MaxBalance
		}
		return OK(out), nil
	}}
}

// scannedCodeParam reads a scanned code from the path: what a scanner reads is
// printable ASCII, and anything longer than a QR payload is a mistake.
func scannedCodeParam(r Request) (string, error) {
	code := r.PathParam("code")
	if code == "" || len(code) > 255 || !printableASCII(code) {
		return "", Invalid("code", "format", "must be 1 to 255 printable ASCII characters")
	}
	return code, nil
}

// leatIDQuery reads an optional Leat id from the query string.
func leatIDQuery(r Request, name string) (string, error) {
	v := r.Query(name)
	if v != "" && !isLeatID(v) {
		return "", Invalid(name, "leat_id", "must be a Leat id (letters, digits and '-')")
	}
	return v, nil
}

func printableASCII(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

type voucherScanJSON struct {
	Voucher          voucherJSON  `json:"voucher"`
	Discount         discountJSON `json:"discount"`
	Usable           bool         `json:"usable"`
	Reason           string       `json:"reason,omitempty"`
	RequiresCustomer bool         `json:"requires_customer"`
}

type voucherJSON struct {
	UUID                 string          `json:"uuid"`
	Code                 string          `json:"code"`
	Name                 string          `json:"name"`
	Description          string          `json:"description"`
	Status               string          `json:"status"`
	ExpiresAt            *time.Time      `json:"expires_at"`
	RedemptionsRemaining *int64          `json:"redemptions_remaining"`
	Contact              *contactRefJSON `json:"contact"`
	Promotion            promotionJSON   `json:"promotion"`
}

type contactRefJSON struct {
	UUID  string `json:"uuid"`
	Email string `json:"email"`
}

type promotionJSON struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type giftcardScanJSON struct {
	Giftcard giftcardJSON `json:"giftcard"`
	Sellable bool         `json:"sellable"`
	Payable  bool         `json:"payable"`
	Reason   string       `json:"reason,omitempty"`
}

type giftcardJSON struct {
	UUID      string      `json:"uuid"`
	Code      string      `json:"code"`
	Type      string      `json:"type"`
	Balance   money.Money `json:"balance"`
	Active    bool        `json:"active"`
	ExpiresAt *time.Time  `json:"expires_at"`
	Program   programJSON `json:"program"`
}

type programJSON struct {
	UUID       string       `json:"uuid"`
	Name       string       `json:"name"`
	MaxBalance *money.Money `json:"max_balance,omitempty"`
}

// maskEmail keeps an address's first character and its domain:
// "anna.jansen@example.com" is "a***@example.com".
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "***"
	}
	_, size := utf8.DecodeRuneInString(local)
	return local[:size] + "***@" + domain
}
