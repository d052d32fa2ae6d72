package leatsandbox

type shop struct {
	id        int
	uuid      string
	name      string
	kind      string // physical or web
	reference string
	address   SeedAddress
}

func (st *state) shopByUUID(uuid string) (*shop, error) {
	if s := st.shops.get(uuid); s != nil {
		return s, nil
	}
	return nil, errShopNotFound
}

// shopJSON is the one shop shape, used on its own and embedded in transactions (where Leat sometimes
// sends a subset of these keys; clients ignore the extra ones).
func shopJSON(s *shop) object {
	return object{
		"id":        s.id,
		"uuid":      s.uuid,
		"name":      s.name,
		"type":      s.kind,
		"reference": s.reference,
		"address": object{
			"street":      s.address.Street,
			"housenumber": s.address.HouseNumber,
			"postalcode":  s.address.PostalCode,
			"city":        s.address.City,
			"state":       nil,
			"country":     s.address.Country,
			"latitude":    nil,
			"longitude":   nil,
		},
	}
}

// GET /shops
func (st *state) listShops(*call) (reply, error) {
	shops := make([]object, 0, len(st.shops.all()))
	for _, s := range st.shops.all() {
		shops = append(shops, shopJSON(s))
	}
	return many(shops), nil
}

// GET /shops/{uuid}
func (st *state) getShop(c *call) (reply, error) {
	s, err := st.shopByUUID(c.pathUUID())
	if err != nil {
		return reply{}, err
	}
	return one(shopJSON(s)), nil
}
