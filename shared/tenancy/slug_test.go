package tenancy_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/tenancy"
)

// TestIDsAreSlugs: tenant and location ids are accepted exactly when they
// match the slug pattern the API documents, which the code checks by hand.
func TestIDsAreSlugs(t *testing.T) {
	slug := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	samples := []string{"", "a", "ab", "-ab", "a-", "acme", "Acme", "shop_1", "shop-1", "9", "99", strings.Repeat("a", 63), strings.Repeat("a", 64), "café"}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "az09-_A."
	for range 5000 {
		b := make([]byte, rng.IntN(67))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		samples = append(samples, string(b))
	}
	for _, s := range samples {
		_, tenantErr := tenancy.ParseTenantID(s)
		_, locationErr := tenancy.ParseLocationID(s)
		if want := slug.MatchString(s); (tenantErr == nil) != want || (locationErr == nil) != want {
			t.Errorf("%q: tenant id error %v, location id error %v; the pattern says valid = %v", s, tenantErr, locationErr, want)
		}
	}
}
