package dynamodb

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

var _ tenancy.Directory = (*Directory)(nil)

// Directory stores tenants and API keys.
type Directory struct{ table *Table }

// NewDirectory returns the tenant and key store on the table.
func NewDirectory(t *Table) *Directory { return &Directory{table: t} }

// A tenant lives at its own partition; API keys are found by hash before the
// tenant is known, so they are the one item kind keyed outside a tenant.
func tenantKey(id tenancy.TenantID) (pk, sk string) { return "T#" + string(id), "TENANT" }
func apiKeyKey(h tenancy.KeyHash) (pk, sk string)   { return "APIKEY#" + string(h), "APIKEY" }

// tenantKeySK lists a key under its tenant, so the tenant's keys are one query.
func tenantKeySK(k tenancy.APIKey) string {
	return "APIKEY#" + k.CreatedAt.UTC().Format(sortableTime) + "#" + k.ID()
}

type tenantItem struct {
	PK              string         `dynamodbav:"pk"`
	SK              string         `dynamodbav:"sk"`
	ID              string         `dynamodbav:"tenant_id"`
	Name            string         `dynamodbav:"name"`
	LeatCredentials string         `dynamodbav:"leat_credentials"`
	Currency        string         `dynamodbav:"currency"`
	AttributePrefix string         `dynamodbav:"attribute_prefix"`
	RewardStrategy  string         `dynamodbav:"reward_strategy"`
	VoucherStrategy string         `dynamodbav:"voucher_strategy"`
	Locations       []locationItem `dynamodbav:"locations"`
	DefaultLocation string         `dynamodbav:"default_location,omitempty"`
	PaymentTimeout  time.Duration  `dynamodbav:"payment_timeout_ns,omitempty"`
	PortalURL       string         `dynamodbav:"portal_url,omitempty"`
	TendersPaySales bool           `dynamodbav:"leat_tenders_pay_sales,omitempty"`
}

type locationItem struct {
	ID       string `dynamodbav:"id"`
	Name     string `dynamodbav:"name"`
	ShopUUID string `dynamodbav:"shop_uuid"`
}

type apiKeyItem struct {
	PK        string    `dynamodbav:"pk"`
	SK        string    `dynamodbav:"sk"`
	Tenant    string    `dynamodbav:"tenant_id"`
	Name      string    `dynamodbav:"name"`
	Scopes    []string  `dynamodbav:"scopes"`
	Locations []string  `dynamodbav:"locations"`
	Disabled  bool      `dynamodbav:"disabled"`
	CreatedAt time.Time `dynamodbav:"created_at"`
	Last4     string    `dynamodbav:"last4,omitempty"`
	// Hash is set on the tenant's listing of the key, whose key is not the hash.
	Hash string `dynamodbav:"key_hash,omitempty"`
}

func (i apiKeyItem) key(h tenancy.KeyHash) tenancy.APIKey {
	k := tenancy.APIKey{Hash: h, Tenant: tenancy.TenantID(i.Tenant), Name: i.Name, Disabled: i.Disabled, CreatedAt: i.CreatedAt, Last4: i.Last4}
	for _, s := range i.Scopes {
		k.Scopes = append(k.Scopes, tenancy.Scope(s))
	}
	for _, l := range i.Locations {
		k.Locations = append(k.Locations, tenancy.LocationID(l))
	}
	return k
}

// CreateTenant stores a new tenant; ErrTenantExists when the id is taken.
func (d *Directory) CreateTenant(ctx context.Context, t tenancy.Tenant) error {
	return d.putTenant(ctx, t, "attribute_not_exists(pk)", tenancy.ErrTenantExists)
}

// UpdateTenant replaces an existing tenant; ErrTenantNotFound when absent.
func (d *Directory) UpdateTenant(ctx context.Context, t tenancy.Tenant) error {
	return d.putTenant(ctx, t, "attribute_exists(pk)", tenancy.ErrTenantNotFound)
}

