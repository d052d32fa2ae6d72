package loyalty

import (
	"context"
	"strings"
	"sync"

	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// CardMemory remembers, per tenant, which customer a card identified last,
// so that a returning card's customer is read from Leat while Leat verifies
// the card: one round trip instead of two.
type CardMemory interface {
	// Recall answers the contact the card identified last; "" when none.
	Recall(ctx context.Context, tenant tenancy.TenantID, card string) (string, error)
	// Remember records (or refreshes) the card's contact.
	Remember(ctx context.Context, tenant tenancy.TenantID, card, contactUUID string) error
	// Forget drops what is known of the card.
	Forget(ctx context.Context, tenant tenancy.TenantID, card string) error
}

// WithCardMemory lets the service identify returning cards in one round trip.
func (s *Service) WithCardMemory(m CardMemory) *Service {
	s.cards = m
	return s
}

// identifyCard finds the customer behind a card. For a card it has seen,
// the remembered customer is read while Leat verifies the card, and used
// only when the verification names that customer and the card is active:
// an unlinked, relinked or inactive card is never answered from memory. The
// memory is an optimisation: when it fails, the card costs a round trip
// more, never a wrong or failed answer.
func (s *Service) identifyCard(ctx context.Context, acc account, card string) (Identification, error) {
	card = strings.TrimSpace(card)
	remembered, err := s.cards.Recall(ctx, acc.tenant.ID, card)
	if err != nil {
		logging.From(ctx).WarnContext(ctx, "the card memory could not be read; identifying in two round trips", "error", err)
		remembered = ""
	}
	var (
		id          Identifier
		verifyErr   error
		read        Customer
		readErr     error
		refreshed   error
		speculating = remembered != ""
		wg          sync.WaitGroup
	)
	wg.Go(func() { id, verifyErr = acc.platform.FindIdentifier(ctx, card) })
	if speculating {
		wg.Go(func() { read, readErr = acc.platform.Customer(ctx, remembered) })
		// Refreshing what is known costs no time while Leat answers.
		wg.Go(func() { refreshed = s.cards.Remember(ctx, acc.tenant.ID, card, remembered) })
	}
	wg.Wait()
	switch {
	case verifyErr != nil:
		return Identification{}, verifyErr
	case !id.Active, id.ContactUUID == "":
		if speculating {
			s.forget(ctx, acc.tenant.ID, card)
		}
		if !id.Active {
			return Identification{}, ErrIdentifierInactive
		}
		return Identification{}, ErrIdentifierNotLinked
	}
	if !speculating || id.ContactUUID != remembered || readErr != nil {
		if read, err = acc.platform.Customer(ctx, id.ContactUUID); err != nil {
			return Identification{}, err
		}
		refreshed = s.cards.Remember(ctx, acc.tenant.ID, card, id.ContactUUID)
	}
	if refreshed != nil {
		logging.From(ctx).WarnContext(ctx, "the card memory could not be written", "error", refreshed)
	}
	return Identification{Customer: read, Identifier: &id}, nil
}

func (s *Service) forget(ctx context.Context, tenant tenancy.TenantID, card string) {
	if err := s.cards.Forget(ctx, tenant, card); err != nil {
		logging.From(ctx).WarnContext(ctx, "the card memory could not forget a card", "error", err)
	}
}
