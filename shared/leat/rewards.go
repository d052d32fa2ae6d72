package leat

import (
	"context"
	"time"
)

// RewardType tells physical rewards (handed over at the counter) from digital ones (codes).
type RewardType string

const (
	RewardPhysical RewardType = "PHYSICAL"
	RewardDigital  RewardType = "DIGITAL"
)

// Reward is a reward a contact can claim with points.
type Reward struct {
	ID              int64      `json:"id"`
	UUID            string     `json:"uuid"`
	Title           string     `json:"title"`
	Description     string     `json:"description"`
	RequiredCredits int64      `json:"required_credits"`
	Media           *Media     `json:"media"`
	Type            RewardType `json:"reward_type"`
	IsActive        bool       `json:"is_active"`
	// PreRedeemable rewards become collectable rewards when claimed (physical only).
	PreRedeemable bool `json:"pre_redeemable"`
	// ExpirationSeconds is how long a collectable reward stays collectable; 0 for no limit.
	ExpirationSeconds int64 `json:"expiration_duration"`
	// Stock is how many are left to claim; nil when unlimited. Leat documents no type for
	// it, so a number written as a string is read too.
	Stock *flexInt `json:"stock"`
	// Attributes holds the reward's custom attributes (the POS discount settings), which
	// Leat sends as extra top-level members of the reward.
	Attributes Attributes `json:"-"`
}

// rewardMembersIgnored are members Leat sends on rewards that are neither decoded nor custom
// attributes: "type" repeats reward_type, "active" is the old name of is_active, and
// cost_price has no documented type.
var rewardMembersIgnored = []string{"type", "active", "cost_price"}

// StockLeft reports how many are left to claim, and false when the stock is unlimited.
func (r Reward) StockLeft() (int64, bool) {
	if r.Stock == nil {
		return 0, false
	}
	return int64(*r.Stock), true
}

// UnmarshalJSON collects every member that is not a known reward field into Attributes.
func (r *Reward) UnmarshalJSON(data []byte) error {
	type plain Reward // without this method, so decoding does not recurse
	attributes, err := decodeFlat(data, (*plain)(r), rewardMembersIgnored...)
	if err != nil {
		return err
	}
	r.Attributes = attributes
	return nil
}

// ListRewardsRequest filters ListRewards; both fields are optional.
type ListRewardsRequest struct {
	ShopUUID string
	// ContactUUID limits the list to what this contact can claim.
	ContactUUID string
}

// ListRewards returns the rewards (not paginated).
func (c *Client) ListRewards(ctx context.Context, req ListRewardsRequest) ([]Reward, error) {
	return fetchList[Reward](ctx, c, get("/rewards").
		param("shop_uuid", req.ShopUUID).
		param("contact_uuid", req.ContactUUID))
}

// GetReward returns a reward, or fails with CodeRewardNotFound.
func (c *Client) GetReward(ctx context.Context, rewardUUID string) (*Reward, error) {
	return fetch[Reward](ctx, c, get("/rewards/%s", rewardUUID))
}

// CollectableReward is a claimed pre-redeemable reward waiting to be collected.
//
// Collect and reverse-collection answers come in two shapes: the full object, or only UUID
// and Status. Both decode into this type; the fields of the other shape stay zero.
type CollectableReward struct {
	// UUID is the uuid of the reward reception that created it.
	UUID             string          `json:"uuid"`
	Title            string          `json:"title"`
	CreatedAt        time.Time       `json:"created_at"`
	ExpiresAt        time.Time       `json:"expires_at"` // zero when it does not expire
	HasBeenCollected bool            `json:"has_been_collected"`
	Contact          *ContactSummary `json:"contact"`
	Reward           *Reward         `json:"reward"`
	// Status is "COLLECTED" or "REVERSED" in the short answer shape.
	Status string `json:"status"`
}

// ListCollectableRewards returns a contact's claimed rewards not yet collected.
func (c *Client) ListCollectableRewards(ctx context.Context, contactUUID string) ([]CollectableReward, error) {
	return fetchList[CollectableReward](ctx, c, get("/collectable-rewards").param("contact_uuid", contactUUID))
}

