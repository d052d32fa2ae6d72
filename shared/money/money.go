// Package money holds amounts as int64 minor units with their ISO-4217
// currency. Floats never touch money: decimal input is parsed digit by digit.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Currency is an upper-case ISO-4217 code the gateway knows the minor unit of.
type Currency string

// minorUnits lists the currencies a Leat account can be in, with the number of
// decimals of their minor unit.
var minorUnits = map[Currency]int{
	"EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "DKK": 2, "NOK": 2, "SEK": 2,
	"PLN": 2, "CZK": 2, "HUF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "JPY": 0,
}

// Errors returned by constructors and arithmetic.
var (
	ErrUnknownCurrency  = errors.New("money: unknown currency")
	ErrCurrencyMismatch = errors.New("money: currencies differ")
	ErrInvalidAmount    = errors.New("money: invalid amount")
	ErrOverflow         = errors.New("money: amount out of range")
)

// ParseCurrency validates an ISO-4217 code.
func ParseCurrency(code string) (Currency, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(code)))
	if _, ok := minorUnits[c]; !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownCurrency, code)
	}
	return c, nil
}

// Decimals is the number of digits after the decimal point of the minor unit.
func (c Currency) Decimals() int { return minorUnits[c] }

// Money is an amount in minor units (cents for EUR) of one currency.
type Money struct {
	Amount   int64    `json:"amount"`
	Currency Currency `json:"currency"`
}

// New builds Money from minor units.
func New(minor int64, currency string) (Money, error) {
	c, err := ParseCurrency(currency)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: minor, Currency: c}, nil
}

// ParseMajor reads a decimal in major units ("5", "5.5", "-12.34") into Money.
// More decimals than the currency has are refused rather than rounded.
func ParseMajor(s string, c Currency) (Money, error) {
	if _, ok := minorUnits[c]; !ok {
		return Money{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, c)
	}
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	decimals := c.Decimals()
	if whole == "" || (hasPoint && frac == "") || len(frac) > decimals || !digits(whole) || !digits(frac) {
		return Money{}, fmt.Errorf("%w: %q", ErrInvalidAmount, s)
	}
	frac += strings.Repeat("0", decimals-len(frac))
	minor, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("%w: %q", ErrOverflow, s)
	}
	if neg {
		minor = -minor
	}
	return Money{Amount: minor, Currency: c}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Major formats the amount in major units with exactly the currency's decimals
// ("10.40"), the form Leat expects for purchase_amount unit values.
func (m Money) Major() string {
	d := m.Currency.Decimals()
	sign, abs := "", m.Amount
	if abs < 0 {
		sign, abs = "-", -abs
	}
	if d == 0 {
		return sign + strconv.FormatInt(abs, 10)
	}
	s := fmt.Sprintf("%0*d", d+1, abs)
	return sign + s[:len(s)-d] + "." + s[len(s)-d:]
}

// String reads well in logs: "EUR 10.40".
func (m Money) String() string { return string(m.Currency) + " " + m.Major() }

// IsZero reports a zero amount.
func (m Money) IsZero() bool { return m.Amount == 0 }

// Add returns m+o; both must share a currency.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, m.Currency, o.Currency)
	}
	sum := m.Amount + o.Amount
	if (o.Amount > 0 && sum < m.Amount) || (o.Amount < 0 && sum > m.Amount) {
		return Money{}, ErrOverflow
	}
	return Money{Amount: sum, Currency: m.Currency}, nil
}

// Sub returns m-o; both must share a currency.
func (m Money) Sub(o Money) (Money, error) {
	return m.Add(Money{Amount: -o.Amount, Currency: o.Currency})
}

// Min returns the smaller of m and o; both must share a currency.
func (m Money) Min(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, m.Currency, o.Currency)
	}
	if o.Amount < m.Amount {
		return o, nil
	}
	return m, nil
}