func (d *Directory) putTenant(ctx context.Context, t tenancy.Tenant, condition string, onConflict error) error {
	if err := t.Validate(); err != nil {
		return err
	}
	pk, sk := tenantKey(t.ID)
	item := tenantItem{
		PK: pk, SK: sk, ID: string(t.ID), Name: t.Name, LeatCredentials: t.LeatCredentials,
		Currency: string(t.Currency), AttributePrefix: t.AttributePrefix,
		RewardStrategy: string(t.RewardStrategy), VoucherStrategy: string(t.VoucherStrategy),
		DefaultLocation: string(t.DefaultLocation), PaymentTimeout: t.PaymentTimeout, PortalURL: t.PortalURL,
		TendersPaySales: t.LeatTendersPaySales,
	}
	for _, l := range t.Locations {
		item.Locations = append(item.Locations, locationItem{ID: string(l.ID), Name: l.Name, ShopUUID: l.ShopUUID})
	}
	err := d.table.put(ctx, item, condition, nil)
	if _, failed := conditionFailed(err); failed {
		return onConflict
	}
	return err
}

// Tenant loads a tenant; ErrTenantNotFound when absent.
func (d *Directory) Tenant(ctx context.Context, id tenancy.TenantID) (tenancy.Tenant, error) {
	var item tenantItem
	found, err := get(ctx, d.table, tenantKey, id, &item)
	if err != nil {
		return tenancy.Tenant{}, err
	}
	if !found {
		return tenancy.Tenant{}, tenancy.ErrTenantNotFound
	}
	t := tenancy.Tenant{
		ID: tenancy.TenantID(item.ID), Name: item.Name, LeatCredentials: item.LeatCredentials,
		Currency: money.Currency(item.Currency), AttributePrefix: item.AttributePrefix,
		RewardStrategy:  tenancy.RewardStrategy(item.RewardStrategy),
		VoucherStrategy: tenancy.VoucherStrategy(item.VoucherStrategy),
		DefaultLocation: tenancy.LocationID(item.DefaultLocation),
		PaymentTimeout:  item.PaymentTimeout, PortalURL: item.PortalURL,
		LeatTendersPaySales: item.TendersPaySales,
	}
	for _, l := range item.Locations {
		t.Locations = append(t.Locations, tenancy.Location{ID: tenancy.LocationID(l.ID), Name: l.Name, ShopUUID: l.ShopUUID})
	}
	return t, nil
}

// SaveAPIKey stores a key by its hash.
// The key by its hash, which the authorizer reads, and its listing under the
// tenant are written together.
func (d *Directory) SaveAPIKey(ctx context.Context, k tenancy.APIKey) error {
	pk, sk := apiKeyKey(k.Hash)
	item := apiKeyItem{PK: pk, SK: sk, Tenant: string(k.Tenant), Name: k.Name, Disabled: k.Disabled, CreatedAt: k.CreatedAt, Last4: k.Last4}
	for _, s := range k.Scopes {
		item.Scopes = append(item.Scopes, string(s))
	}
	for _, l := range k.Locations {
		item.Locations = append(item.Locations, string(l))
	}
	listing := item
	listing.PK, _ = tenantKey(k.Tenant)
	listing.SK, listing.Hash = tenantKeySK(k), string(k.Hash)
	var puts []types.TransactWriteItem
	for _, it := range []apiKeyItem{item, listing} {
		av, err := attributevalue.MarshalMap(it)
		if err != nil {
			return wrap("marshal api key", err)
		}
		puts = append(puts, types.TransactWriteItem{Put: &types.Put{TableName: &d.table.name, Item: av}})
	}
	if _, err := d.table.api.TransactWriteItems(ctx, &awsdynamodb.TransactWriteItemsInput{TransactItems: puts}); err != nil {
		return wrap("put api key", err)
	}
	return nil
}

// APIKeys lists a tenant's keys, oldest first.
func (d *Directory) APIKeys(ctx context.Context, tenant tenancy.TenantID) ([]tenancy.APIKey, error) {
	pk, _ := tenantKey(tenant)
	return queryPrefix(ctx, d.table, pk, "APIKEY#", func(av map[string]types.AttributeValue) (tenancy.APIKey, error) {
		var item apiKeyItem
		if err := attributevalue.UnmarshalMap(av, &item); err != nil {
			return tenancy.APIKey{}, wrap("unmarshal api key", err)
		}
		return item.key(tenancy.KeyHash(item.Hash)), nil
	})
}

// APIKey loads a key by hash; ErrUnknownKey when absent.
func (d *Directory) APIKey(ctx context.Context, h tenancy.KeyHash) (tenancy.APIKey, error) {
	var item apiKeyItem
	found, err := get(ctx, d.table, apiKeyKey, h, &item)
	if err != nil {
		return tenancy.APIKey{}, err
	}
	if !found {
		return tenancy.APIKey{}, tenancy.ErrUnknownKey
	}
	return item.key(h), nil
}
