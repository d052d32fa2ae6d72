package loyalty

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/fanout"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Platforms gives each tenant's Leat account.
type Platforms interface {
	For(ctx context.Context, t tenancy.Tenant) (Platform, error)
}

// Service runs the read-only customer flows at the till.
type Service struct {
	directory tenancy.Directory
	platforms Platforms
	now       func() time.Time
	// cards, when set, remembers which customer each card identified;
	// vouchers, which voucher each code named.
	cards, vouchers Memory
}

// NewService builds the service.
func NewService(directory tenancy.Directory, platforms Platforms, now func() time.Time) *Service {
	return &Service{directory: directory, platforms: platforms, now: now}
}

// account is what one request acts on: the caller's tenant, the location it
// acts for, and that tenant's Leat account.
type account struct {
	tenant   tenancy.Tenant
	location tenancy.Location
	platform Platform
}

func (s *Service) account(ctx context.Context, p tenancy.Principal, requested tenancy.LocationID) (account, error) {
	t, location, err := tenancy.Locate(ctx, s.directory, p, requested)
	if err != nil {
		return account{}, err
	}
	platform, err := s.platforms.For(ctx, t)
	if err != nil {
		return account{}, err
	}
	return account{tenant: t, location: location, platform: platform}, nil
}

// IdentifyCommand identifies a customer by a scanned card or QR value, or by
// email (found or created). Exactly one is set.
type IdentifyCommand struct {
	Location   tenancy.LocationID
	Identifier string
	Email      string
}

// Identification is the identified customer and, for a scan, the card.
type Identification struct {
	Customer   Customer
	Identifier *Identifier
}

// Identify finds the customer behind a card, or by email.
func (s *Service) Identify(ctx context.Context, p tenancy.Principal, cmd IdentifyCommand) (Identification, error) {
	acc, err := s.account(ctx, p, cmd.Location)
	if err != nil {
		return Identification{}, err
	}
	if cmd.Email != "" {
		return Identify(ctx, acc.platform, cmd.Identifier, cmd.Email)
	}
	id, c, err := identifyCard(ctx, s, acc, cmd.Identifier, acc.platform.Customer)
	return Identification{Customer: c, Identifier: id}, err
}

// IdentifyWithOverview identifies the customer and answers their overview
// in the same call: for a card scanned before, in one Leat round trip, the
// overview read while the card is verified; otherwise in two.
func (s *Service) IdentifyWithOverview(ctx context.Context, p tenancy.Principal, cmd IdentifyCommand) (Identification, Overview, error) {
	acc, err := s.account(ctx, p, cmd.Location)
	if err != nil {
		return Identification{}, Overview{}, err
	}
	overview := func(ctx context.Context, contactUUID string) (Overview, error) {
		return s.overview(ctx, acc, contactUUID)
	}
	if cmd.Email != "" {
		id, err := Identify(ctx, acc.platform, cmd.Identifier, cmd.Email)
		if err != nil {
			return Identification{}, Overview{}, err
		}
		o, err := overview(ctx, id.Customer.UUID)
		return Identification{Customer: o.Customer}, o, err
	}
	id, o, err := identifyCard(ctx, s, acc, cmd.Identifier, overview)
	return Identification{Customer: o.Customer, Identifier: id}, o, err
}

// Identify finds the customer behind a scanned card or QR value, or by email
// (found or created): the rule every flow that identifies a customer follows.
func Identify(ctx context.Context, platform Platform, identifier, email string) (Identification, error) {
	if email != "" {
		c, err := platform.FindOrCreateCustomer(ctx, strings.TrimSpace(email))
		return Identification{Customer: c}, err
	}
	id, err := platform.FindIdentifier(ctx, strings.TrimSpace(identifier))
	switch {
	case err != nil:
		return Identification{}, err
	case !id.Active:
		return Identification{}, ErrIdentifierInactive
	case id.ContactUUID == "":
		return Identification{}, ErrIdentifierNotLinked
	}
	c, err := platform.Customer(ctx, id.ContactUUID)
	if err != nil {
		return Identification{}, err
	}
	return Identification{Customer: c, Identifier: &id}, nil
}

// RewardOption is a reward as the cashier offers it.
type RewardOption struct {
	Reward       Reward
	Discount     Discount
	Affordable   bool
	PointsNeeded int64
}

// OfferKind tells vouchers from collectable rewards.
type OfferKind string

