package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/leatpos/gateway/shared/loyalty"
)

func (r *roundTrips) VoucherByCode(ctx context.Context, code string) (loyalty.Voucher, error) {
	r.roundTrip()
	return r.account.VoucherByCode(ctx, code)
}

func (r *roundTrips) ValidateVoucher(ctx context.Context, voucherUUID, shopUUID, contactUUID string) error {
	r.roundTrip()
	r.mu.Lock()
	err, once := r.failOnce[voucherUUID]
	delete(r.failOnce, voucherUUID)
	r.mu.Unlock()
	if once {
		return err
	}
	return r.account.ValidateVoucher(ctx, voucherUUID, shopUUID, contactUUID)
}

// TestVoucherScansRememberCodes: a voucher scanned before is checked in one
// round trip, Leat validating the remembered voucher while it finds the
// code; that validation is the answer only when the code still names that
// voucher and nothing the voucher shows refuses it. A new code, a code that
// names another voucher since, a guess Leat could not answer, no customer to
// validate for, or a memory that fails costs two round trips; a code no
// voucher has any more is forgotten.
func TestVoucherScansRememberCodes(t *testing.T) {
	active := loyalty.Voucher{UUID: "v-1", Code: "CODE", Status: loyalty.VoucherActive}
	linked := active
	linked.ContactUUID = "c-1"
	redeemed := active
	redeemed.Status = loyalty.VoucherRedeemed
	unavailable := &loyalty.UnavailableError{Cause: errors.New("timeout")}
	for _, tc := range []struct {
		name       string
		voucher    *loyalty.Voucher // what CODE names in Leat; nil for nothing
		remembered string           // the voucher the memory holds for CODE
		contact    string
		leatSays   error // Leat's validation of v-1
		guessFails bool  // the first validation of the remembered voucher fails for want of Leat
		recallErr  error
		usable     bool
		reason     string
		err        error
		rounds     int
		validated  []string
		after      string // what the memory holds afterwards
	}{
		{name: "a voucher never scanned", voucher: &active, contact: "c-1", usable: true, rounds: 2, validated: []string{"v-1"}, after: "v-1"},
		{name: "a voucher scanned before", voucher: &active, remembered: "v-1", contact: "c-1", usable: true, rounds: 1, validated: []string{"v-1"}, after: "v-1"},
		{name: "a voucher Leat refuses, scanned before", voucher: &active, remembered: "v-1", contact: "c-1", leatSays: loyalty.ErrVoucherUsedUp,
			reason: "no_redemptions_left", rounds: 1, validated: []string{"v-1"}, after: "v-1"},
		{name: "a voucher redeemed since its scan", voucher: &redeemed, remembered: "v-1", contact: "c-1", reason: "redeemed", rounds: 1, validated: []string{"v-1"}, after: "v-1"},
		{name: "a code that names another voucher since", voucher: &active, remembered: "v-0", contact: "c-1", usable: true, rounds: 2, validated: []string{"v-0", "v-1"}, after: "v-1"},
		{name: "a guess Leat could not answer", voucher: &active, remembered: "v-1", contact: "c-1", guessFails: true, usable: true, rounds: 2, validated: []string{"v-1", "v-1"}, after: "v-1"},
		{name: "no customer to validate the guess for", voucher: &linked, remembered: "v-1", usable: true, rounds: 2, validated: []string{"v-1"}, after: "v-1"},
		{name: "a memory that cannot be read", voucher: &active, remembered: "v-1", contact: "c-1", recallErr: errors.New("table unavailable"),
			usable: true, rounds: 2, validated: []string{"v-1"}, after: "v-1"},
		{name: "a code no voucher has any more", remembered: "v-1", contact: "c-1", err: loyalty.ErrVoucherNotFound, rounds: 1, validated: []string{"v-1"}, after: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			acc := &account{refusals: map[string]error{"v-1": tc.leatSays}}
			if tc.voucher != nil {
				acc.vouchers = []loyalty.Voucher{*tc.voucher}
			}
			leat := &roundTrips{account: acc, failOnce: map[string]error{}}
			if tc.guessFails {
				leat.failOnce["v-1"] = unavailable
			}
			mem := &memory{cards: map[string]string{}, fail: tc.recallErr}
			if tc.remembered != "" {
				mem.cards["acme/CODE"] = tc.remembered
			}
			scan, err := newService(leat).WithVoucherMemory(mem).ScanVoucher(context.Background(), till, loyalty.VoucherScanCommand{Code: "CODE", ContactUUID: tc.contact})
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if scan.Usable != tc.usable || scan.Reason != tc.reason {
				t.Errorf("usable %v (%q), want %v (%q)", scan.Usable, scan.Reason, tc.usable, tc.reason)
			}
			if got := leat.rounds(); got != tc.rounds {
				t.Errorf("%d round trips, want %d", got, tc.rounds)
			}
			var validated []string
			for _, v := range acc.validated {
				validated = append(validated, v.voucher)
			}
			if tc.guessFails {
				validated = append([]string{"v-1"}, validated...) // the failed guess
			}
			if fmt.Sprint(validated) != fmt.Sprint(tc.validated) {
				t.Errorf("validated %v, want %v", validated, tc.validated)
			}
			if got := mem.cards["acme/CODE"]; got != tc.after {
				t.Errorf("the memory holds %q, want %q", got, tc.after)
			}
		})
	}
}
