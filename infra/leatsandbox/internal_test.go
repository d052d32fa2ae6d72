package leatsandbox

import (
	"fmt"
	"reflect"
	"testing"
)

// These test pieces that the HTTP surface cannot reach cheaply.

func TestLoyaltyTokenSignatureReproducesLeatTestVector(t *testing.T) {
	token := loyaltyToken{version: "v3", shopUUID: "abcde-1235-hijkl-1i2k3", uniqueID: "my_unique_id", timestamp: "1646314054",
		award: award{unitName: "purchase_amount", unitValue: "10"}}
	if got := token.signature("very_secret"); got != "60585d543ff8bbd07ad9798b44241981b4e2d423" {
		t.Fatalf("signature %s, want Leat's published 60585d543ff8bbd07ad9798b44241981b4e2d423", got)
	}
}

func TestParseMajorUnits(t *testing.T) {
	for text, want := range map[string]int64{"10.40": 1040, "10.4": 1040, "10": 1000, "0.05": 5, "007.10": 710, "9999999999999.99": 999999999999999} {
		if got, err := parseMajorUnits(text); err != nil || got != want {
			t.Errorf("parseMajorUnits(%q) = %d, %v; want %d", text, got, err, want)
		}
	}
	for _, text := range []string{"", "-1", "1.", ".5", "1.234", "1e3", "1,50", "10000000000000", "+1"} {
		if got, err := parseMajorUnits(text); err == nil {
			t.Errorf("parseMajorUnits(%q) = %d, want an error", text, got)
		}
	}
}

func TestRequestLogKeepsTheLatest(t *testing.T) {
	log := requestLog{limit: 3}
	for i := range 5 {
		log.add(RequestRecord{Path: fmt.Sprint(i)})
	}
	var paths []string
	for _, r := range log.list() {
		paths = append(paths, r.Path)
	}
	if want := []string{"2", "3", "4"}; !reflect.DeepEqual(paths, want) {
		t.Fatalf("kept %v, want %v, oldest first", paths, want)
	}
	log.clear()
	if len(log.list()) != 0 {
		t.Fatal("clear kept records")
	}
}
