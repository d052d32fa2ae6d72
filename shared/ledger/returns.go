package ledger

import (
	"errors"
	"fmt"
	"time"
)

// Errors of returns.
var (
	ErrReturnNotFound = errors.New("ledger: return not found")
	ErrReturnExists   = errors.New("ledger: return already exists")
)

// ReturnID is the back office's name for a return, unique within its order.
type ReturnID string

// ParseReturnID validates a return id from a request.
func ParseReturnID(s string) (ReturnID, error) {
	if !isPOSName(s, 64) {
		return "", fmt.Errorf("%w: return id %q: 1-64 letters, digits, '.', '_', ':' or '-'", ErrInvalid, s)
	}
	return ReturnID(s), nil
}

// ReturnStatus is where a return's saga is.
type ReturnStatus string

// A return is processing until its saga records it: completed when every
// step it planned ended as planned, needs_attention otherwise.
const (
	ReturnProcessing     ReturnStatus = "processing"
	ReturnCompleted      ReturnStatus = "completed"
	ReturnNeedsAttention ReturnStatus = "needs_attention"
)

// ReturnStatuses lists every status a return can be in.
func ReturnStatuses() []ReturnStatus {
	return []ReturnStatus{ReturnProcessing, ReturnCompleted, ReturnNeedsAttention}
}

// ReturnLine is what comes back of one line of the order.
type ReturnLine struct {
	LineID   string `json:"line_id"`
	Quantity int64  `json:"quantity"`
	// Amount is what the returned quantity cost after its discounts.
	Amount int64 `json:"amount"`
}

// Refund is what one Leat tender of the order gets back.
type Refund struct {
	// Tender is the tender's index in the order's basket; Debit the step
	// that took the money.
	Tender int    `json:"tender"`
	Debit  StepID `json:"debit"`
	Amount int64  `json:"amount"`
	// By is the step that gives it back: the debit itself when it is
	// reversed whole, or a refund step of its own.
	By StepID `json:"by"`
}

// ReturnPlan lists a return's steps by phase, in the order the saga runs them.
type ReturnPlan struct {
	// OrderReturn corrects the points the order earned; empty when it
	// earned none.
	OrderReturn StepID `json:"order_return,omitempty"`
	// Offers are the order's redemptions given back.
	Offers []StepID `json:"offers"`
	// Refunds give Leat tenders their money back.
	Refunds []StepID `json:"refunds"`
	// TakeBacks reverse the loads of giftcards and prepaid credit sold.
	TakeBacks []StepID `json:"take_backs"`
}

// Steps lists every step of the plan.
func (p ReturnPlan) Steps() []StepID {
	var out []StepID
	if p.OrderReturn != "" {
		out = append(out, p.OrderReturn)
	}
	out = append(out, p.Offers...)
	out = append(out, p.Refunds...)
	return append(out, p.TakeBacks...)
}

// Return is one return of an order, full or partial.
type Return struct {
	Checkout CheckoutID
	ID       ReturnID
	// Index numbers the order's returns from 0; it names the return's own
	// steps ("order_return:returns[1]").
	Index   int
	Full    bool
	Lines   []ReturnLine
	Refunds []Refund
	Plan    ReturnPlan
	Status  ReturnStatus
	// Problems say why a return needs attention.
	Problems []string
	// Retries are the operators' retries of a return that needed attention.
	Retries      []OperatorRetry
	RequestKey   string
	ExecutionARN string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Item is the step item of the return itself.
func (r Return) Item() string { return fmt.Sprintf("returns[%d]", r.Index) }

// Finish records how the saga ended: completed unless a problem is left.
func (r Return) Finish(problems []string, at time.Time) (Return, error) {
	if r.Status != ReturnProcessing {
		return r, &TransitionError{What: "return " + string(r.ID), From: string(r.Status), To: "finished"}
	}
	r.Status, r.Problems, r.UpdatedAt = ReturnCompleted, problems, at.UTC()
	if len(problems) > 0 {
		r.Status = ReturnNeedsAttention
	}
	return r, nil
}

// Reopen takes a return that needs attention back to processing, for an
// operator's retry.
func (r Return) Reopen(at time.Time) (Return, error) {
	if r.Status != ReturnNeedsAttention {
		return r, &TransitionError{What: "return " + string(r.ID), From: string(r.Status), To: string(ReturnProcessing)}
	}
	r.Status, r.Problems, r.UpdatedAt = ReturnProcessing, nil, at.UTC()
	return r, nil
}

// Returned is what the order's returns have taken so far, kept on the
// checkout and changed with each new return in one write, so two returns
// can never both take the same line, refund or redemption.
type Returned struct {
	// Count is how many returns the order has; the next one's index.
	Count int `json:"count,omitempty"`
	// Quantities and Amounts are per line id.
	Quantities map[string]int64 `json:"quantities,omitempty"`
	Amounts    map[string]int64 `json:"amounts,omitempty"`
	// Refunded is per tender index.
	Refunded map[int]int64 `json:"refunded,omitempty"`
	// Reversed lists the order's steps a return gives back.
	Reversed []StepID `json:"reversed,omitempty"`
}

// Add counts a new return in.
func (r Returned) Add(ret Return) Returned {
	out := Returned{
		Count:      r.Count + 1,
		Quantities: cloneMap(r.Quantities), Amounts: cloneMap(r.Amounts), Refunded: cloneMap(r.Refunded),
		Reversed: append(append([]StepID{}, r.Reversed...), ret.Plan.Offers...),
	}
	for _, l := range ret.Lines {
		out.Quantities[l.LineID] += l.Quantity
		out.Amounts[l.LineID] += l.Amount
	}
	for _, f := range ret.Refunds {
		out.Refunded[f.Tender] += f.Amount
		if f.By == f.Debit {
			out.Reversed = append(out.Reversed, f.Debit)
		}
	}
	out.Reversed = append(out.Reversed, ret.Plan.TakeBacks...)
	return out
}

func cloneMap[K comparable](m map[K]int64) map[K]int64 {
	out := make(map[K]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
