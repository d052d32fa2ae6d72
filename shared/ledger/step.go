package ledger

import (
	"fmt"
	"strings"
	"time"
)

// StepKind is the kind of Leat write a step performs.
type StepKind string

// The Leat writes of the checkout and return sagas.
const (
	StepRewardReception   StepKind = "reward_reception"
	StepRewardCollection  StepKind = "reward_collection"
	StepVoucherLock       StepKind = "voucher_lock"
	StepVoucherRedemption StepKind = "voucher_redemption"
	StepGiftcardDebit     StepKind = "giftcard_debit"
	StepGiftcardLoad      StepKind = "giftcard_load"
	StepPrepaidDebit      StepKind = "prepaid_debit"
	StepPrepaidTopUp      StepKind = "prepaid_top_up"
	StepOrder             StepKind = "order"
	StepOrderReturn       StepKind = "order_return"
	// StepGiftcardRefund and StepPrepaidRefund give part of a tender back
	// as a credit of its own, where reversing the debit would give all.
	StepGiftcardRefund StepKind = "giftcard_refund"
	StepPrepaidRefund  StepKind = "prepaid_refund"
)

var stepKinds = map[StepKind]bool{
	StepRewardReception: true, StepRewardCollection: true, StepVoucherLock: true, StepVoucherRedemption: true,
	StepGiftcardDebit: true, StepGiftcardLoad: true, StepPrepaidDebit: true, StepPrepaidTopUp: true,
	StepOrder: true, StepOrderReturn: true, StepGiftcardRefund: true, StepPrepaidRefund: true,
}

// StepID is deterministic: the same step of the same checkout always has the
// same id, which is what makes a retried step find its earlier outcome. It
// names the kind and the basket item the step serves: "voucher_lock:vouchers[0]".
type StepID string

// ItemOrder is the item of the steps that act on the whole checkout.
const ItemOrder = "order"

// isItemPath reports whether item names the whole checkout ("order"), a
// basket item ("rewards[1]") or one of an item's tenders
// ("returns[0].tenders[1]").
func isItemPath(item string) bool {
	if item == ItemOrder {
		return true
	}
	_, rest, ok := cutIndexed(item)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	tender, ok := strings.CutPrefix(rest, ".")
	if !ok {
		return false
	}
	list, rest, ok := cutIndexed(tender)
	return ok && list == "tenders" && rest == ""
}

// cutIndexed cuts a list's item, such as "rewards[12]", off the front of s:
// a name of lower-case letters and underscores, then an index of one to
// three digits in brackets.
func cutIndexed(s string) (list, rest string, ok bool) {
	name := 0
	for name < len(s) && ('a' <= s[name] && s[name] <= 'z' || s[name] == '_') {
		name++
	}
	if name == 0 || name == len(s) || s[name] != '[' {
		return "", "", false
	}
	end := name + 1
	for end < len(s) && '0' <= s[end] && s[end] <= '9' {
		end++
	}
	if digits := end - name - 1; digits < 1 || digits > 3 || end == len(s) || s[end] != ']' {
		return "", "", false
	}
	return s[:name], s[end+1:], true
}

// NewStepID names the step of a kind for a basket item ("rewards[1]", "order",
// or a return's "returns[0]" and "returns[0].tenders[1]").
func NewStepID(kind StepKind, item string) (StepID, error) {
	if !stepKinds[kind] {
		return "", fmt.Errorf("%w: step kind %q", ErrInvalid, kind)
	}
	if !isItemPath(item) {
		return "", fmt.Errorf("%w: step item %q", ErrInvalid, item)
	}
	return StepID(string(kind) + ":" + item), nil
}

// Kind is the kind part of the id.
func (id StepID) Kind() StepKind {
	kind, _, _ := strings.Cut(string(id), ":")
	return StepKind(kind)
}

// Item is the basket item part of the id.
func (id StepID) Item() string {
	_, item, _ := strings.Cut(string(id), ":")
	return item
}

// StepState is what is known about a step's Leat write and its reversal.
type StepState string

// A step is pending from its intent until Leat's answer is recorded; a
// pending step found later is an unknown outcome, reconciled against Leat
// before any new write. A reversal goes the same way through reversing.
const (
	StepPending   StepState = "pending"
	StepDone      StepState = "done"
	StepFailed    StepState = "failed"
	StepReversing StepState = "reversing"
	StepReversed  StepState = "reversed"
	// StepNeedsAttention: Leat cannot tell whether the write (or its
	// reversal) happened, or it kept failing; the saga stops touching it.
	StepNeedsAttention StepState = "needs_attention"
)

