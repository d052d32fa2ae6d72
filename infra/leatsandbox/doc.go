// Package leatsandbox is an offline Leat: the v3 loyalty API of leat-api.md served from memory, with the
// same paths, bodies, envelopes, error codes and state rules, so that tests, local runs and POS vendors have
// a Leat to talk to (Leat itself has no test environment). It is written from the contract alone and shares
// no code with the gateway's Leat client, so contract tests between the two check something.
//
// # Using it
//
// New builds a Sandbox, an http.Handler, from the embedded seed.json (the demo account, described in
// DEMO-DATA.md). Tests use sandboxtest.Start; people run cmd/leat-sandbox. Every Leat route needs
// "Authorization: Bearer <token>" with the seeded Personal Access Token (Sandbox.Token) or a token from
// POST /oauth/token (client credentials from the seed, expiring by the sandbox clock).
//
// Routes: leatRoutes in routes.go lists them all, under /api/v3/oauth/clients, plus POST /oauth/token.
// Bodies may be JSON, urlencoded or multipart, with PHP bracket notation for nesting; GET parameters come
// in the query. Success is {"data", "meta"} with meta [] on single resources and {} on lists (paginated
// lists carry their own meta, see pagination.go); errors are Leat's {"message", "code", "status_code",
// "errors"?} with HTTP 400, and Laravel's bare {"message"} for 401, 404, 405, 429, 500 and 503.
//
// # Time, faults, control
//
// The sandbox Clock is real time plus an offset that tests move forward; lock release, expiry and token
// lifetime all follow it. Faults (see Fault and ParseFaults) make matching requests slow, refused, dropped
// or "applied but answer lost". The control API under /_sandbox/ (same bearer token, plain JSON):
//
//	GET    /_sandbox/faults   active faults
//	POST   /_sandbox/faults   add faults: a JSON fault, a JSON array, or the text form of ParseFaults
//	DELETE /_sandbox/faults   remove every fault
//	GET    /_sandbox/clock    {"now": ...}
//	POST   /_sandbox/clock    advance by advance_seconds
//	POST   /_sandbox/reset    back to the seed (clock, faults and issued tokens stay)
//	GET    /_sandbox/emails   giftcard emails "sent" since the start or the last reset
//
// # Where Leat documents nothing
//
// The sandbox has to answer anyway; these are its choices, each the likeliest reading of the sources:
//   - Insufficient prepaid balance: 1003 with errors.amount_in_cents.
//   - A zero amount_in_cents on giftcard or prepaid transactions: 1003.
//   - Reversing a reward reception, voucher redemption, giftcard or prepaid transaction twice, or reversing a
//     reversal: 1003 with an error on the reversed uuid. Unknown reward reception, prepaid transaction,
//     order, or portal session: 60013 "Model not found.".
//   - Collecting twice, or reversing a collection that did not happen: 80300 with its own message.
//   - Validate voucher answers the voucher, or the redeem-family error; a locked voucher gives 80017.
//   - Release with the key of a lock that already ended (released, redeemed with, or expired) succeeds
//     again; another key is 1003 on release_key. Redeeming a locked voucher needs its release_key (1003).
//   - Redeeming with a contact other than the voucher's own: 1003 on contact_uuid.
//   - Reverse voucher redemption takes the redemption uuid (current docs) and answers the voucher.
//   - A voucher's "attributes" are its promotion's attributes overlaid with its own custom_attributes.
//   - Reverse reward reception answers a credit_reception with positive credits (docs and SDK).
//   - A normal (not pre-redeemable) reward reception has has_been_collected true and expires_at null.
//   - GET /rewards with contact_uuid leaves out inactive, out-of-stock and claim-limited rewards, keeps the
//     unaffordable ones. Expired collectable rewards are not listed.
//   - Giftcard transactions return custom_attributes as an object, and are listed newest first unless
//     sort=created_at; a blocked card is 5001; all cards are upgradeable.
//   - Orders earn PointsPerCurrencyUnit per whole unit of the line and sub-line totals, nothing when
//     CANCELLED. Returns take back points in proportion to the amounts returned (on the running total, so a
//     full return takes back exactly what was earned), report them negative, and stop at a zero balance.
//     A return line without total_amount refunds its share of the line total; a return without line_items
//     returns all that is left.
//   - Prepaid transaction lists use the giftcard-transaction meta shape, newest first.
//   - 429 bodies are Laravel's {"message":"Too Many Attempts."}; X-RateLimit-Remaining counts down per
//     minute but never refuses by itself. Issued OAuth tokens live oauth_token_lifetime_seconds (seed).
package leatsandbox
