package leatsandbox

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// Leat writes every timestamp in UTC with an explicit "+00:00" offset (PHP's DATE_ATOM), never "Z".
const timestampLayout = "2006-01-02T15:04:05+00:00"

func timestamp(t time.Time) string {
	return t.UTC().Format(timestampLayout)
}

// optionalTimestamp gives JSON null for a missing time.
func optionalTimestamp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return timestamp(*t)
}

// parseTimestamp reads the ISO-8601 inputs Leat accepts: a full timestamp with its offset, or a date.
func parseTimestamp(value string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, value); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO-8601 date: %q", value)
}

// newUUID returns a random (version 4) UUID in the lowercase form Leat uses.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newCode returns an uppercase code that a person can read out, for vouchers and digital giftcards.
func newCode(length int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O or 1/I look-alikes
	b := make([]byte, length)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// majorUnits writes cents as "12.34" with integer arithmetic only.
func majorUnits(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// currencySymbol is the prefix Leat puts in front of formatted amounts.
func currencySymbol(currency string) string {
	switch strings.ToUpper(currency) {
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "USD":
		return "$"
	}
	return strings.ToUpper(currency) + " "
}

// optional gives JSON null for a missing value.
func optional[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
