package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// admin carries out one command against a directory, or the checkouts.
type admin struct {
	dir       tenancy.Directory
	checkouts *checkout.Service
	out       io.Writer
}

const usage = "usage: gateway-admin create-tenant|create-key|list-keys|disable-key|stuck-checkouts|retry-checkout|stuck-returns|retry-return [flags]; -h after a command lists its flags"

func (a admin) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "create-tenant":
		return a.createTenant(ctx, args[1:])
	case "create-key":
		return a.createKey(ctx, args[1:])
	case "list-keys":
		return a.listKeys(ctx, args[1:])
	case "disable-key":
		return a.disableKey(ctx, args[1:])
	case "stuck-checkouts":
		return a.stuckCheckouts(ctx, args[1:])
	case "retry-checkout":
		return a.retryCheckout(ctx, args[1:])
	case "stuck-returns":
		return a.stuckReturns(ctx, args[1:])
	case "retry-return":
		return a.retryReturn(ctx, args[1:])
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func (a admin) createTenant(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("create-tenant", flag.ContinueOnError)
	id := fs.String("id", "", "tenant id, a lower-case slug")
	name := fs.String("name", "", "display name")
	credentials := fs.String("credentials", "", `where the Leat credentials live, e.g. "secretsmanager:leat/acme"`)
	currency := fs.String("currency", "EUR", "the Leat account's currency (ISO-4217)")
	prefix := fs.String("attribute-prefix", "pos_", "prefix of the discount custom attributes in Leat")
	rewards := fs.String("reward-strategy", string(tenancy.RewardRedeemReverse), "redeem_reverse or pre_redeem_collect")
	vouchers := fs.String("voucher-strategy", string(tenancy.VoucherLockRedeem), "lock_redeem or redeem_reverse")
	var locations repeated
	fs.Var(&locations, "location", "id=leat-shop-uuid, once per location")
	defaultLocation := fs.String("default-location", "", "the location for keys that serve several and name none")
	paymentTimeout := fs.Duration("payment-timeout", tenancy.DefaultPaymentTimeout, "how long a checkout waits for the POS's payment")
	portalURL := fs.String("portal-url", "", "the Leat contacts portal receipt QR codes lead to")
	tendersPaySales := fs.Bool("leat-tenders-pay-sales", false, "let giftcard and prepaid tenders pay for giftcard sales and prepaid top-ups")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cur, err := money.ParseCurrency(*currency)
	if err != nil {
		return err
	}
	t := tenancy.Tenant{
		ID: tenancy.TenantID(*id), Name: *name, LeatCredentials: *credentials, Currency: cur, AttributePrefix: *prefix,
		RewardStrategy: tenancy.RewardStrategy(*rewards), VoucherStrategy: tenancy.VoucherStrategy(*vouchers),
		DefaultLocation: tenancy.LocationID(*defaultLocation), PaymentTimeout: *paymentTimeout, PortalURL: *portalURL,
		LeatTendersPaySales: *tendersPaySales,
	}
	for _, l := range locations {
		locID, shop, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("-location %q: want id=leat-shop-uuid", l)
		}
		t.Locations = append(t.Locations, tenancy.Location{ID: tenancy.LocationID(locID), Name: locID, ShopUUID: shop})
	}
	if err := a.dir.CreateTenant(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "created tenant %s with %d location(s)\n", t.ID, len(t.Locations))
	return nil
}

