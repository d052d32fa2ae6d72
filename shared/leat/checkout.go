package leat

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

var _ checkout.Platform = (*Platform)(nil)

// writeError translates the error of a money-moving call: an answer that
// may have been lost also says so in the checkout domain's terms.
func writeError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		return fmt.Errorf("%w: %w", checkout.ErrOutcomeUnknown, translate(err))
	}
	return translate(err)
}

// Reward reads one reward with its availability.
func (p *Platform) Reward(ctx context.Context, uuid string) (checkout.RewardAvailability, error) {
	r, err := p.client.GetReward(ctx, uuid)
	if err != nil {
		return checkout.RewardAvailability{}, translate(err)
	}
	out := checkout.RewardAvailability{Reward: reward(*r), Active: r.IsActive}
	if left, limited := r.StockLeft(); limited {
		out.Stock = &left
	}
	return out, nil
}

// ReceiveReward claims a reward: the contact's points are spent.
func (p *Platform) ReceiveReward(ctx context.Context, contactUUID, rewardUUID, shopUUID string) (checkout.Reception, error) {
	rec, err := p.client.CreateRewardReception(ctx, CreateRewardReceptionRequest{ContactUUID: contactUUID, RewardUUID: rewardUUID, ShopUUID: shopUUID})
	if err != nil {
		return checkout.Reception{}, writeError(err)
	}
	out := checkout.Reception{UUID: rec.UUID}
	if rec.Contact.CreditBalance != nil {
		out.PointsAfter = rec.Contact.CreditBalance.Balance
	}
	return out, nil
}

// ReverseRewardReception gives a reception's points back.
func (p *Platform) ReverseRewardReception(ctx context.Context, receptionUUID string) (string, error) {
	rev, err := p.client.ReverseRewardReception(ctx, receptionUUID)
	if err != nil {
		return "", writeError(err)
	}
	// Leat's sources disagree on whether the answer is the compensating
	// credit reception or the reception itself; only the former names the reversal.
	if rev.Type == "credit_reception" {
		return rev.UUID, nil
	}
	return "", nil
}

// GrantPoints gives points as a credit reception of a fixed number of credits.
func (p *Platform) GrantPoints(ctx context.Context, contactUUID, shopUUID string, points int64) (string, error) {
	rec, err := p.client.CreateCreditReception(ctx, CreateCreditReceptionRequest{ContactUUID: contactUUID, ShopUUID: shopUUID, Credits: points})
	if err != nil {
		return "", writeError(err)
	}
	return rec.UUID, nil
}

// LockVoucher reserves a voucher.
func (p *Platform) LockVoucher(ctx context.Context, voucherUUID string) (checkout.VoucherLock, error) {
	lock, err := p.client.LockVoucher(ctx, voucherUUID)
	if err != nil {
		return checkout.VoucherLock{}, writeError(err)
	}
	return checkout.VoucherLock{ReleaseKey: lock.Lock.ReleaseKey, ReleasesAt: lock.Lock.SystemReleaseAt}, nil
}

// ReleaseVoucher frees a locked voucher.
func (p *Platform) ReleaseVoucher(ctx context.Context, voucherUUID, releaseKey string) error {
	_, err := p.client.ReleaseVoucher(ctx, voucherUUID, releaseKey)
	return writeError(err)
}

// RedeemVoucher uses a voucher and answers the redemption's uuid.
func (p *Platform) RedeemVoucher(ctx context.Context, r checkout.VoucherRedemption) (string, error) {
	v, err := p.client.RedeemVoucher(ctx, RedeemVoucherRequest{Code: r.Code, ShopUUID: r.ShopUUID, ContactUUID: r.ContactUUID, ReleaseKey: r.ReleaseKey})
	if err != nil {
		return "", writeError(err)
	}
	if v.Redemption == nil {
		// Older Leat answers carry no redemption; it cannot be reversed by name.
		return "", nil
	}
	return v.Redemption.UUID, nil
}

// ReverseVoucherRedemption makes a redeemed voucher usable again.
func (p *Platform) ReverseVoucherRedemption(ctx context.Context, redemptionUUID string) error {
	return writeError(p.client.ReverseVoucherRedemption(ctx, redemptionUUID))
}

// CollectReward hands a collectable reward over.
func (p *Platform) CollectReward(ctx context.Context, collectableUUID string) (string, error) {
	c, err := p.client.CollectReward(ctx, collectableUUID)
	if err != nil {
		return "", writeError(err)
	}
	return c.UUID, nil
}

