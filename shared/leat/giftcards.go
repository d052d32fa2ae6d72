package leat

import (
	"context"
	"time"
)

// Giftcard is a physical or digital giftcard. Leat also sends the balance as a float
// ("amount"); only AmountInCents is decoded.
type Giftcard struct {
	ID   int64  `json:"id"`
	UUID string `json:"uuid"`
	Type string `json:"type"` // "DIGITAL" or "PHYSICAL"
	// Hash is the code printed on or encoded in the card.
	Hash           string          `json:"hash"`
	AmountInCents  int64           `json:"amount_in_cents"`
	DisplayAmount  string          `json:"display_amount"` // formatted, e.g. "€1.10"
	Upgradeable    bool            `json:"upgradeable"`
	Active         bool            `json:"active"`
	ExpirationDate time.Time       `json:"expiration_date"` // zero when it does not expire
	URL            string          `json:"url"`             // the public balance page
	Program        GiftcardProgram `json:"giftcard_program"`
}

// GiftcardProgram is the program a giftcard belongs to.
type GiftcardProgram struct {
	ID               int64  `json:"id"`
	UUID             string `json:"uuid"`
	Name             string `json:"name"`
	MaxAmountInCents int64  `json:"max_amount_in_cents"`
	CalculatorFlow   string `json:"calculator_flow"`
	ExpirationDays   int64  `json:"expiration_days"`
}

// FindGiftcard looks a giftcard up by the code on the card, or fails with
// CodeGiftcardNotFound.
func (c *Client) FindGiftcard(ctx context.Context, hash string) (*Giftcard, error) {
	return fetch[Giftcard](ctx, c, get("/giftcards/find-one-by").param("hash", hash))
}

// GetGiftcard returns a giftcard by uuid.
func (c *Client) GetGiftcard(ctx context.Context, giftcardUUID string) (*Giftcard, error) {
	return fetch[Giftcard](ctx, c, get("/giftcards/%s", giftcardUUID))
}

// giftcardTypeDigital is Leat's numeric type for digital giftcards, the only type the API
// may create.
const giftcardTypeDigital = 1

// CreateDigitalGiftcard creates an empty digital giftcard in a program; load it with
// CreateGiftcardTransaction. It fails with CodeGiftcardProgramNotFound. On
// ErrOutcomeUnknown an unused empty card may exist; that is harmless.
func (c *Client) CreateDigitalGiftcard(ctx context.Context, programUUID string) (*Giftcard, error) {
	return fetch[Giftcard](ctx, c, post("/giftcards").body(map[string]any{
		"type":                  giftcardTypeDigital,
		"giftcard_program_uuid": programUUID,
	}))
}

// SendGiftcardEmailRequest emails a giftcard to a contact.
type SendGiftcardEmailRequest struct {
	GiftcardUUID string `json:"-"`
	ContactUUID  string `json:"contact_uuid"`
	// EmailUUID picks an automated email of category "Giftcard recipient"; optional.
	EmailUUID string `json:"email_uuid,omitempty"`
	// MergeTags fill the email; every key must start with "custom.".
	MergeTags map[string]string `json:"merge_tags,omitempty"`
}

// SendGiftcardByEmail emails a giftcard's code to a contact. It fails with
// CodeGiftcardNotFound, or an undocumented error when no suitable email exists.
func (c *Client) SendGiftcardByEmail(ctx context.Context, req SendGiftcardEmailRequest) error {
	return c.do(ctx, post("/giftcards/%s/send-by-email", req.GiftcardUUID).body(req))
}

// ListGiftcardPrograms returns the giftcard programs.
func (c *Client) ListGiftcardPrograms(ctx context.Context) ([]GiftcardProgram, error) {
	return fetchList[GiftcardProgram](ctx, c, get("/giftcard-programs"))
}

// GiftcardTransaction loads (positive amount) or spends (negative amount) giftcard money.
// It does not include the card's new balance: read the giftcard again.
type GiftcardTransaction struct {
	ID            int64     `json:"id"`
	UUID          string    `json:"uuid"`
	AmountInCents int64     `json:"amount_in_cents"`
	Type          string    `json:"type"`
	Settled       bool      `json:"settled"`
	Giftcard      Ref       `json:"card"`
	Shop          Shop      `json:"shop"`
	CreatedAt     time.Time `json:"created_at"`
	// CustomAttributes holds the transaction's custom attributes. Leat does not document
	// how it returns them: both a "custom_attributes" object and extra top-level members
	// are collected here.
	CustomAttributes Attributes `json:"custom_attributes"`
}

