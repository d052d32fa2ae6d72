package app

import "github.com/leatpos/gateway/shared/api"

// Builder builds a function's Lambda handler from its container's Env, naming
// the handler and the dependencies it uses. It fails when one of them cannot
// be built, such as one missing the setting it needs. Each
// functions/<name>/main.go starts one builder, so its binary links only that
// function's code; the local stack maps every function to its builder.
type Builder func(*Env) (any, error)

// Authorizer resolves the bearer API key to tenant, locations and scopes.
func Authorizer(env *Env) (any, error) {
	return api.Authorizer(env.Directory()), nil
}

// IdentifyCustomer identifies a customer by scanned card, QR code or email.
func IdentifyCustomer(env *Env) (any, error) {
	return api.IdentifyCustomer(env.Loyalty()).Lambda(env.API()), nil
}

// CustomerOverview answers a customer's balances, tier, rewards and offers.
func CustomerOverview(env *Env) (any, error) {
	return api.CustomerOverview(env.Loyalty()).Lambda(env.API()), nil
}

// ScanVoucher looks up a scanned voucher and whether it can be used.
func ScanVoucher(env *Env) (any, error) {
	return api.ScanVoucher(env.Loyalty()).Lambda(env.API()), nil
}

// ScanGiftcard looks up a scanned giftcard, its balance and whether it can be
// sold or pay.
func ScanGiftcard(env *Env) (any, error) {
	return api.ScanGiftcard(env.Loyalty()).Lambda(env.API()), nil
}

// OpenPortalSession opens a Leat-hosted portal session for a customer-facing
// screen.
func OpenPortalSession(env *Env) (any, error) {
	return api.OpenPortalSession(env.Loyalty()).Lambda(env.API()), nil
}