// StepDetails keep what later calls and reconciliation need. Which fields a
// step uses depends on its kind.
type StepDetails struct {
	// VoucherUUID and VoucherCode name the voucher of voucher steps.
	VoucherUUID string `json:"voucher_uuid,omitempty"`
	VoucherCode string `json:"voucher_code,omitempty"`
	// ReleaseKey unlocks a voucher lock; LockReleasesAt is when Leat frees it by itself.
	ReleaseKey     string    `json:"release_key,omitempty"`
	LockReleasesAt time.Time `json:"lock_releases_at,omitzero"`
	// ContactUUID is whose points or vouchers the step touches.
	ContactUUID string `json:"contact_uuid,omitempty"`
	// CollectableUUID is the collectable reward a collection hands over.
	CollectableUUID string `json:"collectable_uuid,omitempty"`
	// RewardUUID and Points describe a reward reception: Points is what it
	// costs (positive), PreRedeem that it leaves a collectable reward.
	RewardUUID string `json:"reward_uuid,omitempty"`
	Points     int64  `json:"points,omitempty"`
	PreRedeem  bool   `json:"pre_redeem,omitempty"`
	// PointsBefore is the contact's balance just before the write (or the
	// reversal), to tell afterwards whether a lost answer was applied.
	PointsBefore *int64 `json:"points_before,omitempty"`
	// PointsAfter is the balance Leat reported after the write.
	PointsAfter *int64 `json:"points_after,omitempty"`
	// RedemptionsBefore is the voucher's redemption count before the write.
	RedemptionsBefore *int64 `json:"redemptions_before,omitempty"`
	// Collectables lists the contact's collectable rewards of RewardUUID
	// before a pre-redeem, so that a new one can be told apart.
	Collectables []string `json:"collectables,omitempty"`
	// ExternalID is the order's external identifier in Leat.
	ExternalID string `json:"external_id,omitempty"`
	// PointsEarned is what a Leat order earned.
	PointsEarned *int64 `json:"points_earned,omitempty"`
	// GiftcardUUID and GiftcardCode name the card of a giftcard step.
	GiftcardUUID string `json:"giftcard_uuid,omitempty"`
	GiftcardCode string `json:"giftcard_code,omitempty"`
	// Amount is the money a giftcard or prepaid step moves, in minor units
	// (positive: what is debited or loaded).
	Amount int64 `json:"amount,omitempty"`
	// BalanceBefore is the card's or the prepaid balance before the write
	// (or the reversal), to tell afterwards whether a lost answer was applied.
	BalanceBefore *int64 `json:"balance_before,omitempty"`
	// BalanceAfter is the balance Leat reported, or the gateway worked out, after the write.
	BalanceAfter *int64 `json:"balance_after,omitempty"`
	// Tag marks a giftcard transaction (custom attribute) so that it can be
	// found again when its answer was lost.
	Tag string `json:"tag,omitempty"`
	// BalanceURL is a loaded card's public balance page.
	BalanceURL string `json:"balance_url,omitempty"`
	// Email is where a digital card is sent; Emailed that it was.
	Email   string `json:"email,omitempty"`
	Emailed bool   `json:"emailed,omitempty"`
	// ReversedBy says how a debit was given back: "reverse", or "credit" when
	// Leat refused to reverse a transaction that was no longer the card's last.
	ReversedBy string `json:"reversed_by,omitempty"`
}

// Step is one Leat write of a checkout, and its reversal.
type Step struct {
	Checkout CheckoutID
	ID       StepID
	State    StepState
	Details  StepDetails
	// LeatUUID is the transaction Leat created; ReversalUUID the one that
	// undid it. Either may stay empty when Leat's answer was lost and the
	// outcome was read back without it.
	LeatUUID     string
	ReversalUUID string
	// FailureCode is the stable problem code of a refusal; Failure says more.
	FailureCode string
	Failure     string
	// Attempts counts calls to Leat for the write or its reversal.
	Attempts int
	// Unapplied: Leat refused the last call before acting on it (rate
	// limit, maintenance), so the next attempt may call again at once.
	Unapplied bool
	// AttentionFrom is the state a step needing attention was in when the
	// saga gave up on it, to which an operator's retry reopens it.
	AttentionFrom StepState
	// LeaseUntil: until then the invocation that recorded the intent may
	// still be calling Leat, so nobody else reconciles the step.
	LeaseUntil time.Time
	IntentAt   time.Time
	DoneAt     time.Time
	ReversedAt time.Time
	Version    int64
}

// Kind is the kind of Leat write.
func (s Step) Kind() StepKind { return s.ID.Kind() }