// UnmarshalJSON merges flattened custom attributes into CustomAttributes.
func (t *GiftcardTransaction) UnmarshalJSON(data []byte) error {
	type plain GiftcardTransaction // without this method, so decoding does not recurse
	flattened, err := decodeFlat(data, (*plain)(t), "settlements")
	if err != nil {
		return err
	}
	for name, value := range flattened {
		if t.CustomAttributes == nil {
			t.CustomAttributes = Attributes{}
		}
		t.CustomAttributes[name] = value
	}
	return nil
}

// CreateGiftcardTransactionRequest moves giftcard money.
type CreateGiftcardTransactionRequest struct {
	GiftcardUUID string `json:"giftcard_uuid"`
	ShopUUID     string `json:"shop_uuid"`
	// AmountInCents is positive to load the card, negative to pay with it.
	AmountInCents int64 `json:"amount_in_cents"`
	// CustomAttributes tag the transaction; tag it with the caller's own step id so that an
	// unknown outcome can be reconciled with ListGiftcardTransactions.
	CustomAttributes map[string]string `json:"custom_attributes,omitempty"`
}

// CreateGiftcardTransaction MOVES MONEY on a giftcard. It fails with
// CodeInsufficientGiftcardBalance, CodeGiftcardExpired, CodeGiftcardNotIncrementable,
// CodeGiftcardMaxAmountExceeded, CodeGiftcardReIncrementable, CodeShopNoGiftcardProgramAccess,
// CodeGiftcardNotInProgram or CodeInternalError. On ErrOutcomeUnknown, list the card's
// transactions and look for the tag in CustomAttributes before writing again.
func (c *Client) CreateGiftcardTransaction(ctx context.Context, req CreateGiftcardTransactionRequest) (*GiftcardTransaction, error) {
	return fetch[GiftcardTransaction](ctx, c, post("/giftcard-transactions").body(req))
}

// GetGiftcardTransaction returns a transaction, or fails with
// CodeGiftcardTransactionNotFound.
func (c *Client) GetGiftcardTransaction(ctx context.Context, transactionUUID string) (*GiftcardTransaction, error) {
	return fetch[GiftcardTransaction](ctx, c, get("/giftcard-transactions/%s", transactionUUID))
}

// ListGiftcardTransactionsRequest filters ListGiftcardTransactions; every field is optional.
type ListGiftcardTransactionsRequest struct {
	// GiftcardHash is the card's code (Giftcard.Hash), not its uuid.
	GiftcardHash string
	ShopUUID     string
	// CreatedSince keeps transactions created at or after it.
	CreatedSince time.Time
	// NewestFirst sorts by creation time, newest first; the default is oldest first.
	NewestFirst bool
	// Page starts at 1; PerPage defaults to 10 and is at most 100.
	Page, PerPage int
}

// ListGiftcardTransactions returns one page of giftcard transactions.
func (c *Client) ListGiftcardTransactions(ctx context.Context, req ListGiftcardTransactionsRequest) (*Page[GiftcardTransaction], error) {
	sort := "created_at"
	if req.NewestFirst {
		sort = "-created_at"
	}
	return fetchPage[GiftcardTransaction](ctx, c, get("/giftcard-transactions").
		param("giftcard_hash", req.GiftcardHash).
		param("shop_uuid", req.ShopUUID).
		paramTime("created_at[gte]", req.CreatedSince).
		param("sort", sort).
		paramInt("page", req.Page).
		paramInt("perPage", req.PerPage))
}

// ReverseGiftcardTransaction MOVES MONEY back: it creates the opposite transaction and
// returns it. It fails with CodeNotLastGiftcardTransaction when the transaction is not the
// card's last one (then write an opposite transaction instead), and with the errors of
// CreateGiftcardTransaction. On ErrOutcomeUnknown, list the card's transactions before
// reversing again.
func (c *Client) ReverseGiftcardTransaction(ctx context.Context, transactionUUID string) (*GiftcardTransaction, error) {
	return fetch[GiftcardTransaction](ctx, c, post("/giftcard-transactions/%s/reverse", transactionUUID))
}
