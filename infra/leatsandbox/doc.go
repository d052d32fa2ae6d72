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
// Loyalty token URLs (POST /loyalty-tokens, or built by a client from the account secret) point at
// <contacts_portal_url>/l. That host is not real, so the sandbox serves the portal's claim page itself at
// GET and POST /l, without a bearer token: put the sandbox's address in place of the URL's host.
//
// # Time, faults, variants, control
//
// The sandbox Clock is real time plus an offset that tests move forward; lock release, expiry and token
// lifetime all follow it. Faults (see Fault and ParseFaults) make matching requests slow, refused by the
// network, refused by Leat with a given error code, dropped or "applied but answer lost". Variants (see
// VariantChoices) choose between plausible behaviours where Leat documents none. Every request to Leat's
// routes is kept in a request log (Sandbox.Requests), so benchmarks can count round trips. The control API
// under /_sandbox/ (same bearer token, plain JSON):
//
//	GET    /_sandbox/faults     active faults
//	POST   /_sandbox/faults     add faults: a JSON fault, a JSON array, or the text form of ParseFaults
//	DELETE /_sandbox/faults     remove every fault
//	GET    /_sandbox/variants   {"variants": name → value, "choices": name → values, the default first}
//	POST   /_sandbox/variants   choose: a JSON object of names to values
//	GET    /_sandbox/clock      {"now": ...}
//	POST   /_sandbox/clock      advance by advance_seconds
//	POST   /_sandbox/reset      back to the seed (clock, faults, variants, request log and issued tokens stay)
//	GET    /_sandbox/emails     giftcard emails "sent" since the start or the last reset
//	GET    /_sandbox/requests   the latest 10,000 requests to Leat's routes, in the order they ended
//	DELETE /_sandbox/requests   empty the request log
//
// # Where Leat documents nothing
//
// The sandbox has to answer anyway. Where the gateway's correctness depends on the answer, each plausible
// behaviour is a variant, named here with its values, the default first:
//   - order_duplicate = refuse | accept: a second orders/create-and-process with an external_identifier
//     already used is refused (1003, errors.external_identifier ["The external identifier has already been
//     taken."]), or processed as another order (new uuid, points earned again; orders/find and returns by
//     external_identifier take the newest).
//   - second_reverse = refuse | apply: reversing a reward reception, credit reception, voucher redemption,
//     reward collection, giftcard or prepaid transaction a second time is refused (1003 on the reversed
//     uuid, 80300 for a collection), or succeeds and applies the compensation again, as a blind retry would
//     make it: points, money or a voucher use come back twice (a repeated giftcard reverse is not held to
//     the last-transaction rule; a collection is simply collectable still). Reversing a reversal is refused
//     either way.
//   - stale_release_key = works | refused: releasing or redeeming a voucher with the key of a lock that
//     already ended (released, redeemed with, or expired) succeeds, or is 1003 on release_key.
//   - redeem_without_shop = accept | refuse: vouchers/redeem without shop_uuid (the PHP SDK never sends it)
//     redeems, or is 1003 on shop_uuid.
//
// The other choices are the likeliest reading of the sources:
//   - Insufficient prepaid balance: 1003 with errors.amount_in_cents.
//   - A zero amount_in_cents on giftcard or prepaid transactions: 1003.
//   - Unknown reward reception, credit reception, prepaid transaction, order, or portal session: 60013
//     "Model not found.".
//   - Collecting twice, or reversing a collection that did not happen: 80300 with its own message.
//   - Validate voucher answers the voucher, or the redeem-family error; a locked voucher gives 80017.
//   - Releasing with a key that is not the voucher's latest lock's is 1003 on release_key. Redeeming a
//     locked voucher needs its release_key (1003).
//   - Redeeming with a contact other than the voucher's own: 1003 on contact_uuid.
//   - Reverse voucher redemption takes the redemption uuid (current docs) and answers the voucher.
//   - A voucher's "attributes" are its promotion's attributes overlaid with its own custom_attributes.
//   - Reverse reward reception answers a credit_reception with positive credits (docs and SDK), made for the
//     reception's contact, shop, card and channel; it cannot be reversed itself.
//   - The account has one loyalty unit, purchase_amount (its default); another unit_name is 60007. A
//     unit_value is a decimal in major units with at most two decimals, earning like orders do; a credit
//     reception takes unit_value or credits (at least 1), not both. unit_value is answered as a JSON number.
//   - Reverse credit reception answers the compensating credit reception (negative credits); one that would
//     take the balance below zero is 1017.
//   - Loyalty tokens: a credits token signs credits=N where a unit token has unit_name and unit_value.
//     Version v1 takes credits (60018 otherwise), v2 units (60019), v3 either. unique_id may only use
//     letters, digits and -._~, because the signed text is not escaped. Tokens do not expire. A wrong hash is
//     1003 on hash; a second claim of a unique_id, through the API or the claim page, is 1034.
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