// Item is the basket item the step serves.
func (s Step) Item() string { return s.ID.Item() }

// NewStep records the intent of a Leat write, leased to the caller until
// leaseUntil.
func NewStep(checkout CheckoutID, id StepID, details StepDetails, at, leaseUntil time.Time) Step {
	return Step{
		Checkout: checkout, ID: id, State: StepPending, Details: details,
		Attempts: 1, IntentAt: at.UTC(), LeaseUntil: leaseUntil.UTC(),
	}
}

// Leased reports whether another invocation may still be calling Leat.
func (s Step) Leased(now time.Time) bool { return now.Before(s.LeaseUntil) }

// Retry takes a pending (or reversing) step whose earlier call did not reach
// Leat, as reconciliation showed, for one more attempt.
func (s Step) Retry(at, leaseUntil time.Time) (Step, error) {
	if s.State != StepPending && s.State != StepReversing {
		return s, s.transition(s.State)
	}
	s.Attempts++
	s.LeaseUntil, s.Unapplied = leaseUntil.UTC(), false
	s.IntentAt = at.UTC()
	return s, nil
}

// Release ends the lease of a pending or reversing step whose call ended
// without an answer: unapplied when Leat surely did not act on it.
func (s Step) Release(unapplied bool) (Step, error) {
	if s.State != StepPending && s.State != StepReversing {
		return s, s.transition(s.State)
	}
	s.LeaseUntil, s.Unapplied = time.Time{}, unapplied
	return s, nil
}

// Succeed records Leat's answer to a pending step. leatUUID is empty when
// the outcome was read back from Leat without the transaction's uuid.
func (s Step) Succeed(leatUUID string, at time.Time) (Step, error) {
	if s.State != StepPending {
		return s, s.transition(StepDone)
	}
	s.State, s.LeatUUID, s.DoneAt, s.LeaseUntil, s.Unapplied = StepDone, leatUUID, at.UTC(), time.Time{}, false
	return s, nil
}

// Fail records that Leat refused a pending step, so nothing changed in Leat.
func (s Step) Fail(code, reason string, at time.Time) (Step, error) {
	if s.State != StepPending {
		return s, s.transition(StepFailed)
	}
	s.State, s.FailureCode, s.Failure, s.DoneAt, s.LeaseUntil = StepFailed, code, reason, at.UTC(), time.Time{}
	return s, nil
}

// BeginReversal records the intent to undo a done step.
func (s Step) BeginReversal(pointsBefore *int64, at, leaseUntil time.Time) (Step, error) {
	if s.State != StepDone {
		return s, s.transition(StepReversing)
	}
	s.State, s.Attempts, s.LeaseUntil, s.Unapplied = StepReversing, 1, leaseUntil.UTC(), false
	s.Details.PointsBefore = pointsBefore
	s.IntentAt = at.UTC()
	return s, nil
}

// Reverse records that the step was undone; reversalUUID may be empty.
func (s Step) Reverse(reversalUUID string, at time.Time) (Step, error) {
	if s.State != StepReversing {
		return s, s.transition(StepReversed)
	}
	s.State, s.ReversalUUID, s.ReversedAt, s.LeaseUntil, s.Unapplied = StepReversed, reversalUUID, at.UTC(), time.Time{}, false
	return s, nil
}

// NeedAttention gives up on a pending or reversing step: Leat cannot tell
// what happened, or it kept refusing, and only a person can decide.
func (s Step) NeedAttention(code, reason string, at time.Time) (Step, error) {
	if s.State != StepPending && s.State != StepReversing {
		return s, s.transition(StepNeedsAttention)
	}
	s.AttentionFrom = s.State
	s.State, s.FailureCode, s.Failure, s.DoneAt, s.LeaseUntil = StepNeedsAttention, code, reason, at.UTC(), time.Time{}
	return s, nil
}

// Reopen puts a step needing attention back where the saga gave up on it,
// for an operator's retry: its outcome in Leat is read again before any
// call, as after a lost answer.
func (s Step) Reopen() (Step, error) {
	if s.State != StepNeedsAttention || s.AttentionFrom != StepPending && s.AttentionFrom != StepReversing {
		return s, s.transition(s.AttentionFrom)
	}
	s.State, s.AttentionFrom, s.FailureCode, s.Failure, s.DoneAt = s.AttentionFrom, "", "", "", time.Time{}
	s.LeaseUntil, s.Unapplied = time.Time{}, false
	return s, nil
}

func (s Step) transition(to StepState) error {
	return &TransitionError{What: "step " + string(s.ID), From: string(s.State), To: string(to)}
}
