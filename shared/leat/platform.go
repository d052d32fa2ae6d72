package leat

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
)

var _ loyalty.Platform = (*Platform)(nil)

// Platform is one Leat account as the loyalty domain sees it: it calls the
// client and translates Leat's shapes and error codes into domain terms.
type Platform struct {
	client   *Client
	currency money.Currency
	// accountSecret signs loyalty token URLs; empty when not configured.
	accountSecret string
}

// NewPlatform adapts a client of an account whose money is in currency;
// accountSecret (may be empty) signs the account's loyalty token URLs.
func NewPlatform(c *Client, currency money.Currency, accountSecret string) *Platform {
	return &Platform{client: c, currency: currency, accountSecret: accountSecret}
}

// FindIdentifier looks up a scanned card or QR value.
func (p *Platform) FindIdentifier(ctx context.Context, value string) (loyalty.Identifier, error) {
	id, err := p.client.FindContactIdentifier(ctx, value)
	if err != nil {
		return loyalty.Identifier{}, translate(err)
	}
	out := loyalty.Identifier{Value: id.Value, Name: id.Name, Active: id.Active}
	if id.Contact != nil {
		out.ContactUUID = id.Contact.UUID
	}
	return out, nil
}

// FindOrCreateCustomer finds the contact with this email, creating it if needed.
func (p *Platform) FindOrCreateCustomer(ctx context.Context, email string) (loyalty.Customer, error) {
	c, err := p.client.FindOrCreateContact(ctx, email)
	if err != nil {
		return loyalty.Customer{}, translate(err)
	}
	return p.customer(c), nil
}

// Customer loads a contact with its tier and balances.
func (p *Platform) Customer(ctx context.Context, uuid string) (loyalty.Customer, error) {
	c, err := p.client.GetContact(ctx, uuid)
	if err != nil {
		return loyalty.Customer{}, translate(err)
	}
	return p.customer(c), nil
}

func (p *Platform) customer(c *Contact) loyalty.Customer {
	out := loyalty.Customer{
		UUID: c.UUID, Email: c.Email, Points: c.CreditBalance.Balance,
		Prepaid: money.Money{Amount: c.PrepaidBalance.BalanceInCents, Currency: p.currency},
	}
	// Leat sends an empty tier object for contacts without one.
	if c.Tier != nil && c.Tier.Name != "" {
		out.Tier = &loyalty.Tier{UUID: c.Tier.UUID, Name: c.Tier.Name, Position: c.Tier.Position}
	}
	return out
}

// Rewards lists what the contact can claim at the shop.
func (p *Platform) Rewards(ctx context.Context, contactUUID, shopUUID string) ([]loyalty.Reward, error) {
	rewards, err := p.client.ListRewards(ctx, ListRewardsRequest{ContactUUID: contactUUID, ShopUUID: shopUUID})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]loyalty.Reward, 0, len(rewards))
	for _, r := range rewards {
		if r.IsActive {
			out = append(out, reward(r))
		}
	}
	return out, nil
}

func reward(r Reward) loyalty.Reward {
	out := loyalty.Reward{
		UUID: r.UUID, Title: r.Title, Description: r.Description, RequiredPoints: r.RequiredCredits,
		Physical: r.Type == RewardPhysical, PreRedeemable: r.PreRedeemable, Attributes: r.Attributes,
	}
	if r.Media != nil {
		out.ImageURL = r.Media.Value
	}
	return out
}

// maxVoucherPages bounds how much of a contact's voucher list a till waits
// for; no real customer holds this many active vouchers, and one who does is
// told so rather than shown a list that looks whole.
const maxVoucherPages = 5

// ActiveVouchers lists the contact's vouchers that Leat reports active, up
// to maxVoucherPages pages; more tells that Leat holds others.
func (p *Platform) ActiveVouchers(ctx context.Context, contactUUID string) (vouchers []loyalty.Voucher, more bool, err error) {
	for page := 1; page <= maxVoucherPages; page++ {
		res, err := p.client.ListVouchers(ctx, ListVouchersRequest{ContactUUID: contactUUID, Status: VoucherActive, Page: page, Limit: 100})
		if err != nil {
			return nil, false, translate(err)
		}
		for _, v := range res.Items {
			vouchers = append(vouchers, voucher(v))
		}
		if !res.HasNext() {
			return vouchers, false, nil
		}
	}
	return vouchers, true, nil
}