// ReverseRewardCollection makes a collected reward collectable again.
func (p *Platform) ReverseRewardCollection(ctx context.Context, collectionUUID string) error {
	_, err := p.client.ReverseRewardCollection(ctx, collectionUUID)
	return writeError(err)
}

// ReturnOrder records returned lines; Leat corrects the order's points. A
// refusal of the return's external identifier means Leat has it already.
func (p *Platform) ReturnOrder(ctx context.Context, r checkout.OrderReturn) (checkout.OrderReturnResult, error) {
	req := OrderReturnRequest{
		Order: OrderSelector{ExternalIdentifier: r.OrderExternalID}, ExternalIdentifier: r.ExternalID, Status: ReturnCompleted,
	}
	for _, l := range r.Lines {
		amount := l.Amount
		req.LineItems = append(req.LineItems, ReturnLineItem{ExternalIdentifier: l.LineID, Quantity: l.Quantity, TotalAmount: &amount})
	}
	res, err := p.client.CreateAndProcessOrderReturn(ctx, req)
	var apiErr *APIError
	if errors.As(err, &apiErr) && len(apiErr.Fields["external_identifier"]) > 0 {
		return checkout.OrderReturnResult{}, fmt.Errorf("%w: %s", checkout.ErrReturnRecorded, strings.Join(apiErr.Fields["external_identifier"], " "))
	}
	if err != nil {
		return checkout.OrderReturnResult{}, writeError(err)
	}
	return checkout.OrderReturnResult{UUID: res.Return.UUID, Points: res.Result.Data.Points, PointsBalance: res.Result.Data.NewBalance}, nil
}

// offerTypes link a discount to the kind of redemption that granted it.
var offerTypes = map[ledger.StepKind]LinkType{
	ledger.StepRewardReception:   LinkRewardRedemption,
	ledger.StepRewardCollection:  LinkCollectableRewardRedemption,
	ledger.StepVoucherRedemption: LinkVoucherRedemption,
}

// CreateOrder records the paid order; Leat computes its points from the
// lines and discounts.
func (p *Platform) CreateOrder(ctx context.Context, o checkout.Order) (checkout.OrderResult, error) {
	req := OrderRequest{
		ExternalIdentifier: o.ExternalID, Reference: o.Reference, Status: OrderCompleted, PaymentStatus: PaymentPaid,
		Currency: o.Currency, PaidAt: o.PaidAt, CompletedAt: o.PaidAt,
		Contact: Ref{UUID: o.ContactUUID}, BusinessProfile: Ref{UUID: o.ShopUUID},
	}
	for _, l := range o.Lines {
		discount := min(o.DiscountPerLine[l.ID], l.Total())
		req.LineItems = append(req.LineItems, OrderLineItem{
			ExternalIdentifier: l.ID, Name: l.Name, Quantity: l.Quantity, Price: l.UnitPrice,
			TotalAmount: l.Total() - discount, DiscountAmount: discount,
			Product: &OrderProduct{ExternalIdentifier: l.SKU, Name: l.Name},
		})
		if result, sold := o.LineResults[l.ID]; sold {
			t := LinkGiftcardTransaction
			if result.Kind == ledger.StepPrepaidTopUp {
				t = LinkPrepaidTransaction
			}
			req.LineItems[len(req.LineItems)-1].Result = &LinkedObject{UUID: result.UUID, Type: t}
		}
		req.OrderAmount += l.Total()
		req.TotalDiscountAmount += discount
	}
	for _, d := range o.Discounts {
		applied := AppliedDiscount{ExternalIdentifier: d.ExternalID, Name: d.Name, Amount: d.Amount, AppliedTo: DiscountOnLineItems}
		for _, id := range d.LineIDs {
			applied.LineItems = append(applied.LineItems, ExternalRef{ExternalIdentifier: id})
		}
		if len(applied.LineItems) == 0 {
			applied.AppliedTo = DiscountOnOrder
		}
		if t, ok := offerTypes[d.OfferKind]; ok && d.OfferUUID != "" {
			applied.Offer = &LinkedObject{UUID: d.OfferUUID, Type: t}
		}
		req.AppliedDiscounts = append(req.AppliedDiscounts, applied)
	}
	for _, pay := range o.Payments {
		t := LinkGiftcardTransaction
		if pay.Kind == ledger.StepPrepaidDebit {
			t = LinkPrepaidTransaction
		}
		req.Payments = append(req.Payments, LinkedObject{UUID: pay.UUID, Type: t})
	}
	req.TotalOrderAmount = req.OrderAmount - req.TotalDiscountAmount
	res, err := p.client.CreateAndProcessOrder(ctx, req)
	if err != nil {
		return checkout.OrderResult{}, writeError(err)
	}
	return checkout.OrderResult{UUID: res.Order.UUID, PointsEarned: res.Result.Data.Points, PointsBalance: res.Result.Data.NewBalance}, nil
}

