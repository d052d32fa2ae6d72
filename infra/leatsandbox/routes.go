package leatsandbox

import (
	"net/http"
	"strings"
	"time"
)

// apiRoot is where every Leat route lives; the token endpoint is the one exception (/oauth/token).
const apiRoot = "/api/v3/oauth/clients"

// call is one Leat request as a handler sees it.
type call struct {
	request  *http.Request
	in       fields            // query and body, whatever the encoding
	now      time.Time         // the sandbox clock, read once so one request sees one instant
	variants map[string]string // read once, like the clock
}

// variant is the chosen value of a variant (see variants.go).
func (c *call) variant(name string) string {
	return c.variants[name]
}

// repeatedReverse answers a second reverse of the same transaction: refused with 1003 on field, or, under
// second_reverse=apply, nil, and the caller applies the compensation again.
func (c *call) repeatedReverse(field, what string) error {
	if c.variant(VariantSecondReverse) == SecondReverseApply {
		return nil
	}
	return invalidField(field, "The "+what+" has already been reversed.")
}

// pathUUID is the {uuid} segment of the route; every route names its path parameter {uuid}, which is also
// what fault patterns use.
func (c *call) pathUUID() string {
	return c.request.PathValue("uuid")
}

type handler func(st *state, c *call) (reply, error)

type route struct {
	method string
	path   string // under apiRoot
	handle handler
}

// leatRoutes is the whole Leat surface of the sandbox (leat-api.md §8).
var leatRoutes = []route{
	{http.MethodGet, "", healthCheck},

	{http.MethodGet, "/contact-identifiers/find", (*state).findContactIdentifier},
	{http.MethodPost, "/contact-identifiers", (*state).createContactIdentifier},
	{http.MethodPut, "/contact-identifiers/link", (*state).linkContactIdentifier},

	{http.MethodGet, "/contacts/find-or-create", (*state).findOrCreateContact},
	{http.MethodGet, "/contacts/find-one-by", (*state).findContactByEmail},
	{http.MethodPost, "/contacts", (*state).createContact},
	{http.MethodGet, "/contacts/{uuid}", (*state).getContact},
	{http.MethodGet, "/contacts/{uuid}/credit-balance", (*state).contactCreditBalance},
	{http.MethodGet, "/contacts/{uuid}/prepaid-balance", (*state).contactPrepaidBalance},
	{http.MethodGet, "/contacts/{uuid}/tier", (*state).contactTier},
	{http.MethodGet, "/tiers", (*state).listTiers},

	{http.MethodGet, "/shops", (*state).listShops},
	{http.MethodGet, "/shops/{uuid}", (*state).getShop},

	{http.MethodGet, "/rewards", (*state).listRewards},
	{http.MethodGet, "/rewards/{uuid}", (*state).getReward},
	{http.MethodPost, "/reward-receptions", (*state).createRewardReception},
	{http.MethodPost, "/reward-receptions/{uuid}/reverse", (*state).reverseRewardReception},
	{http.MethodPost, "/credit-receptions", (*state).createCreditReception},
	{http.MethodPost, "/credit-receptions/{uuid}/reverse", (*state).reverseCreditReception},
	{http.MethodPost, "/loyalty-tokens", (*state).createLoyaltyToken},
	{http.MethodPost, "/loyalty-tokens/claim", (*state).claimLoyaltyToken},
	{http.MethodGet, "/collectable-rewards", (*state).listCollectableRewards},
	{http.MethodPut, "/collectable-rewards/collect/{uuid}", (*state).collectReward},
	{http.MethodPost, "/collectable-rewards/{uuid}/reverse", (*state).reverseRewardCollection},

	{http.MethodGet, "/vouchers", (*state).listVouchers},
	{http.MethodPost, "/vouchers", (*state).createVoucher},
	{http.MethodPost, "/vouchers/batch", (*state).createVoucherBatch},
	{http.MethodGet, "/vouchers/find", (*state).findVoucher},
	{http.MethodPost, "/vouchers/redeem", (*state).redeemVoucher},
	{http.MethodPost, "/vouchers/{uuid}/validate", (*state).validateVoucher},
	{http.MethodPost, "/vouchers/{uuid}/lock", (*state).lockVoucher},
	{http.MethodPost, "/vouchers/{uuid}/release", (*state).releaseVoucher},
	{http.MethodPost, "/vouchers/{uuid}/reverse", (*state).reverseVoucherRedemption},
	{http.MethodGet, "/promotions", (*state).listPromotions},
	{http.MethodPost, "/promotions", (*state).createPromotion},

	{http.MethodGet, "/giftcards", (*state).listGiftcards},
	{http.MethodPost, "/giftcards", (*state).createGiftcard},
	{http.MethodGet, "/giftcards/find-one-by", (*state).findGiftcard},
	{http.MethodGet, "/giftcards/{uuid}", (*state).getGiftcard},
	{http.MethodPost, "/giftcards/{uuid}/send-by-email", (*state).sendGiftcardByEmail},
	{http.MethodGet, "/giftcard-programs", (*state).listGiftcardPrograms},
	{http.MethodGet, "/giftcard-transactions", (*state).listGiftcardTransactions},
	{http.MethodPost, "/giftcard-transactions", (*state).createGiftcardTransaction},
	{http.MethodGet, "/giftcard-transactions/{uuid}", (*state).getGiftcardTransaction},
	{http.MethodPost, "/giftcard-transactions/{uuid}/reverse", (*state).reverseGiftcardTransaction},

	{http.MethodGet, "/prepaid-transactions", (*state).listPrepaidTransactions},
	{http.MethodPost, "/prepaid-transactions", (*state).createPrepaidTransaction},
	{http.MethodPost, "/prepaid-transactions/{uuid}/reverse", (*state).reversePrepaidTransaction},

	{http.MethodPost, "/orders/create-and-process", (*state).createAndProcessOrder},
	{http.MethodGet, "/orders/find", (*state).findOrder},
	{http.MethodPost, "/order-returns/create-and-process", (*state).createAndProcessOrderReturn},

	{http.MethodPost, "/portal-sessions", (*state).createPortalSession},
	{http.MethodPost, "/portal-sessions/credit-reception", (*state).createPortalSession},
	{http.MethodPost, "/portal-sessions/redeem-giftcards", (*state).createPortalSession},
	{http.MethodPost, "/portal-sessions/top-up-giftcards", (*state).createPortalSession},
	{http.MethodPost, "/portal-sessions/pay-prepaid", (*state).createPortalSession},
	{http.MethodPost, "/portal-sessions/top-up-prepaid", (*state).createPortalSession},
	{http.MethodPost, "/portal-sessions/vouchers", (*state).createPortalSession},
	{http.MethodGet, "/portal-sessions/{uuid}", (*state).getPortalSession},
}