func (a admin) createKey(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("create-key", flag.ContinueOnError)
	tenantID := fs.String("tenant", "", "tenant id")
	name := fs.String("name", "", `who holds the key, e.g. "till 3"`)
	var scopes, locations repeated
	fs.Var(&scopes, "scope", "pos, backend or ops; repeat for several")
	fs.Var(&locations, "location", "a location the key is bound to; repeat for several, omit for all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	t, err := a.dir.Tenant(ctx, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	var keyScopes []tenancy.Scope
	for _, s := range scopes {
		scope, err := tenancy.ParseScope(s)
		if err != nil {
			return err
		}
		keyScopes = append(keyScopes, scope)
	}
	var keyLocations []tenancy.LocationID
	for _, l := range locations {
		keyLocations = append(keyLocations, tenancy.LocationID(l))
	}
	raw, key, err := tenancy.IssueAPIKey(t, *name, keyScopes, keyLocations, time.Now())
	if err != nil {
		return err
	}
	if err := a.dir.SaveAPIKey(ctx, key); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s\n", raw)
	return nil
}

// listKeys prints a tenant's keys, one per line: id, name, scopes,
// locations, created, the key's last four characters, and whether it is
// disabled. The keys themselves are never stored, so never shown.
func (a admin) listKeys(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("list-keys", flag.ContinueOnError)
	tenantID := fs.String("tenant", "", "tenant id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := a.dir.Tenant(ctx, tenancy.TenantID(*tenantID)); err != nil {
		return err
	}
	keys, err := a.dir.APIKeys(ctx, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSCOPES\tLOCATIONS\tCREATED\tENDS IN\tSTATE")
	for _, k := range keys {
		scopes, locations, state := make([]string, 0, len(k.Scopes)), make([]string, 0, len(k.Locations)), "active"
		for _, s := range k.Scopes {
			scopes = append(scopes, string(s))
		}
		for _, l := range k.Locations {
			locations = append(locations, string(l))
		}
		if len(locations) == 0 {
			locations = append(locations, "(all)")
		}
		if k.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t…%s\t%s\n", k.ID(), k.Name, strings.Join(scopes, ","), strings.Join(locations, ","),
			k.CreatedAt.Format(time.RFC3339), k.Last4, state)
	}
	return w.Flush()
}

// disableKey disables a key named by its id (with its tenant) or by the key itself.
func (a admin) disableKey(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("disable-key", flag.ContinueOnError)
	raw := fs.String("key", "", "the API key to disable")
	id := fs.String("id", "", "the id list-keys shows, with -tenant")
	tenantID := fs.String("tenant", "", "the tenant of the key named by -id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := a.findKey(ctx, *raw, *id, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	key.Disabled = true
	if err := a.dir.SaveAPIKey(ctx, key); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "disabled key %s %q of tenant %s\n", key.ID(), key.Name, key.Tenant)
	return nil
}

// findKey finds a key by the raw key, or by its id among its tenant's keys.
func (a admin) findKey(ctx context.Context, raw, id string, tenant tenancy.TenantID) (tenancy.APIKey, error) {
	switch {
	case raw != "" && id == "":
		return a.dir.APIKey(ctx, tenancy.HashKey(raw))
	case raw == "" && id != "" && tenant != "":
		keys, err := a.dir.APIKeys(ctx, tenant)
		if err != nil {
			return tenancy.APIKey{}, err
		}
		for _, k := range keys {
			if k.ID() == id {
				return k, nil
			}
		}
		return tenancy.APIKey{}, fmt.Errorf("%w: tenant %s has no key %s", tenancy.ErrUnknownKey, tenant, id)
	}
	return tenancy.APIKey{}, errors.New("name the key with -key, or with -id and -tenant")
}

// operator acts for the tenant as its operators' keys do, at every location.
func (a admin) operator(ctx context.Context, tenant tenancy.TenantID) (tenancy.Principal, error) {
	t, err := a.dir.Tenant(ctx, tenant)
	if err != nil {
		return tenancy.Principal{}, err
	}
	p := tenancy.Principal{Tenant: t.ID, KeyName: "gateway-admin", Scopes: []tenancy.Scope{tenancy.ScopeOps}}
	for _, l := range t.Locations {
		p.Locations = append(p.Locations, l.ID)
	}
	return p, nil
}

// stuckCheckouts prints a location's checkouts needing attention, as
// GET /v1/ops/checkouts answers them: one line per step that needs it.
func (a admin) stuckCheckouts(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("stuck-checkouts", flag.ContinueOnError)
	tenantID := fs.String("tenant", "", "tenant id")
	location := fs.String("location", "", "location id")
	status := fs.String("status", string(ledger.CheckoutNeedsAttention), "the status to list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := a.operator(ctx, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	views, next, err := a.checkouts.CheckoutsForOperators(ctx, p, ledger.OrderQuery{
		Location: tenancy.LocationID(*location), Status: ledger.CheckoutStatus(*status), Limit: 50,
	})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CHECKOUT\tSTATUS\tUPDATED\tSTEP\tWHY")
	for _, v := range views {
		c, shown := v.Checkout, false
		for _, step := range v.Steps {
			if step.State == ledger.StepNeedsAttention {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Status, c.UpdatedAt.Format(time.RFC3339), step.ID, step.Failure)
				shown = true
			}
		}
		if !shown {
			fmt.Fprintf(w, "%s\t%s\t%s\t-\t-\n", c.ID, c.Status, c.UpdatedAt.Format(time.RFC3339))
		}
	}
	if next != "" {
		fmt.Fprintln(w, "(more: this lists the newest 50)")
	}
	return w.Flush()
}

