package leatsandbox

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"
)

//go:embed seed.json
var seedJSON []byte

// Seed is the demo account the sandbox starts from (seed.json). Records refer to each other by the key a
// person would type: contacts by email, tiers, promotions and programs by name, rewards by title. Tests
// read values from here instead of repeating them, so editing seed.json never breaks a test silently.
type Seed struct {
	Account             SeedAccount             `json:"account"`
	Shops               []SeedShop              `json:"shops"`
	Tiers               []SeedTier              `json:"tiers"`
	Contacts            []SeedContact           `json:"contacts"`
	LoyaltyCards        []SeedLoyaltyCard       `json:"loyalty_cards"`
	RewardAttributes    []string                `json:"reward_attributes"`
	Rewards             []SeedReward            `json:"rewards"`
	CollectableRewards  []SeedCollectableReward `json:"collectable_rewards"`
	PromotionAttributes []string                `json:"promotion_attributes"`
	Promotions          []SeedPromotion         `json:"promotions"`
	Vouchers            []SeedVoucher           `json:"vouchers"`
	GiftcardPrograms    []SeedGiftcardProgram   `json:"giftcard_programs"`
	Giftcards           []SeedGiftcard          `json:"giftcards"`
}

// SeedAccount holds the account-wide settings and credentials.
type SeedAccount struct {
	Name                      string `json:"name"`
	PersonalAccessToken       string `json:"personal_access_token"`
	OAuthClientID             string `json:"oauth_client_id"`
	OAuthClientSecret         string `json:"oauth_client_secret"`
	OAuthTokenLifetimeSeconds int64  `json:"oauth_token_lifetime_seconds"`
	AccountSecret             string `json:"account_secret"`
	WebhookSecret             string `json:"webhook_secret"`
	ContactsPortalURL         string `json:"contacts_portal_url"`
	Currency                  string `json:"currency"`
	// PointsPerCurrencyUnit is the earning rule of orders: points per whole unit (euro) of the line items.
	PointsPerCurrencyUnit int64 `json:"points_per_currency_unit"`
	RateLimitPerMinute    int   `json:"rate_limit_per_minute"`
}

// SeedShop is a shop (business profile).
type SeedShop struct {
	UUID      string      `json:"uuid"`
	Name      string      `json:"name"`
	Type      string      `json:"type"`
	Reference string      `json:"reference"`
	Address   SeedAddress `json:"address"`
}

// SeedAddress is a shop address.
type SeedAddress struct {
	Street      string `json:"street"`
	HouseNumber string `json:"housenumber"`
	PostalCode  string `json:"postalcode"`
	City        string `json:"city"`
	Country     string `json:"country"`
}

// SeedTier is a loyalty tier; a higher position is a better tier.
type SeedTier struct {
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
}

// SeedContact is a loyalty member with its balances.
type SeedContact struct {
	About                 string `json:"about"`
	UUID                  string `json:"uuid"`
	Email                 string `json:"email"`
	FirstName             string `json:"firstname"`
	LastName              string `json:"lastname"`
	Tier                  string `json:"tier"` // tier name, "" for none
	Points                int64  `json:"points"`
	PrepaidBalanceInCents int64  `json:"prepaid_balance_in_cents"`
}

// SeedLoyaltyCard is a contact identifier: the value a card or QR code carries.
type SeedLoyaltyCard struct {
	About   string `json:"about"`
	Value   string `json:"value"`
	Name    string `json:"name"`
	Active  bool   `json:"active"`
	Contact string `json:"contact"` // contact email, "" for a card nobody owns yet
}

// SeedReward is a reward that members claim with points.
type SeedReward struct {
	About              string `json:"about"`
	UUID               string `json:"uuid"`
	Title              string `json:"title"`
	Description        string `json:"description"`
	RequiredCredits    int64  `json:"required_credits"`
	Active             bool   `json:"is_active"`
	PreRedeemable      bool   `json:"pre_redeemable"`
	ExpirationDuration *int64 `json:"expiration_duration"` // seconds a collectable reward stays valid
	Stock              *int64 `json:"stock"`               // nil means unlimited
	ClaimLimit         int    `json:"claim_limit"`         // claims per contact, 0 means unlimited
	// Attributes are the reward's custom attribute values, by attribute name.
	Attributes map[string]string `json:"attributes"`
}

// SeedCollectableReward is a pre-redeemed reward waiting to be collected.
type SeedCollectableReward struct {
	About     string     `json:"about"`
	UUID      string     `json:"uuid"`
	Contact   string     `json:"contact"` // email
	Reward    string     `json:"reward"`  // title
	Shop      string     `json:"shop"`    // name
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// SeedPromotion groups vouchers and holds their discount attributes.
type SeedPromotion struct {
	UUID               string            `json:"uuid"`
	Name               string            `json:"name"`
	Description        string            `json:"description"`
	Active             bool              `json:"is_active"`
	VoucherLimit       int               `json:"voucher_limit"`       // 0 means unlimited
	LimitPerContact    int               `json:"limit_per_contact"`   // 0 means unlimited
	ExpirationDuration *int64            `json:"expiration_duration"` // seconds a new voucher stays valid
	Attributes         map[string]string `json:"attributes"`
}

// SeedVoucher is a voucher of a promotion.
type SeedVoucher struct {
	About     string `json:"about"`
	UUID      string `json:"uuid"`
	Code      string `json:"code"`
	Promotion string `json:"promotion"` // name
	Contact   string `json:"contact"`   // email, "" for a voucher anybody may use
	// Status is ACTIVE, DEACTIVATED or INACTIVE; REDEEMED, EXPIRED and LOCKED follow from the other fields.
	Status                  string     `json:"status"`
	ActivationDate          *time.Time `json:"activation_date"`
	ExpirationDate          *time.Time `json:"expiration_date"`
	TotalRedemptionsAllowed int        `json:"total_redemptions_allowed"` // 0 means single use
	TimesRedeemed           int        `json:"times_redeemed"`
	RedeemedAt              *time.Time `json:"redeemed_at"`
}

// SeedGiftcardProgram holds the rules shared by its giftcards.
type SeedGiftcardProgram struct {
	UUID             string `json:"uuid"`
	Name             string `json:"name"`
	MaxAmountInCents int64  `json:"max_amount_in_cents"`
	ExpirationDays   *int   `json:"expiration_days"`
}

// SeedGiftcard is a giftcard with its balance.
type SeedGiftcard struct {
	About          string     `json:"about"`
	UUID           string     `json:"uuid"`
	Hash           string     `json:"hash"`
	Type           string     `json:"type"`    // PHYSICAL or DIGITAL
	Program        string     `json:"program"` // name
	AmountInCents  int64      `json:"amount_in_cents"`
	Active         bool       `json:"active"`
	ExpirationDate *time.Time `json:"expiration_date"`
}

// loadSeed decodes the embedded seed strictly: an unknown field in seed.json is a typo to report, not to skip.
func loadSeed() (Seed, error) {
	var seed Seed
	decoder := json.NewDecoder(bytes.NewReader(seedJSON))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&seed); err != nil {
		return Seed{}, fmt.Errorf("seed.json: %w", err)
	}
	return seed, nil
}