// FindOrder looks an order up by its external identifier. Leat documents
// no error for an unknown one: any "not found" means there is none.
func (p *Platform) FindOrder(ctx context.Context, externalID string) (string, error) {
	o, err := p.client.FindOrder(ctx, externalID)
	switch {
	case errors.Is(err, CodeModelNotFound), errors.Is(err, ErrNotFound):
		return "", checkout.ErrOrderNotFound
	case err != nil:
		return "", translate(err)
	}
	return o.UUID, nil
}

// LoyaltyTokenURL builds a receipt's claim URL, signed with the account secret.
func (p *Platform) LoyaltyTokenURL(t checkout.LoyaltyToken) (string, error) {
	if p.accountSecret == "" {
		return "", fmt.Errorf("%w: the tenant's Leat account secret is not configured", loyalty.ErrPlatformCredentials)
	}
	currency, err := money.ParseCurrency(t.Currency)
	if err != nil {
		return "", err
	}
	// purchase_amount is in major units, with the currency's own decimals.
	value, err := parseUnitValue(money.Money{Amount: t.Amount, Currency: currency}.Major())
	if err != nil {
		return "", err
	}
	token := LoyaltyToken{ShopUUID: t.ShopUUID, UniqueID: t.UniqueID, Timestamp: t.Timestamp, UnitValue: value}
	return token.URL(t.PortalURL, p.accountSecret)
}

// CheckoutPlatforms gives each tenant's Leat account to the checkout.
type CheckoutPlatforms struct{ Platforms *Platforms }

var _ checkout.Platforms = CheckoutPlatforms{}

