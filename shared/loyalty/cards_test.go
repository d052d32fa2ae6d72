package loyalty_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/tenancy"
)

// roundTrips is an account whose card verifications and customer reads
// each take a round trip of leatRoundTrip, and which records when each
// started and ended, so that a test counts the round trips a cashier waits
// for. The round trip is long enough for calls sent together to overlap
// however loaded the machine.
type roundTrips struct {
	*account
	mu    sync.Mutex
	calls []leatsandbox.RequestRecord
	// failOnce fails the first validation of a voucher, by its uuid.
	failOnce map[string]error
}

const leatRoundTrip = 150 * time.Millisecond

func (r *roundTrips) roundTrip() {
	began := time.Now()
	time.Sleep(leatRoundTrip)
	r.mu.Lock()
	r.calls = append(r.calls, leatsandbox.RequestRecord{Started: began, Ended: time.Now()})
	r.mu.Unlock()
}

func (r *roundTrips) FindIdentifier(ctx context.Context, v string) (loyalty.Identifier, error) {
	r.roundTrip()
	return r.account.FindIdentifier(ctx, v)
}

func (r *roundTrips) Customer(ctx context.Context, uuid string) (loyalty.Customer, error) {
	r.roundTrip()
	return r.account.Customer(ctx, uuid)
}

func (r *roundTrips) For(context.Context, tenancy.Tenant) (loyalty.Platform, error) { return r, nil }

// rounds counts the round trips the calls took one after another.
func (r *roundTrips) rounds() int { return leatsandbox.CriticalPath(r.calls) }

// memory is a card or voucher memory in a map; fail makes Recall fail.
type memory struct {
	cards map[string]string
	fail  error
}

func (m *memory) Recall(_ context.Context, tenant tenancy.TenantID, card string) (string, error) {
	return m.cards[string(tenant)+"/"+card], m.fail
}

func (m *memory) Remember(_ context.Context, tenant tenancy.TenantID, card, contact string) error {
	m.cards[string(tenant)+"/"+card] = contact
	return nil
}

func (m *memory) Forget(_ context.Context, tenant tenancy.TenantID, card string) error {
	delete(m.cards, string(tenant)+"/"+card)
	return nil
}

// TestIdentifyRemembersCards: a returning card is answered in one round
// trip, the customer read while the card is verified; a new card, a card
// relinked to another customer, or a memory that fails costs two; an
// unlinked or inactive card is refused and forgotten, never answered from
// memory.
func TestIdentifyRemembersCards(t *testing.T) {
	customers := map[string]loyalty.Customer{"c-1": {UUID: "c-1", Points: 10}, "c-2": {UUID: "c-2", Points: 20}}
	for _, tc := range []struct {
		name       string
		remembered string // the contact the memory holds for CARD
		card       loyalty.Identifier
		recallErr  error
		want       string // the customer identified
		err        error
		rounds     int
		after      string // what the memory holds afterwards
	}{
		{"a new card", "", loyalty.Identifier{Active: true, ContactUUID: "c-1"}, nil, "c-1", nil, 2, "c-1"},
		{"a returning card", "c-1", loyalty.Identifier{Active: true, ContactUUID: "c-1"}, nil, "c-1", nil, 1, "c-1"},
		{"a card relinked to another customer", "c-1", loyalty.Identifier{Active: true, ContactUUID: "c-2"}, nil, "c-2", nil, 2, "c-2"},
		{"a card unlinked since", "c-1", loyalty.Identifier{Active: true}, nil, "", loyalty.ErrIdentifierNotLinked, 1, ""},
		{"a card made inactive since", "c-1", loyalty.Identifier{Active: false, ContactUUID: "c-1"}, nil, "", loyalty.ErrIdentifierInactive, 1, ""},
		{"a memory that cannot be read", "c-1", loyalty.Identifier{Active: true, ContactUUID: "c-1"}, errors.New("table unavailable"), "c-1", nil, 2, "c-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card := tc.card
			card.Value = "CARD"
			leat := &roundTrips{account: &account{identifiers: map[string]loyalty.Identifier{"CARD": card}, customers: customers}}
			mem := &memory{cards: map[string]string{}, fail: tc.recallErr}
			if tc.remembered != "" {
				mem.cards["acme/CARD"] = tc.remembered
			}
			svc := newService(leat).WithCardMemory(mem)
			id, err := svc.Identify(context.Background(), till, loyalty.IdentifyCommand{Identifier: "CARD"})
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && id.Customer.UUID != tc.want {
				t.Errorf("identified %s, want %s", id.Customer.UUID, tc.want)
			}
			if got := leat.rounds(); got != tc.rounds {
				t.Errorf("%d round trips, want %d", got, tc.rounds)
			}
			if got := mem.cards["acme/CARD"]; got != tc.after {
				t.Errorf("the memory holds %q, want %q", got, tc.after)
			}
		})
	}
}

// TestIdentifyWithOverview: the till gets the customer and the overview in
// one call, in one round trip for a returning card and two for a new one.
func TestIdentifyWithOverview(t *testing.T) {
	leat := &roundTrips{
		account: &account{
			identifiers: map[string]loyalty.Identifier{"CARD": {Value: "CARD", Active: true, ContactUUID: "c-1"}},
			customers:   map[string]loyalty.Customer{"c-1": {UUID: "c-1", Points: 150}},
			rewards:     []loyalty.Reward{{UUID: "r-1", Title: "Coffee", RequiredPoints: 100}},
		},
	}
	svc := newService(leat).WithCardMemory(&memory{cards: map[string]string{}})
	for _, want := range []int{2, 1} {
		leat.calls = nil
		id, o, err := svc.IdentifyWithOverview(context.Background(), till, loyalty.IdentifyCommand{Identifier: "CARD"})
		if err != nil {
			t.Fatal(err)
		}
		if id.Customer.UUID != "c-1" || id.Identifier.Value != "CARD" || len(o.Rewards) != 1 || !o.Rewards[0].Affordable {
			t.Fatalf("identified %+v with overview %+v", id, o)
		}
		if got := leat.rounds(); got != want {
			t.Errorf("%d round trips, want %d", got, want)
		}
	}
}