// The kinds of offer.
const (
	OfferVoucher           OfferKind = "voucher"
	OfferCollectableReward OfferKind = "collectable_reward"
)

// Offer is a voucher or a collectable reward the customer can use now.
type Offer struct {
	Kind        OfferKind
	UUID        string
	Code        string
	Title       string
	Description string
	ExpiresAt   *time.Time
	Discount    Discount
}

// Overview is what a cashier shows once a customer is identified.
type Overview struct {
	Customer Customer
	// Rewards ascend by required points, as the POS lists them.
	Rewards []RewardOption
	// Offers list the soonest-expiring first; those without expiry last.
	Offers []Offer
	// OffersTruncated tells that the customer holds more vouchers than the
	// gateway reads, so Offers is not the whole list.
	OffersTruncated bool
}

// Overview loads a customer's balances, rewards and offers, asking Leat for
// them concurrently because a cashier waits for the answer.
func (s *Service) Overview(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, contactUUID string) (Overview, error) {
	acc, err := s.account(ctx, p, location)
	if err != nil {
		return Overview{}, err
	}
	return s.overview(ctx, acc, contactUUID)
}

// overview reads the customer, their rewards and offers at once: one round
// trip.
func (s *Service) overview(ctx context.Context, acc account, contactUUID string) (Overview, error) {
	var (
		customer     Customer
		rewards      []Reward
		vouchers     []Voucher
		moreVouchers bool
		collectables []CollectableReward
	)
	err := fanout.All(ctx,
		func(ctx context.Context) (err error) { customer, err = acc.platform.Customer(ctx, contactUUID); return },
		func(ctx context.Context) (err error) {
			rewards, err = acc.platform.Rewards(ctx, contactUUID, acc.location.ShopUUID)
			return
		},
		func(ctx context.Context) (err error) {
			vouchers, moreVouchers, err = acc.platform.ActiveVouchers(ctx, contactUUID)
			return
		},
		func(ctx context.Context) (err error) {
			collectables, err = acc.platform.CollectableRewards(ctx, contactUUID)
			return
		},
	)
	if err != nil {
		return Overview{}, err
	}
	return Overview{
		Customer:        customer,
		Rewards:         rewardOptions(rewards, customer.Points, acc.tenant),
		Offers:          offers(contactUUID, vouchers, collectables, acc.tenant, s.now()),
		OffersTruncated: moreVouchers,
	}, nil
}

func rewardOptions(rewards []Reward, points int64, t tenancy.Tenant) []RewardOption {
	options := make([]RewardOption, 0, len(rewards))
	for _, r := range rewards {
		options = append(options, RewardOption{
			Reward:       r,
			Discount:     ParseDiscount(r.Attributes, t.AttributePrefix, t.Currency),
			Affordable:   points >= r.RequiredPoints,
			PointsNeeded: max(r.RequiredPoints-points, 0),
		})
	}
	slices.SortStableFunc(options, func(a, b RewardOption) int {
		return cmp.Or(cmp.Compare(a.Reward.RequiredPoints, b.Reward.RequiredPoints), cmp.Compare(a.Reward.Title, b.Reward.Title))
	})
	return options
}

func offers(contactUUID string, vouchers []Voucher, collectables []CollectableReward, t tenancy.Tenant, now time.Time) []Offer {
	var out []Offer
	for _, v := range vouchers {
		if voucherRefusal(v, contactUUID, now) == nil {
			out = append(out, Offer{
				Kind: OfferVoucher, UUID: v.UUID, Code: v.Code, Title: v.Name, Description: v.Description,
				ExpiresAt: v.ExpiresAt, Discount: ParseDiscount(v.Attributes, t.AttributePrefix, t.Currency),
			})
		}
	}
	for _, c := range collectables {
		if c.Collected || expired(c.ExpiresAt, now) {
			continue
		}
		out = append(out, Offer{
			Kind: OfferCollectableReward, UUID: c.UUID, Title: c.Title, Description: c.Reward.Description,
			ExpiresAt: c.ExpiresAt, Discount: ParseDiscount(c.Reward.Attributes, t.AttributePrefix, t.Currency),
		})
	}
	slices.SortStableFunc(out, func(a, b Offer) int {
		switch {
		case a.ExpiresAt == nil && b.ExpiresAt == nil:
			return 0
		case a.ExpiresAt == nil:
			return 1
		case b.ExpiresAt == nil:
			return -1
		}
		return a.ExpiresAt.Compare(*b.ExpiresAt)
	})
	return out
}