// CollectableRewards lists the contact's claimed rewards waiting to be collected.
func (p *Platform) CollectableRewards(ctx context.Context, contactUUID string) ([]loyalty.CollectableReward, error) {
	items, err := p.client.ListCollectableRewards(ctx, contactUUID)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]loyalty.CollectableReward, 0, len(items))
	for _, c := range items {
		cr := loyalty.CollectableReward{UUID: c.UUID, Title: c.Title, ExpiresAt: optionalTime(c.ExpiresAt), Collected: c.HasBeenCollected}
		if c.Reward != nil {
			cr.Reward = reward(*c.Reward)
		}
		out = append(out, cr)
	}
	return out, nil
}

// VoucherByCode looks a voucher up by its code.
func (p *Platform) VoucherByCode(ctx context.Context, code string) (loyalty.Voucher, error) {
	v, err := p.client.FindVoucher(ctx, code)
	if err != nil {
		return loyalty.Voucher{}, translate(err)
	}
	return voucher(*v), nil
}

// ValidateVoucher asks Leat whether the voucher can be redeemed now at the
// shop by the contact; an empty contact leaves the voucher's own.
func (p *Platform) ValidateVoucher(ctx context.Context, voucherUUID, shopUUID, contactUUID string) error {
	err := p.client.ValidateVoucher(ctx, ValidateVoucherRequest{VoucherUUID: voucherUUID, ShopUUID: shopUUID, ContactUUID: contactUUID})
	if err != nil {
		return translate(err)
	}
	return nil
}

func voucher(v Voucher) loyalty.Voucher {
	out := loyalty.Voucher{
		UUID: v.UUID, Code: v.Code, Name: v.Name, Description: v.Description, Status: loyalty.VoucherStatus(v.Status),
		ExpiresAt: optionalTime(v.ExpirationDate), RedemptionsRemaining: v.RedemptionsRemaining,
		PromotionUUID: v.Promotion.UUID, PromotionName: v.Promotion.Name, Attributes: v.Attributes,
	}
	if v.Contact != nil {
		out.ContactUUID, out.ContactEmail = v.Contact.UUID, v.Contact.Email
	}
	return out
}

// GiftcardByCode looks a giftcard up by the code on the card.
func (p *Platform) GiftcardByCode(ctx context.Context, code string) (loyalty.Giftcard, error) {
	g, err := p.client.FindGiftcard(ctx, code)
	if err != nil {
		return loyalty.Giftcard{}, translate(err)
	}
	return p.giftcard(*g), nil
}

func (p *Platform) giftcard(g Giftcard) loyalty.Giftcard {
	return loyalty.Giftcard{
		UUID: g.UUID, Code: g.Hash, Physical: strings.EqualFold(g.Type, "PHYSICAL"), Active: g.Active,
		Balance:     money.Money{Amount: g.AmountInCents, Currency: p.currency},
		ExpiresAt:   optionalTime(g.ExpirationDate),
		ProgramUUID: g.Program.UUID, ProgramName: g.Program.Name,
		MaxBalance: money.Money{Amount: g.Program.MaxAmountInCents, Currency: p.currency},
		BalanceURL: g.URL,
	}
}

var portalKinds = map[loyalty.PortalSessionKind]PortalSessionKind{
	loyalty.PortalDefault:         PortalSessionGeneral,
	loyalty.PortalCreditReception: PortalSessionCreditReception,
	loyalty.PortalRedeemGiftcards: PortalSessionRedeemGiftcards,
	loyalty.PortalTopUpGiftcards:  PortalSessionTopUpGiftcards,
	loyalty.PortalPayPrepaid:      PortalSessionPayPrepaid,
	loyalty.PortalTopUpPrepaid:    PortalSessionTopUpPrepaid,
	loyalty.PortalVouchers:        PortalSessionVouchers,
}

