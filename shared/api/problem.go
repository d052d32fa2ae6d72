// Package api holds the gateway's HTTP conventions, shared by every function
// behind API Gateway: authenticated principals, strict JSON input with
// field-level validation, Idempotency-Key handling, request ids, structured
// logs, and RFC 9457 problem+json errors with stable codes.
package api

import "encoding/json"

// ProblemContentType is the media type of every error answer.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem detail. Code is stable: clients branch on it,
// never on Title or Detail.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Code      string       `json:"code"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
	// RetryAfter, in seconds, is also sent as the Retry-After header.
	RetryAfter int `json:"retry_after,omitempty"`
}

// FieldError names the input at fault. Field is a JSON path into the body
// ("items[2].amount"), or a header or path parameter name.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// problemTypeBase prefixes the code to form the problem type URI; the codes
// are documented in the OpenAPI document.
const problemTypeBase = "https://leat-pos-gateway.dev/problems/"

func newProblem(status int, code, title, detail string) Problem {
	return Problem{Type: problemTypeBase + code, Title: title, Status: status, Code: code, Detail: detail}
}

func (p Problem) body() []byte {
	b, err := json.Marshal(p)
	if err != nil {
		// A Problem holds only strings and ints.
		panic(err)
	}
	return b
}

// Stable problem codes.
const (
	CodeUnauthorized                = "unauthorized"
	CodeForbidden                   = "forbidden"
	CodeLocationRequired            = "location_required"
	CodeValidationFailed            = "validation_failed"
	CodeMalformedBody               = "malformed_body"
	CodeUnsupportedMediaType        = "unsupported_media_type"
	CodeIdempotencyKeyReused        = "idempotency_key_reused"
	CodeRequestInProgress           = "request_in_progress"
	CodeCustomerNotFound            = "customer_not_found"
	CodeIdentifierNotFound          = "identifier_not_found"
	CodeIdentifierInactive          = "identifier_inactive"
	CodeIdentifierNotLinked         = "identifier_not_linked"
	CodeVoucherNotFound             = "voucher_not_found"
	CodeGiftcardNotFound            = "giftcard_not_found"
	CodeRewardNotAffordable         = "reward_not_affordable"
	CodeRewardOutOfStock            = "reward_out_of_stock"
	CodeRewardLimitReached          = "reward_limit_reached"
	CodeRewardInactive              = "reward_inactive"
	CodeRewardNotFound              = "reward_not_found"
	CodeVoucherRedeemed             = "voucher_redeemed"
	CodeVoucherExpired              = "voucher_expired"
	CodeVoucherLocked               = "voucher_locked"
	CodeVoucherInactive             = "voucher_inactive"
	CodeVoucherContactMismatch      = "voucher_contact_mismatch"
	CodeContactRequired             = "contact_required"
	CodeCurrencyMismatch            = "currency_mismatch"
	CodeLeatRejected                = "leat_rejected"
	CodeLeatUnavailable             = "leat_unavailable"
	CodeLeatMisconfigured           = "leat_misconfigured"
	CodeGiftcardExpired             = "giftcard_expired"
	CodeGiftcardBlocked             = "giftcard_blocked"
	CodeGiftcardInsufficientBalance = "giftcard_insufficient_balance"
	CodeGiftcardMaxAmount           = "giftcard_max_amount"
	CodePrepaidInsufficientBalance  = "prepaid_insufficient_balance"
	CodeGiftcardNotEmpty            = "giftcard_not_empty"
	CodeTenderExceedsDue            = "tender_exceeds_due"
	CodeCheckoutNotFound            = "checkout_not_found"
	CodeCheckoutExists              = "checkout_exists"
	CodeCheckoutStateConflict       = "checkout_state_conflict"
	CodePaymentWindowClosed         = "payment_window_closed"
	CodeCheckoutNeedsAttention      = "checkout_needs_attention"
	CodeOrderNotCompleted           = "order_not_completed"
	CodeNothingLeftToReturn         = "nothing_left_to_return"
	CodeRefundExceedsTender         = "refund_exceeds_tender"
	CodeOfferNotReversible          = "offer_not_reversible"
	CodeGiftcardAlreadySpent        = "giftcard_already_spent"
	CodePrepaidAlreadySpent         = "prepaid_already_spent"
	CodeReturnExists                = "return_exists"
	CodeReturnNotFound              = "return_not_found"
	CodeInvalidCursor               = "invalid_cursor"
	CodePayloadTooLarge             = "payload_too_large"
	CodeLeatBadResponse             = "leat_bad_response"
	CodeCustomerAttached            = "customer_already_attached"
	CodeClaimLinkIssued             = "claim_link_issued"
	CodePortalNotConfigured         = "portal_not_configured"
	CodeTemporarilyUnavailable      = "temporarily_unavailable"
	CodeInternal                    = "internal_error"
)
