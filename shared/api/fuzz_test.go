package api

import (
	"net/http"
	"testing"
)

// FuzzRequestBodies decodes any body as every request the API takes: it is
// refused with a 4xx problem or accepted, never a panic or a 5xx.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		`{"order_id":"B-1","currency":"EUR","lines":[{"id":"1","sku":"C","name":"Coffee","quantity":1,"unit_price":320}]}`,
		`{"return_id":"R1","full":true}`,
		`{"return_id":"R1","lines":[{"line_id":"1","quantity":1}],"refunds":[{"tender":"tenders[0]","amount":5}]}`,
		`{"type":"giftcard","code":"GC-1","amount":100,"allow_partial":true}`,
		`{"outcome":"paid","lines":[],"discount_total":-1}`,
		`{"identifier":"LEAT-1001"}`, `{"kind":"default","amount":10}`,
		`[]`, `null`, `{"a":1}{"b":2}`, `{"quantity":1e400}`, "\xff", ``,
	} {
		f.Add([]byte(seed))
	}
	targets := []func() any{
		func() any { return &checkoutRequest{} }, func() any { return &returnRequest{} }, func() any { return &tenderRequest{} },
		func() any { return &paymentRequest{} }, func() any { return &customerRequest{} }, func() any { return &portalSessionRequest{} },
		func() any { return &identifyRequest{} },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range targets {
			if err := decodeJSON(body, "application/json", target()); err != nil {
				if p := problemFor(err); p.Status < 400 || p.Status >= http.StatusInternalServerError {
					t.Fatalf("%T: %s answered %d", target(), body, p.Status)
				}
			}
		}
	})
}