// OpenPortalSession opens one of Leat's hosted flows.
func (p *Platform) OpenPortalSession(ctx context.Context, r loyalty.PortalSessionRequest) (loyalty.PortalSession, error) {
	kind, ok := portalKinds[r.Kind]
	if !ok {
		return loyalty.PortalSession{}, fmt.Errorf("%w: portal session kind %q", loyalty.ErrInvalid, r.Kind)
	}
	req := PortalSessionRequest{
		Kind: kind, ShopUUID: r.ShopUUID, ContactUUID: r.ContactUUID,
		EnableEmailIdentification: &r.EnableEmailIdentification, EnableRegistration: &r.EnableRegistration,
	}
	switch kind {
	case PortalSessionRedeemGiftcards:
		req.AmountInCents = r.Amount.Amount
	case PortalSessionCreditReception:
		if r.Amount.Amount > 0 {
			req.UnitValue = UnitValueFromCents(r.Amount.Amount)
		}
	}
	s, err := p.client.CreatePortalSession(ctx, req)
	if err != nil {
		return loyalty.PortalSession{}, translate(err)
	}
	out := loyalty.PortalSession{UUID: s.UUID, URL: s.URL, Kind: r.Kind, CreatedAt: s.CreatedAt}
	if s.Contact != nil {
		out.ContactUUID = s.Contact.UUID
	}
	return out, nil
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// domainErrors maps Leat's codes to the loyalty domain's errors.
var domainErrors = map[Code]error{
	CodeContactNotFound:               loyalty.ErrCustomerNotFound,
	CodeContactIdentifierNotFound:     loyalty.ErrIdentifierNotFound,
	CodeContactIdentifierInactive:     loyalty.ErrIdentifierInactive,
	CodeContactIdentifierNotLinked:    loyalty.ErrIdentifierNotLinked,
	CodeVoucherNotFound:               loyalty.ErrVoucherNotFound,
	CodeGiftcardNotFound:              loyalty.ErrGiftcardNotFound,
	CodeShopNotFound:                  loyalty.ErrShopNotFound,
	CodeInvalidInput:                  loyalty.ErrInvalid,
	CodeShopNotLinkedToLoyaltyProgram: loyalty.ErrShopNotFound,
	CodeInsufficientCredits:           loyalty.ErrRewardNotAffordable,
	CodeRewardOutOfStock:              loyalty.ErrRewardOutOfStock,
	CodeRewardClaimLimitReached:       loyalty.ErrRewardLimitReached,
	CodeRewardInactive:                loyalty.ErrRewardInactive,
	CodeRewardNotFound:                loyalty.ErrRewardNotFound,
	// 80300 also means a missing webhook subscription, which the domain never
	// asks Leat about; for the domain it is a reward gone or expired at collection.
	CodeNotFoundOrExpired:           loyalty.ErrRewardNotFound,
	CodeVoucherAlreadyRedeemed:      loyalty.ErrVoucherRedeemed,
	CodeVoucherRedemptionsExhausted: loyalty.ErrVoucherUsedUp,
	CodeVoucherExpired:              loyalty.ErrVoucherExpired,
	CodeVoucherAlreadyLocked:        loyalty.ErrVoucherLocked,
	CodeVoucherDeactivated:          loyalty.ErrVoucherDeactivated,
	CodeVoucherInactive:             loyalty.ErrVoucherNotActive,
	CodePromotionInactive:           loyalty.ErrPromotionInactive,
	CodeGiftcardExpired:             loyalty.ErrGiftcardExpired,
	CodeInsufficientGiftcardBalance: loyalty.ErrGiftcardInsufficientBalance,
	CodeGiftcardMaxAmountExceeded:   loyalty.ErrGiftcardMaxAmount,
	CodeGiftcardInvalid:             loyalty.ErrGiftcardBlocked,
}

// translate turns a client error into the domain's, keeping Leat's message
// (never its raw code) as detail.
func translate(err error) error {
	var apiErr *APIError
	var transient *TransientError
	var decode *DecodeError
	switch {
	case errors.As(err, &transient):
		return &loyalty.UnavailableError{RetryAfter: transient.RetryAfter, Cause: err}
	case errors.As(err, &decode):
		return fmt.Errorf("%w: %v", loyalty.ErrPlatformBadResponse, err)
	case errors.Is(err, ErrUnauthorized):
		return fmt.Errorf("%w: %v", loyalty.ErrPlatformCredentials, err)
	case errors.As(err, &apiErr):
		if domain, ok := domainErrors[apiErr.Code]; ok {
			return withFields(domain, apiErr)
		}
		return withFields(loyalty.ErrPlatformRejected, apiErr)
	}
	return err
}

func withFields(domain error, e *APIError) error {
	if len(e.Fields) == 0 {
		if e.Message == "" {
			return domain
		}
		return fmt.Errorf("%w: %s", domain, e.Message)
	}
	var parts []string
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		parts = append(parts, field+": "+strings.Join(e.Fields[field], " "))
	}
	return fmt.Errorf("%w: %s", domain, strings.Join(parts, "; "))
}