// CollectReward marks a collectable reward as handed over; collectableRewardUUID is the
// reward reception's uuid. It fails with CodeRewardNotFound or CodeNotFoundOrExpired.
// The answer's UUID is what ReverseRewardCollection takes.
func (c *Client) CollectReward(ctx context.Context, collectableRewardUUID string) (*CollectableReward, error) {
	return fetch[CollectableReward](ctx, c, put("/collectable-rewards/collect/%s", collectableRewardUUID))
}

// ReverseRewardCollection makes a collected reward collectable again. collectionUUID is the
// UUID that CollectReward answered with.
func (c *Client) ReverseRewardCollection(ctx context.Context, collectionUUID string) (*CollectableReward, error) {
	return fetch[CollectableReward](ctx, c, post("/collectable-rewards/%s/reverse", collectionUUID))
}

// RewardReception is a claimed reward: the contact's points were deducted.
type RewardReception struct {
	// Type is "reward_reception" or, for digital rewards, "digital_reward_reception".
	Type  string `json:"type"`
	UUID  string `json:"uuid"`
	Title string `json:"title"`
	// Credits is negative: the points deducted.
	Credits int64 `json:"credits"`
	// Contact.CreditBalance is the balance after the deduction.
	Contact           ContactSummary     `json:"contact"`
	Shop              Shop               `json:"shop"`
	ContactIdentifier *ContactIdentifier `json:"contact_identifier"`
	Channel           string             `json:"channel"`
	CreatedAt         time.Time          `json:"created_at"`
	// Reward is set for physical rewards, DigitalReward and DigitalRewardCode for digital
	// ones.
	Reward            *Reward            `json:"reward"`
	DigitalReward     *Reward            `json:"digital_reward"`
	DigitalRewardCode *DigitalRewardCode `json:"digital_reward_code"`
	// ExpiresAt and HasBeenCollected describe the collectable reward a pre-redeemable
	// reward creates.
	ExpiresAt        time.Time `json:"expires_at"`
	HasBeenCollected bool      `json:"has_been_collected"`
}

// DigitalRewardCode is the code a digital reward hands out.
type DigitalRewardCode struct {
	Code string `json:"code"`
}

// CreateRewardReceptionRequest claims a reward for a contact.
type CreateRewardReceptionRequest struct {
	ContactUUID string `json:"contact_uuid"`
	RewardUUID  string `json:"reward_uuid"`
	ShopUUID    string `json:"shop_uuid"`
	// ContactIdentifierValue records the card the contact identified with; optional.
	ContactIdentifierValue string `json:"contact_identifier_value,omitempty"`
}

// CreateRewardReception claims a reward: it DEDUCTS POINTS at once. A pre-redeemable reward
// also becomes a collectable reward. It fails with CodeInsufficientCredits,
// CodeRewardOutOfStock, CodeRewardClaimLimitReached, CodeRewardInactive, CodeRewardNotFound,
// CodeContactNotFound or CodeShopNotFound. On ErrOutcomeUnknown, check the contact's
// collectable rewards or balance before claiming again.
func (c *Client) CreateRewardReception(ctx context.Context, req CreateRewardReceptionRequest) (*RewardReception, error) {
	return fetch[RewardReception](ctx, c, post("/reward-receptions").body(req))
}

// RewardReceptionReversal is Leat's answer to reversing a reward reception. Its sources
// disagree on the shape: the reference describes the compensating credit reception (Type
// "credit_reception", UUID its own, Credits positive), while recorded answers repeat the
// reversed reception (Type "reward_reception", UUID the original, Credits negative). Only the
// fields both shapes share are decoded.
type RewardReceptionReversal struct {
	Type    string         `json:"type"`
	UUID    string         `json:"uuid"`
	Credits int64          `json:"credits"`
	Contact ContactSummary `json:"contact"`
	// CreatedAt is when the answered transaction was created.
	CreatedAt time.Time `json:"created_at"`
}

// ReverseRewardReception gives the points of a reward reception back (a compensating credit
// reception; nothing is deleted). On ErrOutcomeUnknown, check the contact's balance before
// reversing again.
func (c *Client) ReverseRewardReception(ctx context.Context, rewardReceptionUUID string) (*RewardReceptionReversal, error) {
	return fetch[RewardReceptionReversal](ctx, c, post("/reward-receptions/%s/reverse", rewardReceptionUUID))
}
