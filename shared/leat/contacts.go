package leat

import "context"

// ContactIdentifier is a loyalty card, QR code or other value that identifies a contact.
type ContactIdentifier struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Active bool   `json:"active"`
	// Contact is nil when the identifier belongs to nobody yet (see LinkContactIdentifier).
	// Objects that embed an identifier omit it.
	Contact *ContactSummary `json:"contact"`
}

// Contact is a Leat contact (customer).
type Contact struct {
	ID    int64  `json:"id"`
	UUID  string `json:"uuid"`
	Email string `json:"email"`
	// Tier is nil when the contact has no tier.
	Tier           *Tier          `json:"tier"`
	CreditBalance  CreditBalance  `json:"credit_balance"`
	PrepaidBalance PrepaidBalance `json:"prepaid_balance"`
	// CurrentValues holds every contact attribute (firstname, birthdate, custom ones, …).
	CurrentValues Attributes `json:"current_values"`
}

// Tier is a loyalty tier.
type Tier struct {
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
	Media       *Media `json:"media"`
}

// FindContactIdentifier looks up a scanned card or QR value. It fails with
// CodeContactIdentifierNotFound or CodeContactIdentifierInactive. The answer holds only the
// contact's uuid and email; read balances with separate calls.
func (c *Client) FindContactIdentifier(ctx context.Context, value string) (*ContactIdentifier, error) {
	return fetch[ContactIdentifier](ctx, c, get("/contact-identifiers/find").param("contact_identifier_value", value))
}

// CreateContactIdentifierRequest creates a contact identifier.
type CreateContactIdentifierRequest struct {
	Value string `json:"contact_identifier_value"`
	// ContactUUID links the identifier to a contact at once; optional.
	ContactUUID string `json:"contact_uuid,omitempty"`
	// Name labels the identifier, for example "Loyalty Card"; optional.
	Name string `json:"contact_identifier_name,omitempty"`
}

// CreateContactIdentifier registers a new identifier. It fails with
// CodeContactIdentifierExists when the value is taken.
func (c *Client) CreateContactIdentifier(ctx context.Context, req CreateContactIdentifierRequest) (*ContactIdentifier, error) {
	return fetch[ContactIdentifier](ctx, c, post("/contact-identifiers").body(req))
}

// LinkContactIdentifier links an unowned identifier to a contact. It fails with
// CodeContactIdentifierAlreadyLinked, CodeContactIdentifierNotFound,
// CodeContactIdentifierInactive or CodeContactNotFound.
func (c *Client) LinkContactIdentifier(ctx context.Context, value, contactUUID string) (*ContactIdentifier, error) {
	return fetch[ContactIdentifier](ctx, c, put("/contact-identifiers/link").body(map[string]string{
		"contact_identifier_value": value,
		"contact_uuid":             contactUUID,
	}))
}

// FindOrCreateContact returns the contact with this email, creating it when there is none.
// It may fail with CodeUsageLimitReached. Although it can create a contact, repeating it is
// harmless, so it is retried like a read.
func (c *Client) FindOrCreateContact(ctx context.Context, email string) (*Contact, error) {
	return fetch[Contact](ctx, c, get("/contacts/find-or-create").param("email", email))
}

// FindContactByEmail returns the contact with this email, or fails with CodeContactNotFound.
func (c *Client) FindContactByEmail(ctx context.Context, email string) (*Contact, error) {
	return fetch[Contact](ctx, c, get("/contacts/find-one-by").param("email", email))
}

// GetContact returns a contact, or fails with CodeContactNotFound.
func (c *Client) GetContact(ctx context.Context, contactUUID string) (*Contact, error) {
	return fetch[Contact](ctx, c, get("/contacts/%s", contactUUID))
}

// CreateContactRequest creates a contact.
type CreateContactRequest struct {
	Email        string `json:"email"`
	ReferralCode string `json:"referral_code,omitempty"`
}

// CreateContact creates a contact and returns its uuid. It fails with CodeContactExists.
func (c *Client) CreateContact(ctx context.Context, req CreateContactRequest) (string, error) {
	created, err := fetch[Ref](ctx, c, post("/contacts").body(req))
	if err != nil {
		return "", err
	}
	return created.UUID, nil
}

// GetCreditBalance returns a contact's loyalty points.
func (c *Client) GetCreditBalance(ctx context.Context, contactUUID string) (int64, error) {
	balance, err := fetch[CreditBalance](ctx, c, get("/contacts/%s/credit-balance", contactUUID))
	if err != nil {
		return 0, err
	}
	return balance.Balance, nil
}

// GetPrepaidBalance returns a contact's prepaid balance in cents.
func (c *Client) GetPrepaidBalance(ctx context.Context, contactUUID string) (int64, error) {
	balance, err := fetch[PrepaidBalance](ctx, c, get("/contacts/%s/prepaid-balance", contactUUID))
	if err != nil {
		return 0, err
	}
	return balance.BalanceInCents, nil
}

// GetContactTier returns a contact's tier, or nil when the contact has none.
func (c *Client) GetContactTier(ctx context.Context, contactUUID string) (*Tier, error) {
	tier, err := fetch[Tier](ctx, c, get("/contacts/%s/tier", contactUUID))
	if err != nil || tier.Name == "" {
		return nil, err
	}
	return tier, nil
}

// ListTiers returns every tier of the loyalty program.
func (c *Client) ListTiers(ctx context.Context) ([]Tier, error) {
	return fetchList[Tier](ctx, c, get("/tiers"))
}
