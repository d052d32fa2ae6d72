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

// identifyCard verifies a card and reads what belongs to its customer. For
// a card it has seen, the remembered customer is read while Leat verifies
// the card, and the read is used only when the verification names that
// customer and the card is active: an unlinked, relinked or inactive card
// is never answered from memory. The memory is an optimisation: when it
// fails, the card costs a round trip more, never a wrong or failed answer.
func identifyCard[T any](ctx context.Context, s *Service, acc account, card string, read func(ctx context.Context, contactUUID string) (T, error)) (*Identifier, T, error) {
	var none T
	card = strings.TrimSpace(card)
	var (
		id        Identifier
		verifyErr error
		got       T
		readErr   error
		refreshed error
		wg        sync.WaitGroup
	)
	wg.Go(func() { id, verifyErr = acc.platform.FindIdentifier(ctx, card) })
	// The memory is read while Leat verifies the card, so it costs the
	// cashier nothing but the moment before the customer's read starts.
	remembered := ""
	if s.cards != nil {
		var err error
		if remembered, err = s.cards.Recall(ctx, acc.tenant.ID, card); err != nil {
			logging.From(ctx).WarnContext(ctx, "the card memory could not be read; identifying in two round trips", "error", err)
			remembered = ""
		}
	}
	speculating := remembered != ""
	if speculating {
		wg.Go(func() { got, readErr = read(ctx, remembered) })
		// Refreshing what is known costs no time while Leat answers.
		wg.Go(func() { refreshed = s.cards.Remember(ctx, acc.tenant.ID, card, remembered) })
	}
	wg.Wait()
	switch {
	case verifyErr != nil:
		return nil, none, verifyErr
	case !id.Active, id.ContactUUID == "":
		if speculating {
			s.forget(ctx, acc.tenant.ID, card)
		}
		if !id.Active {
			return nil, none, ErrIdentifierInactive
		}
		return nil, none, ErrIdentifierNotLinked
	}
	if !speculating || id.ContactUUID != remembered || readErr != nil {
		// Leat has named the card's customer: remember it while reading.
		if s.cards != nil {
			wg.Go(func() { refreshed = s.cards.Remember(ctx, acc.tenant.ID, card, id.ContactUUID) })
		}
		got, readErr = read(ctx, id.ContactUUID)
		wg.Wait()
		if readErr != nil {
			return nil, none, readErr
		}
	}
	if refreshed != nil {
		logging.From(ctx).WarnContext(ctx, "the card memory could not be written", "error", refreshed)
	}
	return &id, got, nil
}

func (s *Service) forget(ctx context.Context, tenant tenancy.TenantID, card string) {
	if err := s.cards.Forget(ctx, tenant, card); err != nil {
		logging.From(ctx).WarnContext(ctx, "the card memory could not forget a card", "error", err)
	}
}
