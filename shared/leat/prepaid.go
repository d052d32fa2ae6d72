package leat

import (
	"context"
	"time"
)

// PrepaidTransaction tops up (positive amount) or spends (negative amount) a contact's
// prepaid balance.
type PrepaidTransaction struct {
	UUID          string `json:"uuid"`
	AmountInCents int64  `json:"amount_in_cents"`
	// Balance is the contact's prepaid balance after the transaction.
	Balance   PrepaidBalance `json:"prepaid_balance"`
	CreatedAt time.Time      `json:"created_at"`
	Shop      Shop           `json:"shop"`
	// ContactIdentifier is the identifier the transaction was made with, if any.
	ContactIdentifier *ContactIdentifier `json:"contact_identifier"`
	// Contact is set in lists.
	Contact *ContactSummary `json:"contact"`
}

// CreatePrepaidTransactionRequest moves prepaid money. Give ContactUUID or
// ContactIdentifierValue.
type CreatePrepaidTransactionRequest struct {
	ContactUUID            string `json:"contact_uuid,omitempty"`
	ContactIdentifierValue string `json:"contact_identifier_value,omitempty"`
	ShopUUID               string `json:"shop_uuid"`
	// AmountInCents is positive to top up, negative to pay.
	AmountInCents int64 `json:"amount_in_cents"`
}

// CreatePrepaidTransaction MOVES MONEY on a contact's prepaid balance. It fails with
// CodeContactNotFound, CodeContactIdentifierNotFound, CodeContactIdentifierInactive,
// CodeShopNotFound or CodeInvalidInput. On ErrOutcomeUnknown, list the contact's recent
// transactions before writing again.
func (c *Client) CreatePrepaidTransaction(ctx context.Context, req CreatePrepaidTransactionRequest) (*PrepaidTransaction, error) {
	return fetch[PrepaidTransaction](ctx, c, post("/prepaid-transactions").body(req))
}

// ListPrepaidTransactionsRequest filters ListPrepaidTransactions; every field is optional.
type ListPrepaidTransactionsRequest struct {
	ContactUUID string
	ShopUUID    string
	// Page starts at 1; Limit defaults to 10 and is at most 30.
	Page, Limit int
}

// ListPrepaidTransactions returns one page of prepaid transactions.
func (c *Client) ListPrepaidTransactions(ctx context.Context, req ListPrepaidTransactionsRequest) (*Page[PrepaidTransaction], error) {
	return fetchPage[PrepaidTransaction](ctx, c, get("/prepaid-transactions").
		param("contact_uuid", req.ContactUUID).
		param("shop_uuid", req.ShopUUID).
		paramInt("page", req.Page).
		paramInt("limit", req.Limit))
}

// ReversePrepaidTransaction MOVES MONEY back: it creates the opposite transaction and
// returns it. On ErrOutcomeUnknown, list the contact's transactions before reversing again.
func (c *Client) ReversePrepaidTransaction(ctx context.Context, transactionUUID string) (*PrepaidTransaction, error) {
	return fetch[PrepaidTransaction](ctx, c, post("/prepaid-transactions/%s/reverse", transactionUUID))
}
