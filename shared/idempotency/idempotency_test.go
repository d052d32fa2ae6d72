package idempotency_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/idempotency"
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"9f2c4e7a-0d1b-4c55-8a61-3b1f0a2d9e44", true},
		{"till-3:order-B2110:attempt-1", true},
		{"", false},
		{strings.Repeat("k", 255), true},
		{strings.Repeat("k", 256), false},
		{"with space", false},
		{"tab\tkey", false},
		{"ünïcode", false},
	}
	for _, tt := range tests {
		_, err := idempotency.ParseKey(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseKey(%q) = %v", tt.in, err)
		}
		if err != nil && !errors.Is(err, idempotency.ErrInvalidKey) {
			t.Errorf("ParseKey(%q): %v is not ErrInvalidKey", tt.in, err)
		}
	}
}

func TestFingerprintSeparatesRequests(t *testing.T) {
	base := idempotency.FingerprintOf("POST", "/v1/checkouts", []byte(`{"a":1}`))
	if base != idempotency.FingerprintOf("POST", "/v1/checkouts", []byte(`{"a":1}`)) {
		t.Fatal("the same request fingerprints differently")
	}
	for _, other := range []idempotency.Fingerprint{
		idempotency.FingerprintOf("POST", "/v1/checkouts", []byte(`{"a":2}`)),
		idempotency.FingerprintOf("POST", "/v1/portal-sessions", []byte(`{"a":1}`)),
		idempotency.FingerprintOf("PUT", "/v1/checkouts", []byte(`{"a":1}`)),
	} {
		if other == base {
			t.Fatal("different requests share a fingerprint")
		}
	}
}
