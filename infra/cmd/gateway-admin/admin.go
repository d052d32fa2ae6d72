package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// admin carries out one command against a directory.
type admin struct {
	dir tenancy.Directory
	out io.Writer
}

const usage = "usage: gateway-admin create-tenant|create-key|disable-key [flags]; -h after a command lists its flags"

func (a admin) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "create-tenant":
		return a.createTenant(ctx, args[1:])
	case "create-key":
		return a.createKey(ctx, args[1:])
	case "disable-key":
		return a.disableKey(ctx, args[1:])
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

func (a admin) disableKey(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("disable-key", flag.ContinueOnError)
	raw := fs.String("key", "", "the API key to disable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := a.dir.APIKey(ctx, tenancy.HashKey(*raw))
	if err != nil {
		return err
	}
	key.Disabled = true
	if err := a.dir.SaveAPIKey(ctx, key); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "disabled key %q of tenant %s\n", key.Name, key.Tenant)
	return nil
}