// healthCheck answers GET /api/v3/oauth/clients/. Leat records no body; an empty object keeps the envelope
// valid for clients that insist on "data".
func healthCheck(*state, *call) (reply, error) {
	return one(object{}), nil
}

// serveLeat runs one Leat route: bearer token, input, then the handler under the state lock, so every
// request sees and leaves a consistent account.
func (s *Sandbox) serveLeat(handle handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeError(w, errUnauthenticated)
			return
		}
		values, err := readInput(r)
		if err != nil {
			writeError(w, err)
			return
		}
		c := &call{request: r, in: newFields(values), now: s.clock.Now(), variants: s.variants.values()}

		s.mu.Lock()
		answer, err := handle(s.state, c)
		s.mu.Unlock()

		if err != nil {
			writeError(w, err)
			return
		}
		writeReply(w, answer)
	}
}

// routeNotFound answers like Laravel: 405 with Allow when the path exists for other methods, else 404.
func (s *Sandbox) routeNotFound(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := *r
		probe.Method = method
		if _, pattern := s.mux.Handler(&probe); pattern != catchAllPattern {
			allowed = append(allowed, method)
		}
	}
	if len(allowed) == 0 {
		writeError(w, errRouteNotFound)
		return
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, transportError(http.StatusMethodNotAllowed,
		"The "+r.Method+" method is not supported for this route. Supported methods: "+strings.Join(allowed, ", ")+"."))
}