func expired(at *time.Time, now time.Time) bool { return at != nil && !at.After(now) }

// VoucherScanCommand looks up a scanned voucher, for the identified customer
// when ContactUUID is set.
type VoucherScanCommand struct {
	Location    tenancy.LocationID
	Code        string
	ContactUUID string
}

// VoucherScan is a scanned voucher and whether it can be used now.
type VoucherScan struct {
	Voucher  Voucher
	Discount Discount
	// Usable: Leat would redeem the voucher now, so the checkout will not refuse it.
	Usable bool
	// Reason names the refusal when it is not usable ("redeemed", "promotion_inactive", …).
	Reason string
	// RequiresCustomer: the voucher is linked to nobody, so the customer must be
	// identified before it is redeemed.
	RequiresCustomer bool
}

// ScanVoucher looks a voucher up by its code and tells whether CheckVoucher
// lets it be used at the location.
func (s *Service) ScanVoucher(ctx context.Context, p tenancy.Principal, cmd VoucherScanCommand) (VoucherScan, error) {
	acc, err := s.account(ctx, p, cmd.Location)
	if err != nil {
		return VoucherScan{}, err
	}
	v, verdict, err := FindAndCheckVoucher(ctx, acc.platform, s.vouchers, acc.tenant.ID, cmd.Code, acc.location.ShopUUID, cmd.ContactUUID, s.now())
	if err != nil {
		return VoucherScan{}, err
	}
	scan := VoucherScan{
		Voucher: v, Discount: ParseDiscount(v.Attributes, acc.tenant.AttributePrefix, acc.tenant.Currency),
		RequiresCustomer: v.ContactUUID == "",
	}
	if reason, refused := voucherReason(verdict); refused {
		scan.Reason = reason
		return scan, nil
	}
	if verdict != nil {
		return VoucherScan{}, verdict
	}
	scan.Usable = true
	return scan, nil
}

// GiftcardScan is a scanned giftcard and what the till can do with it.
type GiftcardScan struct {
	Giftcard Giftcard
	// Sellable: a physical card still at zero, ready to be loaded when sold.
	Sellable bool
	// Payable: a card with balance that can pay.
	Payable bool
	// Reason says why the card can neither be sold nor pay.
	Reason string
}

// ScanGiftcard looks a giftcard up by the code printed on it.
func (s *Service) ScanGiftcard(ctx context.Context, p tenancy.Principal, location tenancy.LocationID, code string) (GiftcardScan, error) {
	acc, err := s.account(ctx, p, location)
	if err != nil {
		return GiftcardScan{}, err
	}
	g, err := acc.platform.GiftcardByCode(ctx, strings.TrimSpace(code))
	if err != nil {
		return GiftcardScan{}, err
	}
	scan := GiftcardScan{Giftcard: g}
	switch {
	case !g.Active:
		scan.Reason = "inactive"
	case expired(g.ExpiresAt, s.now()):
		scan.Reason = "expired"
	case g.Balance.IsZero():
		scan.Sellable = g.Physical
		if !g.Physical {
			scan.Reason = "empty"
		}
	default:
		scan.Payable = true
	}
	return scan, nil
}

// PortalSessionCommand opens a Leat portal session for the caller's location.
type PortalSessionCommand struct {
	Location                  tenancy.LocationID
	Kind                      PortalSessionKind
	ContactUUID               string
	AmountMinor               int64
	EnableEmailIdentification bool
	EnableRegistration        bool
}

// OpenPortalSession opens a portal session at the location's shop.
func (s *Service) OpenPortalSession(ctx context.Context, p tenancy.Principal, cmd PortalSessionCommand) (PortalSession, error) {
	acc, err := s.account(ctx, p, cmd.Location)
	if err != nil {
		return PortalSession{}, err
	}
	amount := money.Money{Amount: cmd.AmountMinor, Currency: acc.tenant.Currency}
	if cmd.Kind == PortalRedeemGiftcards && amount.Amount <= 0 {
		return PortalSession{}, fmt.Errorf("%w: redeeming giftcards needs a positive amount", ErrInvalid)
	}
	return acc.platform.OpenPortalSession(ctx, PortalSessionRequest{
		Kind: cmd.Kind, ShopUUID: acc.location.ShopUUID, ContactUUID: cmd.ContactUUID, Amount: amount,
		EnableEmailIdentification: cmd.EnableEmailIdentification, EnableRegistration: cmd.EnableRegistration,
	})
}
