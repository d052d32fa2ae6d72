package leat

import (
	"context"
	"encoding/json"
	"time"
)

// OrderStatus is the state of an order.
type OrderStatus string

const (
	OrderCreated   OrderStatus = "CREATED"
	OrderPending   OrderStatus = "PENDING"
	OrderCompleted OrderStatus = "COMPLETED"
	OrderCancelled OrderStatus = "CANCELLED"
)

// PaymentStatus is the payment state of an order.
type PaymentStatus string

const (
	PaymentUnpaid  PaymentStatus = "UNPAID"
	PaymentPending PaymentStatus = "PENDING"
	PaymentPaid    PaymentStatus = "PAID"
)

// LinkType says what kind of Leat object a LinkedObject names.
type LinkType string

const (
	// For line item results and payments.
	LinkGiftcardTransaction LinkType = "GIFTCARD_TRANSACTION"
	LinkPrepaidTransaction  LinkType = "PREPAID_TRANSACTION"
	// For line item results.
	LinkVoucher LinkType = "VOUCHER"
	// For discount offers.
	LinkRewardRedemption            LinkType = "REWARD_REDEMPTION"
	LinkCollectableRewardRedemption LinkType = "COLLECTABLE_REWARD_REDEMPTION"
	LinkVoucherRedemption           LinkType = "VOUCHER_REDEMPTION"
)

// LinkedObject ties an order line, payment or discount to the Leat object behind it, such as
// the giftcard transaction that loaded a sold giftcard.
type LinkedObject struct {
	UUID string   `json:"uuid"`
	Type LinkType `json:"type"`
}

// DiscountTarget says what an applied discount applies to. Leat's sources disagree on the
// values; these are the ones its Postman collection and simulate reference use.
type DiscountTarget string

const (
	DiscountOnOrder        DiscountTarget = "ORDER"
	DiscountOnLineItems    DiscountTarget = "LINE_ITEMS"
	DiscountOnSubLineItems DiscountTarget = "SUB_LINE_ITEMS"
)

// DiscountType is how an applied discount's Value is meant.
type DiscountType string

const (
	DiscountPercentage DiscountType = "PERCENTAGE"
	DiscountAbsolute   DiscountType = "ABSOLUTE"
)

