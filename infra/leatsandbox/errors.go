package leatsandbox

import (
	"fmt"
	"net/http"
)

// apiError is every failure the sandbox answers with. Leat's own errors carry a numeric code and HTTP 400;
// the transport failures Laravel produces itself (401, 404, 405, 429, 500, 503) carry only a message, and
// Passport's token errors add an OAuth error name.
type apiError struct {
	status     int
	code       int                 // Leat error code, 0 for transport failures
	message    string              // as Leat returns it, Dutch | English where Leat does so
	fields     map[string][]string // Laravel validation bag, only with code 1003
	oauthError string              // Passport's "error" member on /oauth/token failures
}

func (e *apiError) Error() string {
	return fmt.Sprintf("HTTP %d, code %d: %s", e.status, e.code, e.message)
}

// body is the JSON the error is written as.
func (e *apiError) body() map[string]any {
	body := map[string]any{"message": e.message}
	if e.code != 0 {
		body["code"] = e.code
		body["status_code"] = e.status
	}
	if len(e.fields) > 0 {
		body["errors"] = e.fields
	}
	if e.oauthError != "" {
		body["error"] = e.oauthError
		body["error_description"] = e.message
	}
	return body
}

func leatError(code int, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: message}
}

// invalidInput is Leat's validation failure (1003) with Laravel's field → messages bag.
func invalidInput(fields map[string][]string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: 1003, message: "Invalid input.", fields: fields}
}

func invalidField(field, message string) *apiError {
	return invalidInput(map[string][]string{field: {message}})
}

func transportError(status int, message string) *apiError {
	return &apiError{status: status, message: message}
}

// Leat's errors, with the codes and messages of leat-api.md §4. Where several failures share a code
// (80300), the message tells them apart, as Leat does.
var (
	errShopNotFound                = leatError(1008, "Shop not found.")
	errInsufficientCredits         = leatError(1017, "Onvoldoende punten | Insufficient credits.")
	errRewardOutOfStock            = leatError(1018, "The stock on this reward is empty.")
	errRewardClaimLimit            = leatError(1019, "You have reached your claim limit on this reward.")
	errRewardInactive              = leatError(1052, "Reward is inactive.")
	errGiftcardProgramNotFound     = leatError(1100, "Giftcard Program not found.")
	errGiftcardNotFound            = leatError(5001, "Giftcard not found.")
	errGiftcardExpired             = leatError(5002, "Het bedrag op de kaart is verlopen. | This giftcard has expired.")
	errGiftcardInsufficient        = leatError(5003, "Het bedrag op de kaart is niet toereikend. | Insufficient amount on giftcard.")
	errGiftcardMaxExceeded         = leatError(5008, "Maximale limiet op kaart bereikt. | Max amount will be exceeded.")
	errGiftcardTransactionNotFound = leatError(5010, "Giftcard transaction not found.")
	errRewardNotFound              = leatError(6003, "Reward not found.")
	errOnlyDigitalGiftcards        = leatError(55021, "Only Digital giftcards can by created using the public API.")
	errNotLastGiftcardTransaction  = leatError(55025, "This is not the giftcards last transaction.")
	errContactNotFound             = leatError(55031, "Contact not found.")
	errIdentifierNotFound          = leatError(60003, "Contact identifier not found.")
	errIdentifierInactive          = leatError(60004, "Contact identifier inactive.")
	errContactExists               = leatError(60005, "Contact already exists.")
	errIdentifierExists            = leatError(60006, "Contact identifier already exists.")
	errIdentifierNotLinked         = leatError(60011, "Contact identifier is not linked to a contact.")
	errModelNotFound               = leatError(60013, "Model not found.")
	errIdentifierAlreadyLinked     = leatError(60014, "Contact identifier is already linked.")
	errPromotionNotFound           = leatError(80002, "Promotion not found.")
	errVoucherExists               = leatError(80003, "Voucher already exists.")
	errVoucherNotFound             = leatError(80004, "Voucher not found.")
	errVoucherRedeemed             = leatError(80005, "Voucher code as already been redeemed.")
	errVoucherExpired              = leatError(80006, "Voucher has expired.")
	errVoucherLimitReached         = leatError(80008, "Voucher limit reached.")
	errVoucherDeactivated          = leatError(80012, "Voucher is deactivated.")
	errVoucherInactive             = leatError(80014, "Voucher is inactive.")
	errVoucherLocked               = leatError(80017, "Voucher is already locked.")
	errPromotionInactive           = leatError(80020, "Promotion is inactive.")
	errCollectableNotFound         = leatError(80300, "Reward not found.")
	errCollectableExpired          = leatError(80300, "Reward is expired.")
	// Leat documents no error for collecting twice or reversing an uncollected reward; 80300 is the code it
	// uses for every other refusal on collectable rewards.
	errCollectableCollected    = leatError(80300, "Reward has already been collected.")
	errCollectableNotCollected = leatError(80300, "Reward has not been collected.")
)

// Laravel's own answers outside Leat's error scheme.
var (
	errUnauthenticated = transportError(http.StatusUnauthorized, "Unauthenticated.")
	errRouteNotFound   = transportError(http.StatusNotFound, "Not Found")
)
