package ledger

import (
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Line is one line of the POS's basket. Prices are int64 minor units of the
// checkout's currency.
type Line struct {
	ID        string `json:"id"`
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	Category  string `json:"category,omitempty"`
}

// Total is quantity times unit price; the basket's limits keep it far from
// overflowing.
func (l Line) Total() int64 { return l.Quantity * l.UnitPrice }

// RewardItem is a reward the customer redeems with points in this checkout.
type RewardItem struct {
	RewardUUID     string                 `json:"reward_uuid"`
	Strategy       tenancy.RewardStrategy `json:"strategy"`
	Title          string                 `json:"title"`
	RequiredPoints int64                  `json:"required_points"`
	PreRedeemable  bool                   `json:"pre_redeemable"`
	// KnownCollectables are the customer's collectable rewards of this
	// reward before the checkout, so a pre-redeemed one can be told apart.
	KnownCollectables []string `json:"known_collectables,omitempty"`
	LineIDs           []string `json:"line_ids,omitempty"`
}

// CollectItem is a reward claimed earlier (a collectable reward) handed over now.
type CollectItem struct {
	CollectableUUID string   `json:"collectable_uuid"`
	RewardUUID      string   `json:"reward_uuid"`
	Title           string   `json:"title"`
	LineIDs         []string `json:"line_ids,omitempty"`
}

// VoucherItem is a voucher used in this checkout.
type VoucherItem struct {
	Code     string                  `json:"code"`
	UUID     string                  `json:"uuid"`
	Strategy tenancy.VoucherStrategy `json:"strategy"`
	Title    string                  `json:"title"`
	// ContactUUID is who redeems it: the voucher's own contact, or the
	// checkout's for a voucher linked to nobody.
	ContactUUID string `json:"contact_uuid"`
	// Status and RedemptionsRemaining (-1 when unlimited) are what Leat
	// said when the basket was checked, to tell a lost redemption later.
	Status               string   `json:"status"`
	RedemptionsRemaining int64    `json:"redemptions_remaining"`
	LineIDs              []string `json:"line_ids,omitempty"`
}

// TenderType is how a tender pays.
type TenderType string

// The Leat tenders: a giftcard, or the customer's prepaid balance.
const (
	TenderGiftcard TenderType = "giftcard"
	TenderPrepaid  TenderType = "prepaid"
)

// TenderItem pays part of the checkout from Leat money, debited while the
// POS takes the rest.
type TenderItem struct {
	Type TenderType `json:"type"`
	// Code and GiftcardUUID name the card of a giftcard tender.
	Code         string `json:"code,omitempty"`
	GiftcardUUID string `json:"giftcard_uuid,omitempty"`
	// Amount is what the POS asked for, in minor units.
	Amount int64 `json:"amount"`
	// AllowPartial: with too little balance, take what there is.
	AllowPartial bool `json:"allow_partial,omitempty"`
	// Balance is what the card or the prepaid balance held when checked.
	Balance int64 `json:"balance"`
	// RequestKey is the Idempotency-Key of a tender added while the checkout
	// awaited payment, so that a retry finds it.
	RequestKey string `json:"request_key,omitempty"`
}

// GiftcardSale loads a giftcard with its line's amount once paid: a
// physical card from the rack, or a digital one created then.
type GiftcardSale struct {
	LineID string `json:"line_id"`
	Amount int64  `json:"amount"`
	// Code, GiftcardUUID and BalanceURL name a physical card.
	Code         string `json:"code,omitempty"`
	GiftcardUUID string `json:"giftcard_uuid,omitempty"`
	BalanceURL   string `json:"balance_url,omitempty"`
	// ProgramUUID is the program a digital card is created in.
	ProgramUUID string `json:"program_uuid,omitempty"`
	// Email receives a digital card (its customer is found or created).
	Email string `json:"email,omitempty"`
}

// Digital reports a card created when paid.
func (g GiftcardSale) Digital() bool { return g.GiftcardUUID == "" }

// PrepaidTopUp adds its line's amount to the customer's prepaid balance once paid.
type PrepaidTopUp struct {
	LineID string `json:"line_id"`
	Amount int64  `json:"amount"`
}

// Basket is what the POS asked for, with the Leat details the saga needs.
type Basket struct {
	Lines    []Line        `json:"lines"`
	Rewards  []RewardItem  `json:"rewards,omitempty"`
	Collects []CollectItem `json:"collect,omitempty"`
	Vouchers []VoucherItem `json:"vouchers,omitempty"`
	Tenders  []TenderItem  `json:"tenders,omitempty"`
	// GiftcardSales and PrepaidTopUps are lines that load Leat money.
	GiftcardSales []GiftcardSale `json:"giftcard_sales,omitempty"`
	PrepaidTopUps []PrepaidTopUp `json:"prepaid_topups,omitempty"`
	// TendersPaySales keeps the tenant's setting as the checkout started, so
	// a tender added later is held to the same rule.
	TendersPaySales bool `json:"tenders_pay_sales,omitempty"`
}

// Tenderable is what Leat tenders may pay of due: all of it, or all but the
// lines that load Leat money.
func (b Basket) Tenderable(due int64) int64 {
	if b.TendersPaySales {
		return due
	}
	for _, s := range b.GiftcardSales {
		due -= s.Amount
	}
	for _, t := range b.PrepaidTopUps {
		due -= t.Amount
	}
	return due
}

// Discount is what the POS applies for one redeemed item.
type Discount struct {
	// Source is the request path of the item: "rewards[0]", "vouchers[1]".
	Source string `json:"source"`
	// UUID is the reward, collectable reward or voucher.
	UUID     string           `json:"uuid"`
	Title    string           `json:"title"`
	Discount loyalty.Discount `json:"discount"`
	LineIDs  []string         `json:"line_ids"`
	// Amount is nil when the POS computes it: a rule of its own, or
	// attributes the gateway cannot read.
	Amount *int64 `json:"amount,omitempty"`
	// PerLine splits Amount over the lines, for the Leat order.
	PerLine map[string]int64 `json:"per_line,omitempty"`
}

// Totals sum the basket: Due is what the POS still charges, after the
// discounts and what Leat tenders paid.
type Totals struct {
	Lines     int64 `json:"lines"`
	Discounts int64 `json:"discounts"`
	Tendered  int64 `json:"tendered"`
	Due       int64 `json:"due"`
}