// For returns the tenant's Leat account.
func (c CheckoutPlatforms) For(ctx context.Context, t tenancy.Tenant) (checkout.Platform, error) {
	p, err := c.Platforms.platform(ctx, t)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// giftcardTag is the custom attribute that names the gateway's step on a
// giftcard transaction.
const giftcardTag = "lpg_step"

// DebitGiftcard pays with a card.
func (p *Platform) DebitGiftcard(ctx context.Context, giftcardUUID, shopUUID string, amount int64, tag string) (string, error) {
	return p.giftcardTransaction(ctx, giftcardUUID, shopUUID, -amount, tag)
}

// CreditGiftcard puts money on a card.
func (p *Platform) CreditGiftcard(ctx context.Context, giftcardUUID, shopUUID string, amount int64, tag string) (string, error) {
	return p.giftcardTransaction(ctx, giftcardUUID, shopUUID, amount, tag)
}

func (p *Platform) giftcardTransaction(ctx context.Context, giftcardUUID, shopUUID string, cents int64, tag string) (string, error) {
	tx, err := p.client.CreateGiftcardTransaction(ctx, CreateGiftcardTransactionRequest{
		GiftcardUUID: giftcardUUID, ShopUUID: shopUUID, AmountInCents: cents, CustomAttributes: map[string]string{giftcardTag: tag},
	})
	if err != nil {
		return "", writeError(err)
	}
	return tx.UUID, nil
}

// maxTagPages bounds the search for a tagged transaction: the one sought was
// made minutes ago, so it is among the card's newest.
const maxTagPages = 5

// GiftcardTransactionByTag finds the card's transaction the gateway tagged.
func (p *Platform) GiftcardTransactionByTag(ctx context.Context, code, tag string) (string, bool, error) {
	for page := 1; page <= maxTagPages; page++ {
		res, err := p.client.ListGiftcardTransactions(ctx, ListGiftcardTransactionsRequest{GiftcardHash: code, NewestFirst: true, Page: page, PerPage: 100})
		if err != nil {
			return "", false, translate(err)
		}
		for _, tx := range res.Items {
			if tx.CustomAttributes[giftcardTag] == tag {
				return tx.UUID, true, nil
			}
		}
		if !res.HasNext() {
			break
		}
	}
	return "", false, nil
}

// ReverseGiftcardTransaction undoes a giftcard transaction.
func (p *Platform) ReverseGiftcardTransaction(ctx context.Context, transactionUUID string) (string, error) {
	tx, err := p.client.ReverseGiftcardTransaction(ctx, transactionUUID)
	if errors.Is(err, CodeNotLastGiftcardTransaction) {
		return "", fmt.Errorf("%w: %w", checkout.ErrNotLastTransaction, translate(err))
	}
	if err != nil {
		return "", writeError(err)
	}
	return tx.UUID, nil
}

// DebitPrepaid pays from a contact's prepaid balance. Leat documents no code
// for too little balance; it answers invalid input on the amount.
func (p *Platform) DebitPrepaid(ctx context.Context, contactUUID, shopUUID string, amount int64) (string, int64, error) {
	tx, err := p.client.CreatePrepaidTransaction(ctx, CreatePrepaidTransactionRequest{ContactUUID: contactUUID, ShopUUID: shopUUID, AmountInCents: -amount})
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == CodeInvalidInput && len(apiErr.Fields["amount_in_cents"]) > 0 {
		return "", 0, fmt.Errorf("%w: %s", loyalty.ErrPrepaidInsufficientBalance, apiErr.Message)
	}
	if err != nil {
		return "", 0, writeError(err)
	}
	return tx.UUID, tx.Balance.BalanceInCents, nil
}

// PrepaidTransactions lists the contact's recent prepaid transactions at the shop.
func (p *Platform) PrepaidTransactions(ctx context.Context, contactUUID, shopUUID string) ([]checkout.PrepaidTransaction, error) {
	res, err := p.client.ListPrepaidTransactions(ctx, ListPrepaidTransactionsRequest{ContactUUID: contactUUID, ShopUUID: shopUUID, Limit: 30})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]checkout.PrepaidTransaction, 0, len(res.Items))
	for _, tx := range res.Items {
		out = append(out, checkout.PrepaidTransaction{UUID: tx.UUID, Amount: tx.AmountInCents, At: tx.CreatedAt})
	}
	return out, nil
}

// CreditPrepaid tops a contact's prepaid balance up.
func (p *Platform) CreditPrepaid(ctx context.Context, contactUUID, shopUUID string, amount int64) (string, int64, error) {
	tx, err := p.client.CreatePrepaidTransaction(ctx, CreatePrepaidTransactionRequest{ContactUUID: contactUUID, ShopUUID: shopUUID, AmountInCents: amount})
	if err != nil {
		return "", 0, writeError(err)
	}
	return tx.UUID, tx.Balance.BalanceInCents, nil
}

// DefaultGiftcardProgram is the account's first giftcard program.
func (p *Platform) DefaultGiftcardProgram(ctx context.Context) (string, int64, error) {
	programs, err := p.client.ListGiftcardPrograms(ctx)
	if err != nil {
		return "", 0, translate(err)
	}
	if len(programs) == 0 {
		return "", 0, fmt.Errorf("%w: the Leat account has no giftcard program", loyalty.ErrPlatformRejected)
	}
	return programs[0].UUID, programs[0].MaxAmountInCents, nil
}

// CreateDigitalGiftcard creates an empty digital card.
func (p *Platform) CreateDigitalGiftcard(ctx context.Context, programUUID string) (loyalty.Giftcard, error) {
	g, err := p.client.CreateDigitalGiftcard(ctx, programUUID)
	if err != nil {
		return loyalty.Giftcard{}, writeError(err)
	}
	return p.giftcard(*g), nil
}

// SendGiftcard emails a card to a contact.
func (p *Platform) SendGiftcard(ctx context.Context, giftcardUUID, contactUUID string) error {
	return translate(p.client.SendGiftcardByEmail(ctx, SendGiftcardEmailRequest{GiftcardUUID: giftcardUUID, ContactUUID: contactUUID}))
}

// ReversePrepaidTransaction gives a prepaid payment back.
func (p *Platform) ReversePrepaidTransaction(ctx context.Context, transactionUUID string) (string, error) {
	tx, err := p.client.ReversePrepaidTransaction(ctx, transactionUUID)
	if err != nil {
		return "", writeError(err)
	}
	return tx.UUID, nil
}
