package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/loyalty"
)

func TestCheckVoucher(t *testing.T) {
	zero, one := int64(0), int64(1)
	active := func(contact string) loyalty.Voucher {
		return loyalty.Voucher{UUID: "v-1", Status: loyalty.VoucherActive, ContactUUID: contact, RedemptionsRemaining: &one}
	}
	with := func(v loyalty.Voucher, change func(*loyalty.Voucher)) loyalty.Voucher { change(&v); return v }
	unavailable := &loyalty.UnavailableError{Cause: errors.New("timeout")}

	tests := []struct {
		name    string
		voucher loyalty.Voucher
		contact string
		// leat answers the validation, when the rule asks.
		leat error
		want error
		// asked is the contact Leat is asked about; "-" when Leat is not asked.
		asked string
	}{
		{"linked, no customer identified", active("c-1"), "", nil, nil, "c-1"},
		{"linked, its own customer", active("c-1"), "C-1", nil, nil, "c-1"},
		{"linked, another customer", active("c-1"), "c-2", nil, loyalty.ErrVoucherContactMismatch, "-"},
		{"linked to nobody, no customer identified", active(""), "", nil, loyalty.ErrContactRequired, "-"},
		{"linked to nobody, for the identified customer", active(""), "c-2", nil, nil, "c-2"},
		{"promotion switched off", active(""), "c-2", fmt.Errorf("%w: Promotion is inactive.", loyalty.ErrPromotionInactive), loyalty.ErrPromotionInactive, "c-2"},
		{"locked meanwhile", active("c-1"), "", loyalty.ErrVoucherLocked, loyalty.ErrVoucherLocked, "c-1"},
		{"Leat down", active("c-1"), "", unavailable, loyalty.ErrPlatformUnavailable, "c-1"},
		{"redeemed", with(active("c-1"), func(v *loyalty.Voucher) { v.Status = loyalty.VoucherRedeemed }), "", nil, loyalty.ErrVoucherRedeemed, "-"},
		{"expired status", with(active(""), func(v *loyalty.Voucher) { v.Status = loyalty.VoucherExpired }), "c-2", nil, loyalty.ErrVoucherExpired, "-"},
		{"past its expiry", with(active("c-1"), func(v *loyalty.Voucher) { v.ExpiresAt = at(-time.Second) }), "", nil, loyalty.ErrVoucherExpired, "-"},
		{"expiring later", with(active("c-1"), func(v *loyalty.Voucher) { v.ExpiresAt = at(time.Hour) }), "", nil, nil, "c-1"},
		{"deactivated", with(active(""), func(v *loyalty.Voucher) { v.Status = loyalty.VoucherDeactivated }), "", nil, loyalty.ErrVoucherDeactivated, "-"},
		{"not active yet", with(active(""), func(v *loyalty.Voucher) { v.Status = loyalty.VoucherInactive }), "", nil, loyalty.ErrVoucherNotActive, "-"},
		{"a status Leat may add", with(active(""), func(v *loyalty.Voucher) { v.Status = "PAUSED" }), "", nil, loyalty.ErrVoucherNotActive, "-"},
		{"locked", with(active("c-1"), func(v *loyalty.Voucher) { v.Status = loyalty.VoucherLocked }), "", nil, loyalty.ErrVoucherLocked, "-"},
		{"used up", with(active("c-1"), func(v *loyalty.Voucher) { v.RedemptionsRemaining = &zero }), "", nil, loyalty.ErrVoucherUsedUp, "-"},
		{"unlimited uses", with(active("c-1"), func(v *loyalty.Voucher) { v.RedemptionsRemaining = nil }), "", nil, nil, "c-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc := &account{refusals: map[string]error{"v-1": tt.leat}}
			err := loyalty.CheckVoucher(context.Background(), acc, tt.voucher, "shop-1", tt.contact, now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var want []validation
			if tt.asked != "-" {
				want = []validation{{"v-1", "shop-1", tt.asked}}
			}
			if !slices.Equal(acc.validated, want) {
				t.Fatalf("asked Leat %v, want %v", acc.validated, want)
			}
		})
	}
}

// TestRefinedRefusals: the checkout wraps a refusal with the item it failed
// on, and both the case and its broader refusal must still match.
func TestRefinedRefusals(t *testing.T) {
	tests := []struct {
		err, broader error
		text         string
	}{
		{loyalty.ErrPromotionInactive, loyalty.ErrVoucherInactive, "loyalty: voucher inactive: promotion switched off"},
		{loyalty.ErrVoucherDeactivated, loyalty.ErrVoucherInactive, "loyalty: voucher inactive: deactivated"},
		{loyalty.ErrVoucherNotActive, loyalty.ErrVoucherInactive, "loyalty: voucher inactive: not active"},
		{loyalty.ErrVoucherUsedUp, loyalty.ErrVoucherRedeemed, "loyalty: voucher already redeemed: no redemptions left"},
	}
	for _, tt := range tests {
		wrapped := fmt.Errorf("vouchers[1]: %w", tt.err)
		if !errors.Is(wrapped, tt.err) || !errors.Is(wrapped, tt.broader) || tt.err.Error() != tt.text {
			t.Errorf("%q: matches itself %v, its broader refusal %v", tt.err, errors.Is(wrapped, tt.err), errors.Is(wrapped, tt.broader))
		}
		if errors.Is(tt.broader, tt.err) {
			t.Errorf("%q is matched by its broader refusal", tt.err)
		}
	}
	if errors.Is(loyalty.ErrPromotionInactive, loyalty.ErrVoucherDeactivated) {
		t.Error("one case matches another")
	}
}