// retryCheckout settles a checkout needing attention again, as
// POST /v1/ops/checkouts/{id}/retry-compensation does.
func (a admin) retryCheckout(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("retry-checkout", flag.ContinueOnError)
	tenantID := fs.String("tenant", "", "tenant id")
	id := fs.String("checkout", "", "the checkout id, <location>.<order id>")
	if err := fs.Parse(args); err != nil {
		return err
	}
	checkoutID, err := ledger.ParseCheckoutID(*id)
	if err != nil {
		return err
	}
	p, err := a.operator(ctx, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	v, err := a.checkouts.RetrySettlement(ctx, p, "", checkoutID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "checkout %s is %s; execution %s\n", v.Checkout.ID, v.Checkout.Status, v.Checkout.ExecutionARN)
	return nil
}

// stuckReturns prints the returns of a location's orders needing attention,
// as GET /v1/ops/returns answers them: one line per problem.
func (a admin) stuckReturns(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("stuck-returns", flag.ContinueOnError)
	tenantID := fs.String("tenant", "", "tenant id")
	location := fs.String("location", "", "location id")
	status := fs.String("status", string(ledger.ReturnNeedsAttention), "the status to list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := a.operator(ctx, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	views, next, err := a.checkouts.ReturnsForOperators(ctx, p, ledger.ReturnQuery{
		Location: tenancy.LocationID(*location), Status: ledger.ReturnStatus(*status), Limit: 50,
	})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ORDER\tRETURN\tSTATUS\tUPDATED\tWHY")
	for _, v := range views {
		o, r := v.Order.Checkout, v.Return
		why := r.Problems
		if len(why) == 0 {
			why = []string{"-"}
		}
		for _, problem := range why {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", o.POSOrderID, r.ID, r.Status, r.UpdatedAt.Format(time.RFC3339), problem)
		}
	}
	if next != "" {
		fmt.Fprintln(w, "(more: this lists the newest 50)")
	}
	return w.Flush()
}

// retryReturn runs a return needing attention again, as
// POST /v1/ops/orders/{order_id}/returns/{return_id}/retry does.
func (a admin) retryReturn(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("retry-return", flag.ContinueOnError)
	tenantID := fs.String("tenant", "", "tenant id")
	location := fs.String("location", "", "location id")
	order := fs.String("order", "", "the POS order id")
	returnID := fs.String("return", "", "the return id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := a.operator(ctx, tenancy.TenantID(*tenantID))
	if err != nil {
		return err
	}
	v, err := a.checkouts.RetryReturn(ctx, p, tenancy.LocationID(*location), *order, *returnID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "return %s of order %s is %s; execution %s\n", v.Return.ID, v.Order.Checkout.POSOrderID, v.Return.Status, v.Return.ExecutionARN)
	return nil
}
