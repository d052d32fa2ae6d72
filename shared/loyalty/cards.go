package loyalty

import (
	"context"
	"strings"
	"sync"

	"github.com/leatpos/gateway/shared/logging"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Memory remembers, per tenant, the uuid a scanned code named last: the
// customer a card identified, the voucher a code names. What it recalls is
// only a guess, read from Leat while Leat answers for the code and used only
// when Leat's answer agrees: one round trip instead of two.
type Memory interface {
	// Recall answers the uuid the code named last; "" when none.
	Recall(ctx context.Context, tenant tenancy.TenantID, code string) (string, error)
	// Remember records (or refreshes) the uuid the code names.
	Remember(ctx context.Context, tenant tenancy.TenantID, code, uuid string) error
	// Forget drops what is known of the code.
	Forget(ctx context.Context, tenant tenancy.TenantID, code string) error
}

// WithCardMemory lets the service identify returning cards in one round trip.
func (s *Service) WithCardMemory(m Memory) *Service {
	s.cards = m
	return s
}

// WithVoucherMemory lets the service check a voucher scanned before in one
// round trip.
func (s *Service) WithVoucherMemory(m Memory) *Service {
	s.vouchers = m
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
		remembered = recall(ctx, s.cards, acc.tenant.ID, card, "card")
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
	forget(ctx, s.cards, tenant, card, "card")
}

// recall answers what the memory holds of the code, "" when it cannot be
// read: the memory is an optimisation, so its failure costs a round trip,
// never an answer.
func recall(ctx context.Context, m Memory, tenant tenancy.TenantID, code, kind string) string {
	uuid, err := m.Recall(ctx, tenant, code)
	if err != nil {
		logging.From(ctx).WarnContext(ctx, "the "+kind+" memory could not be read; answering in two round trips", "error", err)
		return ""
	}
	return uuid
}

func forget(ctx context.Context, m Memory, tenant tenancy.TenantID, code, kind string) {
	if err := m.Forget(ctx, tenant, code); err != nil {
		logging.From(ctx).WarnContext(ctx, "the "+kind+" memory could not forget a code", "error", err)
	}
}
