package money_test

import (
	"errors"
	"testing"

	"github.com/leatpos/gateway/shared/money"
)

func TestParseMajor(t *testing.T) {
	tests := []struct {
		in       string
		currency money.Currency
		want     int64
		err      error
	}{
		{"5", "EUR", 500, nil},
		{"5.5", "EUR", 550, nil},
		{"10.40", "EUR", 1040, nil},
		{"-12.34", "EUR", -1234, nil},
		{"0.01", "EUR", 1, nil},
		{"1500", "JPY", 1500, nil},
		{"1.5", "JPY", 0, money.ErrInvalidAmount},
		{"1.234", "EUR", 0, money.ErrInvalidAmount},
		{"", "EUR", 0, money.ErrInvalidAmount},
		{"1.", "EUR", 0, money.ErrInvalidAmount},
		{".5", "EUR", 0, money.ErrInvalidAmount},
		{"1e3", "EUR", 0, money.ErrInvalidAmount},
		{"99999999999999999999", "EUR", 0, money.ErrOverflow},
		{"5", "XXX", 0, money.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+string(tt.currency), func(t *testing.T) {
			got, err := money.ParseMajor(tt.in, tt.currency)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil && got.Amount != tt.want {
				t.Fatalf("amount = %d, want %d", got.Amount, tt.want)
			}
		})
	}
}

func TestMajorRoundTrips(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{1040, "EUR", "10.40"},
		{5, "EUR", "0.05"},
		{-5, "EUR", "-0.05"},
		{0, "EUR", "0.00"},
		{1500, "JPY", "1500"},
	}
	for _, tt := range tests {
		m, err := money.New(tt.minor, tt.currency)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Major(); got != tt.want {
			t.Errorf("Major(%d %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
		back, err := money.ParseMajor(m.Major(), m.Currency)
		if err != nil || back != m {
			t.Errorf("round trip of %v gave %v, %v", m, back, err)
		}
	}
}

func TestArithmeticRefusesMixedCurrencies(t *testing.T) {
	eur, _ := money.New(100, "EUR")
	gbp, _ := money.New(100, "GBP")
	if _, err := eur.Add(gbp); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Fatalf("Add mixed currencies: err = %v", err)
	}
	if _, err := eur.Min(gbp); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Fatalf("Min mixed currencies: err = %v", err)
	}
	less, _ := money.New(40, "EUR")
	if got, _ := eur.Sub(less); got.Amount != 60 {
		t.Fatalf("Sub = %v", got)
	}
	if got, _ := eur.Min(less); got != less {
		t.Fatalf("Min = %v", got)
	}
	max, _ := money.New(1<<63-1, "EUR")
	if _, err := max.Add(eur); !errors.Is(err, money.ErrOverflow) {
		t.Fatalf("overflow: err = %v", err)
	}
}