// OrderRequest is the body of CreateAndProcessOrder. Every amount is an integer in the
// currency's minor unit. Leat computes points from the lines, charges and discounts, not
// from the header totals.
type OrderRequest struct {
	// ExternalIdentifier must be unique per account: it is how FindOrder reconciles.
	ExternalIdentifier  string        `json:"external_identifier"`
	Reference           string        `json:"reference,omitempty"`
	Status              OrderStatus   `json:"status"`
	PaymentStatus       PaymentStatus `json:"payment_status"`
	TotalOrderAmount    int64         `json:"total_order_amount"`
	OrderAmount         int64         `json:"order_amount,omitempty"`
	TotalDiscountAmount int64         `json:"total_discount_amount,omitempty"`
	// Currency is ISO-4217; Leat defaults to the account's currency.
	Currency    string    `json:"currency,omitempty"`
	PaidAt      time.Time `json:"paid_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// Contact earns the points.
	Contact Ref `json:"contact,omitzero"`
	// BusinessProfile is the shop.
	BusinessProfile  Ref               `json:"business_profile"`
	LineItems        []OrderLineItem   `json:"line_items"`
	AppliedDiscounts []AppliedDiscount `json:"applied_discounts,omitempty"`
	Charges          []OrderCharge     `json:"charges,omitempty"`
	// Payments lists Leat payments only (giftcard and prepaid transactions).
	Payments []LinkedObject `json:"payments,omitempty"`
}

// OrderLineItem is an order line, in requests and answers. Sub line items take the same
// fields except Result and SubLineItems.
type OrderLineItem struct {
	// UUID is set by Leat in answers.
	UUID string `json:"uuid,omitempty"`
	// ExternalIdentifier is unique per line; returns refer to lines by it.
	ExternalIdentifier string `json:"external_identifier"`
	Name               string `json:"name"`
	Quantity           int64  `json:"quantity"`
	// Price is the unit price; TotalAmount is Price × Quantity − DiscountAmount, without
	// the sub lines.
	Price          int64         `json:"price"`
	TotalAmount    int64         `json:"total_amount"`
	DiscountAmount int64         `json:"discount_amount,omitempty"`
	Product        *OrderProduct `json:"product,omitempty"`
	// Result links the line to what it sold in Leat (a loaded giftcard, a prepaid top-up, a
	// voucher).
	Result       *LinkedObject   `json:"result,omitempty"`
	SubLineItems []OrderLineItem `json:"sub_line_items,omitempty"`
}

// OrderProduct names the product of a line; Leat creates unknown products.
type OrderProduct struct {
	ExternalIdentifier string `json:"external_identifier"`
	Name               string `json:"name,omitempty"`
}

// AppliedDiscount is a discount given on the order.
type AppliedDiscount struct {
	ExternalIdentifier string         `json:"external_identifier"`
	Name               string         `json:"name"`
	Amount             int64          `json:"amount"`
	AppliedTo          DiscountTarget `json:"applied_to"`
	Type               DiscountType   `json:"type,omitempty"`
	// Value is the percentage or the absolute amount the discount was configured with,
	// written as a JSON number (for example "12.5"); optional.
	Value        json.Number   `json:"value,omitempty"`
	LineItems    []ExternalRef `json:"line_items,omitempty"`
	SubLineItems []ExternalRef `json:"sub_line_items,omitempty"`
	Charges      []ExternalRef `json:"charges,omitempty"`
	// Offer links the discount to the reward or voucher redemption that granted it.
	Offer *LinkedObject `json:"offer,omitempty"`
}

// OrderCharge is a service charge, gratuity, shipping, wrapping or tax line.
type OrderCharge struct {
	ExternalIdentifier string `json:"external_identifier"`
	Name               string `json:"name"`
	TotalAmount        int64  `json:"total_amount"`
	Amount             int64  `json:"amount,omitempty"`
	DiscountAmount     int64  `json:"discount_amount,omitempty"`
	// ChargeDefinition is SERVICE_CHARGE, GRATUITY, SHIPPING, WRAPPING, TAX or one of the
	// account's own.
	ChargeDefinition *ExternalRef `json:"charge_definition,omitempty"`
}

// Order is an order as Leat stores it.
type Order struct {
	UUID                string          `json:"uuid"`
	ExternalIdentifier  string          `json:"external_identifier"`
	Reference           string          `json:"reference"`
	Status              OrderStatus     `json:"status"`
	PaymentStatus       PaymentStatus   `json:"payment_status"`
	Currency            string          `json:"currency"`
	OrderAmount         int64           `json:"order_amount"`
	TotalChargesAmount  int64           `json:"total_charges_amount"`
	TotalDiscountAmount int64           `json:"total_discount_amount"`
	TotalOrderAmount    int64           `json:"total_order_amount"`
	Contact             *ContactSummary `json:"contact"`
	BusinessProfile     Shop            `json:"business_profile"`
	LineItems           []OrderLineItem `json:"line_items"`
	PaidAt              time.Time       `json:"paid_at"`
	CompletedAt         time.Time       `json:"completed_at"`
	CreatedAt           time.Time       `json:"created_at"`
	UpdatedAt           time.Time       `json:"updated_at"`
}

// ProcessResult is what processing an order or a return did to the contact's points.
type ProcessResult struct {
	// Type is "POINTS_TRANSACTION"; Leat may add other types.
	Type string            `json:"type"`
	Data PointsTransaction `json:"data"`
}

// PointsTransaction is a change of points.
type PointsTransaction struct {
	// Points earned (for a return, the correction; its sign is undocumented).
	Points int64 `json:"points"`
	// NewBalance is the contact's balance afterwards.
	NewBalance int64 `json:"new_balance"`
}

// ProcessedOrder is the answer of CreateAndProcessOrder.
type ProcessedOrder struct {
	Order  Order         `json:"order"`
	Result ProcessResult `json:"result"`
}

// CreateAndProcessOrder records an order and AWARDS ITS POINTS. What happens when the same
// ExternalIdentifier is posted twice is undocumented, so on ErrOutcomeUnknown call FindOrder
// before posting again.
func (c *Client) CreateAndProcessOrder(ctx context.Context, req OrderRequest) (*ProcessedOrder, error) {
	return fetch[ProcessedOrder](ctx, c, post("/orders/create-and-process").body(req))
}

// FindOrder returns the order with this external identifier. Which error Leat gives for an
// unknown identifier is undocumented (expect CodeModelNotFound or ErrNotFound).
func (c *Client) FindOrder(ctx context.Context, externalIdentifier string) (*Order, error) {
	return fetch[Order](ctx, c, get("/orders/find").param("external_identifier", externalIdentifier))
}

// ReturnStatus is the state of an order return.
type ReturnStatus string

const (
	ReturnPending   ReturnStatus = "PENDING"
	ReturnCompleted ReturnStatus = "COMPLETED"
)

// OrderReturnRequest is the body of CreateAndProcessOrderReturn. List only what comes back;
// Leat works out the points correction.
type OrderReturnRequest struct {
	// Order names the original order by UUID or ExternalIdentifier.
	Order OrderSelector `json:"order"`
	// ExternalIdentifier identifies the return itself.
	ExternalIdentifier string                `json:"external_identifier"`
	Status             ReturnStatus          `json:"status"`
	LineItems          []ReturnLineItem      `json:"line_items,omitempty"`
	AppliedDiscounts   []ReturnedDiscount    `json:"applied_discounts,omitempty"`
	Charges            []ReturnedOrderCharge `json:"charges,omitempty"`
}

// OrderSelector names an order by one of its identifiers.
type OrderSelector struct {
	UUID               string `json:"uuid,omitempty"`
	ExternalIdentifier string `json:"external_identifier,omitempty"`
}

// ReturnLineItem returns (part of) an original line, named by its ExternalIdentifier. Sub
// line items take the same fields except SubLineItems.
type ReturnLineItem struct {
	ExternalIdentifier string `json:"external_identifier"`
	Quantity           int64  `json:"quantity"`
	DiscountAmount     int64  `json:"discount_amount,omitempty"`
	// TotalAmount is the amount refunded for the line; nil lets Leat compute it from the
	// original price.
	TotalAmount  *int64           `json:"total_amount,omitempty"`
	Reason       string           `json:"reason,omitempty"`
	SubLineItems []ReturnLineItem `json:"sub_line_items,omitempty"`
}

// ReturnedDiscount returns (part of) an applied discount of the original order.
type ReturnedDiscount struct {
	ExternalIdentifier string `json:"external_identifier"`
	Amount             int64  `json:"amount"`
}

// ReturnedOrderCharge returns (part of) a charge of the original order.
type ReturnedOrderCharge struct {
	ExternalIdentifier string `json:"external_identifier"`
	TotalAmount        int64  `json:"total_amount"`
	Amount             int64  `json:"amount,omitempty"`
	DiscountAmount     int64  `json:"discount_amount,omitempty"`
}

// OrderReturn is a processed return.
type OrderReturn struct {
	UUID               string              `json:"uuid"`
	Status             ReturnStatus        `json:"status"`
	Order              Ref                 `json:"order"`
	LineItemReturns    []LineItemReturn    `json:"line_item_returns"`
	SubLineItemReturns []SubLineItemReturn `json:"sub_line_item_returns"`
}

// LineItemReturn is the returned quantity of one line.
type LineItemReturn struct {
	UUID     string `json:"uuid"`
	Quantity int64  `json:"quantity"`
	LineItem Ref    `json:"line_item"`
}

// SubLineItemReturn is the returned quantity of one sub-line. Leat documents
// the list but not its items; they mirror line returns, naming the sub-line.
type SubLineItemReturn struct {
	UUID        string `json:"uuid"`
	Quantity    int64  `json:"quantity"`
	SubLineItem Ref    `json:"sub_line_item"`
}

// ProcessedOrderReturn is the answer of CreateAndProcessOrderReturn.
type ProcessedOrderReturn struct {
	Return OrderReturn   `json:"return"`
	Result ProcessResult `json:"result"`
}

// CreateAndProcessOrderReturn records a (partial) return and CORRECTS THE POINTS the order
// earned. Rewards, vouchers, giftcard and prepaid transactions of the order are not
// touched: reverse them separately. Leat documents no way to look a return up, so on
// ErrOutcomeUnknown check the contact's points balance before posting again.
func (c *Client) CreateAndProcessOrderReturn(ctx context.Context, req OrderReturnRequest) (*ProcessedOrderReturn, error) {
	return fetch[ProcessedOrderReturn](ctx, c, post("/order-returns/create-and-process").body(req))
}
