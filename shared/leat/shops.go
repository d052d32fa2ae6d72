package leat

import "context"

// ListShops returns the account's shops.
func (c *Client) ListShops(ctx context.Context) ([]Shop, error) {
	return fetchList[Shop](ctx, c, get("/shops"))
}

// GetShop returns a shop, or fails with CodeShopNotFound.
func (c *Client) GetShop(ctx context.Context, shopUUID string) (*Shop, error) {
	return fetch[Shop](ctx, c, get("/shops/%s", shopUUID))
}
