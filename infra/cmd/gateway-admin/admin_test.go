package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/tenancy"
)

func TestAdminCreatesTenantsAndKeys(t *testing.T) {
	table, _, _ := ddblocaltest.NewTable(t)
	dir := dynamodb.NewDirectory(table)
	ctx := context.Background()
	var out bytes.Buffer
	a := admin{dir: dir, out: &out}

	err := a.run(ctx, []string{"create-tenant", "-id", "acme", "-name", "Acme", "-credentials", "secretsmanager:leat/acme",
		"-location", "amsterdam=shop-ams", "-location", "utrecht=shop-utr", "-default-location", "amsterdam",
		"-payment-timeout", "5m", "-portal-url", "https://acme.example", "-leat-tenders-pay-sales"})
	if err != nil {
		t.Fatal(err)
	}
	if tenant, err := dir.Tenant(ctx, "acme"); err != nil || tenant.DefaultLocation != "amsterdam" || len(tenant.Locations) != 2 ||
		tenant.PaymentTimeout != 5*time.Minute || tenant.PortalURL != "https://acme.example" || !tenant.LeatTendersPaySales {
		t.Fatalf("created tenant %+v, %v", tenant, err)
	}
	out.Reset()
	if err := a.run(ctx, []string{"create-key", "-tenant", "acme", "-name", "till 1", "-scope", "pos", "-location", "utrecht"}); err != nil {
		t.Fatal(err)
	}
	raw := strings.TrimSpace(out.String())
	p, err := tenancy.Authenticate(ctx, dir, "Bearer "+raw)
	if err != nil || p.Tenant != "acme" || len(p.Locations) != 1 || p.Locations[0] != "utrecht" || p.Require(tenancy.ScopePOS) != nil {
		t.Fatalf("the new key authenticates as %+v, %v", p, err)
	}
	if err := a.run(ctx, []string{"disable-key", "-key", raw}); err != nil {
		t.Fatal(err)
	}
	if _, err := tenancy.Authenticate(ctx, dir, "Bearer "+raw); !errors.Is(err, tenancy.ErrKeyDisabled) {
		t.Fatalf("disabled key: %v", err)
	}

	// A second key, listed without the key itself and disabled by its id.
	out.Reset()
	if err := a.run(ctx, []string{"create-key", "-tenant", "acme", "-name", "back office", "-scope", "backend"}); err != nil {
		t.Fatal(err)
	}
	second := strings.TrimSpace(out.String())
	out.Reset()
	if err := a.run(ctx, []string{"list-keys", "-tenant", "acme"}); err != nil {
		t.Fatal(err)
	}
	listing := out.String()
	id := string(tenancy.HashKey(second))[:12]
	if strings.Contains(listing, raw) || strings.Contains(listing, second) || !strings.Contains(listing, id) ||
		!strings.Contains(listing, "…"+second[len(second)-4:]) || !strings.Contains(listing, "disabled") || !strings.Contains(listing, "(all)") {
		t.Fatalf("listing:\n%s", listing)
	}
	if err := a.run(ctx, []string{"disable-key", "-id", id, "-tenant", "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tenancy.Authenticate(ctx, dir, "Bearer "+second); !errors.Is(err, tenancy.ErrKeyDisabled) {
		t.Fatalf("key disabled by id: %v", err)
	}

	refused := [][]string{
		{},
		{"delete-everything"},
		{"create-tenant", "-id", "acme", "-credentials", "x:y", "-location", "a=b"},     // exists
		{"create-tenant", "-id", "Bad Id", "-credentials", "x:y", "-location", "a=b"},   // invalid id
		{"create-tenant", "-id", "globex", "-credentials", "x:y", "-location", "nosep"}, // malformed location
		{"create-key", "-tenant", "nobody", "-name", "x", "-scope", "pos"},
		{"create-key", "-tenant", "acme", "-name", "x", "-scope", "root"},
		{"create-key", "-tenant", "acme", "-name", "x", "-scope", "pos", "-location", "paris"},
		{"disable-key", "-key", "lpg_unknown"},
		{"disable-key", "-id", "000000000000", "-tenant", "acme"},
		{"disable-key", "-id", "000000000000"},
		{"list-keys", "-tenant", "nobody"},
	}
	for _, args := range refused {
		if err := a.run(ctx, args); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}
