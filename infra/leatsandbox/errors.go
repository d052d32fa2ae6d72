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

// leatMessages is Leat's code table (leat-api.md §4): each code with the message Leat answers it with.
var leatMessages = map[int]string{
	1000:  "Interne fout. | Internal error.",
	1003:  "Invalid input.",
	1008:  "Shop not found.",
	1010:  "Kaart is niet geactiveerd. | Card is not activated.",
	1013:  "Card not registered.",
	1015:  "Maximum amount of credits reached.",
	1017:  "Onvoldoende punten | Insufficient credits.",
	1018:  "The stock on this reward is empty.",
	1019:  "You have reached your claim limit on this reward.",
	1027:  "POS Transaction not found.",
	1028:  "Credit reception not found.",
	1034:  "Staged credit reception is already redeemed.",
	1041:  "Staged Credit Reception not found.",
	1048:  "This card was not found",
	1052:  "Reward is inactive.",
	1100:  "Giftcard Program not found.",
	1102:  "Shop not linked to a Loyalty Program.",
	1103:  "Loyalty Program not found.",
	1114:  "Only non re-incrementable giftcards can be used in the OAuthRoutes Clients API.",
	5001:  "Giftcard not found.",
	5002:  "Het bedrag op de kaart is verlopen. | This giftcard has expired.",
	5003:  "Het bedrag op de kaart is niet toereikend. | Insufficient amount on giftcard.",
	5006:  "Deze giftcard kan niet opgewaardeerd worden. | This giftcard cannot be incremented.",
	5007:  "Deze giftcard is niet gekoppeld aan een programma. | Giftcard not linked to Giftcard Program.",
	5008:  "Maximale limiet op kaart bereikt. | Max amount will be exceeded.",
	5010:  "Giftcard transaction not found.",
	6001:  "The POS transaction is already linked to a credit reception.",
	6003:  "Reward not found.",
	6007:  "The linked template does not contain the right replacement variable.",
	7002:  "Account inactive.",
	7010:  "That giftcard is not valid.",
	7011:  "User has no access to this account.",
	7015:  "Shop does not have access to Giftcard Program.",
	13010: "Passcode not found.",
	55004: "Marketing program not found.",
	55005: "Program customer already exists.",
	55007: "Loyalty card not found.",
	55012: "Member not found.",
	55016: "The card is already linked to a member.",
	55017: "Member already exists.",
	55018: "Loyalty Program not active.",
	55020: "Recipient not found.",
	55021: "Only Digital giftcards can by created using the public API.",
	55024: "This credit reception was not created by this shop.",
	55025: "This is not the giftcards last transaction.",
	55030: "Subscription type not found.",
	55031: "Contact not found.",
	55032: "User app not found.",
	55045: "Unit already exists.",
	55046: "No default unit found.",
	60000: "Usage limit reached.",
	60001: "Credit reception creating in progress.",
	60003: "Contact identifier not found.",
	60004: "Contact identifier inactive.",
	60005: "Contact already exists.",
	60006: "Contact identifier already exists.",
	60007: "Unit not found.",
	60009: "Attribute already exists.",
	60011: "Contact identifier is not linked to a contact.",
	60013: "Model not found.",
	60014: "Contact identifier is already linked.",
	60016: "Contact not anonymous.",
	60018: "Please submit credits when using v1",
	60019: "Please submit units when using v2",
	80002: "Promotion not found.",
	80003: "Voucher already exists.",
	80004: "Voucher not found.",
	80005: "Voucher code as already been redeemed.",
	80006: "Voucher has expired.",
	80008: "Voucher limit reached.",
	80012: "Voucher is deactivated.",
	80014: "Voucher is inactive.",
	80017: "Voucher is already locked.",
	80019: "Voucher doesn't have enough redemptions left.",
	80020: "Promotion is inactive.",
	80300: "Reward not found.",
}

// leatError is Leat's business error for code, with the message of the code table. Every caller passes a
// code from the table (faults check theirs first), so an unknown code is a bug in the sandbox.
func leatError(code int) *apiError {
	message, known := leatMessages[code]
	if !known {
		panic(fmt.Sprintf("leatsandbox: Leat error code %d is not in the code table", code))
	}
	return leatErrorSaying(code, message)
}

// leatErrorSaying is a business error whose message differs from the code table's, for the codes Leat
// shares between several failures (80300).
func leatErrorSaying(code int, message string) *apiError {
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

// Leat's errors. Where several failures share a code (80300), the message tells them apart, as Leat does.
var (
	errShopNotFound                = leatError(1008)
	errTokenAlreadyClaimed         = leatError(1034)
	errInsufficientCredits         = leatError(1017)
	errRewardOutOfStock            = leatError(1018)
	errRewardClaimLimit            = leatError(1019)
	errRewardInactive              = leatError(1052)
	errGiftcardProgramNotFound     = leatError(1100)
	errGiftcardNotFound            = leatError(5001)
	errGiftcardExpired             = leatError(5002)
	errGiftcardInsufficient        = leatError(5003)
	errGiftcardMaxExceeded         = leatError(5008)
	errGiftcardTransactionNotFound = leatError(5010)
	errRewardNotFound              = leatError(6003)
	errOnlyDigitalGiftcards        = leatError(55021)
	errNotLastGiftcardTransaction  = leatError(55025)
	errContactNotFound             = leatError(55031)
	errIdentifierNotFound          = leatError(60003)
	errIdentifierInactive          = leatError(60004)
	errContactExists               = leatError(60005)
	errIdentifierExists            = leatError(60006)
	errUnitNotFound                = leatError(60007)
	errIdentifierNotLinked         = leatError(60011)
	errModelNotFound               = leatError(60013)
	errIdentifierAlreadyLinked     = leatError(60014)
	errCreditsRequired             = leatError(60018)
	errUnitsRequired               = leatError(60019)
	errPromotionNotFound           = leatError(80002)
	errVoucherExists               = leatError(80003)
	errVoucherNotFound             = leatError(80004)
	errVoucherRedeemed             = leatError(80005)
	errVoucherExpired              = leatError(80006)
	errVoucherLimitReached         = leatError(80008)
	errVoucherDeactivated          = leatError(80012)
	errVoucherInactive             = leatError(80014)
	errVoucherLocked               = leatError(80017)
	errPromotionInactive           = leatError(80020)
	errCollectableNotFound         = leatError(80300)
	errCollectableExpired          = leatErrorSaying(80300, "Reward is expired.")
	// Leat documents no error for collecting twice or reversing an uncollected reward; 80300 is the code it
	// uses for every other refusal on collectable rewards.
	errCollectableCollected    = leatErrorSaying(80300, "Reward has already been collected.")
	errCollectableNotCollected = leatErrorSaying(80300, "Reward has not been collected.")
)

// Laravel's own answers outside Leat's error scheme.
var (
	errUnauthenticated = transportError(http.StatusUnauthorized, "Unauthenticated.")
	errRouteNotFound   = transportError(http.StatusNotFound, "Not Found")
)
