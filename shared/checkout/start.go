package checkout

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leatpos/gateway/shared/fanout"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/money"
	"github.com/leatpos/gateway/shared/tenancy"
)

// InvalidError: the basket contradicts itself or the account; Field is the
// request path at fault ("lines[2].id"), Code a stable reason.
type InvalidError struct {
	Field, Code, Message string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("checkout: %s: %s", e.Field, e.Message)
}

// StartCommand is a POS basket to check out. Its shape (required fields,
// limits) is validated by the API; Start checks it against itself and Leat.
type StartCommand struct {
	Location tenancy.LocationID
	// RequestKey is the request's Idempotency-Key.
	RequestKey  string
	OrderID     string
	Currency    string
	ContactUUID string
	Lines       []ledger.Line
	Rewards     []RewardRequest
	Collects    []CollectRequest
	Vouchers    []VoucherRequest
	Tenders     []TenderRequest
	// GiftcardSales and PrepaidTopUps name the lines that load Leat money.
	GiftcardSales []GiftcardSaleRequest
	PrepaidTopUps []string
}

// GiftcardSaleRequest sells a giftcard for its line's amount: a physical
// card by Code, or a digital one, sent to Email (or the checkout's customer).
type GiftcardSaleRequest struct {
	LineID  string
	Code    string
	Digital bool
	Email   string
}

// TenderRequest pays Amount (minor units) with a giftcard (Code) or the
// customer's prepaid balance.
type TenderRequest struct {
	Type         ledger.TenderType
	Code         string
	Amount       int64
	AllowPartial bool
}

// RewardRequest redeems a reward; an empty Strategy takes the tenant's.
type RewardRequest struct {
	RewardUUID string
	Strategy   tenancy.RewardStrategy
	LineIDs    []string
}

// CollectRequest hands over a collectable reward.
type CollectRequest struct {
	CollectableUUID string
	LineIDs         []string
}

// VoucherRequest uses a voucher; an empty Strategy takes the tenant's.
type VoucherRequest struct {
	Code     string
	Strategy tenancy.VoucherStrategy
	LineIDs  []string
}

// Start checks the basket, records the checkout and starts its saga, then
// waits (at most AnswerWithin) for the reserve phase to end. A refusal of
// the reserve phase is answered as the ItemError of the item refused.
func (s *Service) Start(ctx context.Context, p tenancy.Principal, cmd StartCommand) (View, error) {
	acc, id, err := s.order(ctx, p, cmd.Location, cmd.OrderID)
	if err != nil {
		return View{}, err
	}
	if existing, _, err := s.ledger.Checkout(ctx, p.Tenant, id); err == nil {
		return s.resume(ctx, existing, cmd.RequestKey)
	} else if !errors.Is(err, ledger.ErrCheckoutNotFound) {
		return View{}, err
	}
	c, err := s.check(ctx, acc, p.Tenant, id, cmd)
	if err != nil {
		return View{}, err
	}
	if err := s.ledger.CreateCheckout(ctx, c); errors.Is(err, ledger.ErrCheckoutExists) {
		existing, _, err := s.ledger.Checkout(ctx, p.Tenant, id)
		if err != nil {
			return View{}, err
		}
		return s.resume(ctx, existing, cmd.RequestKey)
	} else if err != nil {
		return View{}, err
	}
	c.Version = 1
	return s.launch(ctx, c)
}

// resume answers a start of an order that already has a checkout: the
// same request retried carries on where it stopped, any other is refused.
func (s *Service) resume(ctx context.Context, c ledger.Checkout, requestKey string) (View, error) {
	if c.RequestKey != requestKey || requestKey == "" {
		return View{}, &CheckoutExistsError{Checkout: c}
	}
	return s.launch(ctx, c)
}

// launch starts the saga (again: a start with the same name and input finds
// the running execution) and waits for the reserve phase.
func (s *Service) launch(ctx context.Context, c ledger.Checkout) (View, error) {
	ctx = logger(ctx, c)
	arn, err := s.executions.Start(ctx, ExecutionName(c.Tenant, c.ID), sagaInput(c))
	if err != nil {
		return View{}, err
	}
	if c.ExecutionARN != arn {
		if _, err := s.update(ctx, c.Tenant, c.ID, func(c *ledger.Checkout) error { c.ExecutionARN = arn; return nil }); err != nil {
			return View{}, err
		}
	}
	v, err := s.waitUntil(ctx, c.Tenant, c.ID, func(st ledger.CheckoutStatus) bool { return st != ledger.CheckoutReserving })
	if err != nil {
		return View{}, err
	}
	if r := v.Checkout.Refusal; v.Settled && r != nil {
		return v, &ItemError{Item: r.Item, Err: &RefusalError{Refusal: *r}}
	}
	return v, nil
}

// RefusalError is a refusal the saga recorded, read back for the POS.
type RefusalError struct{ Refusal ledger.Refusal }

func (e *RefusalError) Error() string {
	if e.Refusal.Detail == "" {
		return e.Refusal.Code
	}
	return e.Refusal.Code + ": " + e.Refusal.Detail
}

// errUnchanged tells update that change found nothing to do.
var errUnchanged = errors.New("checkout: unchanged")

// update reloads the checkout, applies change and saves it, again on a
// concurrent update, and answers the checkout as it stands. A change that
// answers errUnchanged saves nothing.
func (s *Service) update(ctx context.Context, tenant tenancy.TenantID, id ledger.CheckoutID, change func(*ledger.Checkout) error) (ledger.Checkout, error) {
	for attempt := 0; ; attempt++ {
		c, _, err := s.ledger.Checkout(ctx, tenant, id)
		if err != nil {
			return ledger.Checkout{}, err
		}
		if err := change(&c); errors.Is(err, errUnchanged) {
			return c, nil
		} else if err != nil {
			return ledger.Checkout{}, err
		}
		c.UpdatedAt = s.now().UTC()
		saved, err := s.ledger.SaveCheckout(ctx, c)
		if !errors.Is(err, ledger.ErrConflict) || attempt == 5 {
			return saved, err
		}
	}
}

// check validates the basket against itself and the tenant's Leat account,
// reading everything it needs at once, and builds the checkout to record.
// Nothing is written to Leat before every item has passed.
func (s *Service) check(ctx context.Context, acc account, tenant tenancy.TenantID, id ledger.CheckoutID, cmd StartCommand) (ledger.Checkout, error) {
	currency, err := money.ParseCurrency(cmd.Currency)
	if err != nil {
		return ledger.Checkout{}, &InvalidError{Field: "currency", Code: "format", Message: "must be an ISO-4217 currency code"}
	}
	if currency != acc.tenant.Currency {
		return ledger.Checkout{}, &ItemError{Item: "currency", Err: fmt.Errorf("%w: the Leat account is in %s", loyalty.ErrCurrencyMismatch, acc.tenant.Currency)}
	}
	if err := checkLines(cmd); err != nil {
		return ledger.Checkout{}, err
	}
	if cmd.ContactUUID == "" {
		switch {
		case len(cmd.Rewards) > 0:
			return ledger.Checkout{}, &ItemError{Item: "contact_uuid", Err: fmt.Errorf("%w: rewards are redeemed with a customer's points", loyalty.ErrContactRequired)}
		case len(cmd.Collects) > 0:
			return ledger.Checkout{}, &ItemError{Item: "contact_uuid", Err: fmt.Errorf("%w: collectable rewards belong to a customer", loyalty.ErrContactRequired)}
		}
	}
	facts, err := s.readAccount(ctx, acc, cmd)
	if err != nil {
		return ledger.Checkout{}, err
	}
	basket := ledger.Basket{Lines: cmd.Lines}
	var items []redeemed
	spent := int64(0)
	for i, r := range cmd.Rewards {
		item := fmt.Sprintf("rewards[%d]", i)
		reward, err := facts.reward(item, r, acc.tenant, facts.points-spent)
		if err != nil {
			return ledger.Checkout{}, err
		}
		spent += reward.RequiredPoints
		reward.LineIDs = r.LineIDs
		basket.Rewards = append(basket.Rewards, reward)
		items = append(items, redeemed{source: item, uuid: reward.RewardUUID, title: reward.Title,
			discount: loyalty.ParseDiscount(facts.rewards[r.RewardUUID].Reward.Attributes, acc.tenant.AttributePrefix, currency), lineIDs: r.LineIDs})
	}
	for i, col := range cmd.Collects {
		item := fmt.Sprintf("collect[%d]", i)
		cr, err := facts.collectable(item, col.CollectableUUID, s.now())
		if err != nil {
			return ledger.Checkout{}, err
		}
		basket.Collects = append(basket.Collects, ledger.CollectItem{CollectableUUID: cr.UUID, RewardUUID: cr.Reward.UUID, Title: cr.Title, LineIDs: col.LineIDs})
		items = append(items, redeemed{source: item, uuid: cr.UUID, title: cr.Title,
			discount: loyalty.ParseDiscount(cr.Reward.Attributes, acc.tenant.AttributePrefix, currency), lineIDs: col.LineIDs})
	}
	if err := refuseVouchers(facts, cmd); err != nil {
		return ledger.Checkout{}, err
	}
	for i, v := range cmd.Vouchers {
		voucher := facts.vouchers[v.Code]
		basket.Vouchers = append(basket.Vouchers, voucherItem(v, voucher, cmd.ContactUUID, acc.tenant))
		items = append(items, redeemed{source: fmt.Sprintf("vouchers[%d]", i), uuid: voucher.UUID, title: voucher.Name,
			discount: loyalty.ParseDiscount(voucher.Attributes, acc.tenant.AttributePrefix, currency), lineIDs: v.LineIDs})
	}
	discounts, totals, err := applyDiscounts(cmd.Lines, items)
	var noLine *NoMatchingLineError
	if errors.As(err, &noLine) {
		return ledger.Checkout{}, &InvalidError{Field: noLine.Source, Code: "no_matching_line", Message: "applies to no line of the basket: " + noLine.Reason}
	}
	if basket.GiftcardSales, basket.PrepaidTopUps, err = facts.sales(cmd, discounts, s.now()); err != nil {
		return ledger.Checkout{}, err
	}
	basket.TendersPaySales = acc.tenant.LeatTendersPaySales
	if basket.Tenders, err = facts.tenders(cmd, basket.Tenderable(totals.Due), s.now()); err != nil {
		return ledger.Checkout{}, err
	}
	now := s.now().UTC()
	return ledger.Checkout{
		Tenant: tenant, ID: id, Location: acc.location.ID, ShopUUID: acc.location.ShopUUID, POSOrderID: cmd.OrderID,
		Status: ledger.CheckoutReserving, ContactUUID: cmd.ContactUUID, Currency: currency, Basket: basket,
		Discounts: discounts, Totals: totals, PointsBefore: facts.points, RequestKey: cmd.RequestKey,
		CreatedAt: now, UpdatedAt: now,
	}, nil
}

// checkLines refuses what the request's shape cannot: lines that share an
// id, items naming lines that do not exist, an item used twice.
func checkLines(cmd StartCommand) error {
	seen := map[string]bool{}
	for i, l := range cmd.Lines {
		if seen[l.ID] {
			return &InvalidError{Field: fmt.Sprintf("lines[%d].id", i), Code: "duplicate", Message: "another line has this id"}
		}
		seen[l.ID] = true
	}
	refs := func(kind string, i int, ids []string) error {
		for j, id := range ids {
			if !seen[id] {
				return &InvalidError{Field: fmt.Sprintf("%s[%d].line_ids[%d]", kind, i, j), Code: "unknown_line", Message: "names no line of the basket"}
			}
		}
		return nil
	}
	for i, r := range cmd.Rewards {
		if err := refs("rewards", i, r.LineIDs); err != nil {
			return err
		}
	}
	collectables := map[string]bool{}
	for i, c := range cmd.Collects {
		if err := refs("collect", i, c.LineIDs); err != nil {
			return err
		}
		if collectables[c.CollectableUUID] {
			return &InvalidError{Field: fmt.Sprintf("collect[%d].collectable_uuid", i), Code: "duplicate", Message: "is collected twice"}
		}
		collectables[c.CollectableUUID] = true
	}
	codes := map[string]bool{}
	for i, v := range cmd.Vouchers {
		if err := refs("vouchers", i, v.LineIDs); err != nil {
			return err
		}
		if codes[strings.ToUpper(v.Code)] {
			return &InvalidError{Field: fmt.Sprintf("vouchers[%d].code", i), Code: "duplicate", Message: "is used twice"}
		}
		codes[strings.ToUpper(v.Code)] = true
	}
	return nil
}

// accountFacts are the Leat reads a basket is checked against.
type accountFacts struct {
	points       int64
	rewards      map[string]RewardAvailability
	claimable    map[string]bool
	collectables []loyalty.CollectableReward
	vouchers     map[string]loyalty.Voucher
	// voucherVerdicts are, per code, whether Leat would redeem the voucher
	// now (loyalty.CheckVoucher).
	voucherVerdicts map[string]error
	giftcards       map[string]loyalty.Giftcard
	prepaid         int64
	// program and programMax are the program digital cards are sold in.
	program    string
	programMax int64
	missing    map[string]error // per reward uuid, voucher or giftcard code: not found
}

// readAccount reads, all at once, what the basket's items need.
func (s *Service) readAccount(ctx context.Context, acc account, cmd StartCommand) (accountFacts, error) {
	f := accountFacts{
		rewards: map[string]RewardAvailability{}, claimable: map[string]bool{},
		vouchers: map[string]loyalty.Voucher{}, voucherVerdicts: map[string]error{}, giftcards: map[string]loyalty.Giftcard{}, missing: map[string]error{},
	}
	var mu sync.Mutex
	var calls []func(context.Context) error
	if cmd.ContactUUID != "" {
		calls = append(calls, func(ctx context.Context) error {
			c, err := acc.platform.Customer(ctx, cmd.ContactUUID)
			f.points, f.prepaid = c.Points, c.Prepaid.Amount
			return err
		})
	}
	if len(cmd.Rewards) > 0 {
		calls = append(calls, func(ctx context.Context) error {
			rewards, err := acc.platform.Rewards(ctx, cmd.ContactUUID, acc.location.ShopUUID)
			for _, r := range rewards {
				f.claimable[r.UUID] = true
			}
			return err
		})
	}
	needsCollectables := len(cmd.Collects) > 0
	for _, r := range cmd.Rewards {
		needsCollectables = needsCollectables || r.Strategy != tenancy.RewardRedeemReverse
		calls = append(calls, func(ctx context.Context) error {
			reward, err := acc.platform.Reward(ctx, r.RewardUUID)
			mu.Lock()
			defer mu.Unlock()
			if errors.Is(err, loyalty.ErrRewardNotFound) {
				f.missing[r.RewardUUID] = err
				return nil
			}
			f.rewards[r.RewardUUID] = reward
			return err
		})
	}
	if needsCollectables && cmd.ContactUUID != "" {
		calls = append(calls, func(ctx context.Context) error {
			var err error
			f.collectables, err = acc.platform.CollectableRewards(ctx, cmd.ContactUUID)
			return err
		})
	}
	for _, v := range cmd.Vouchers {
		calls = append(calls, func(ctx context.Context) error {
			voucher, verdict, err := loyalty.FindAndCheckVoucher(ctx, acc.platform, s.vouchers, acc.tenant.ID, v.Code, acc.location.ShopUUID, cmd.ContactUUID, s.now())
			mu.Lock()
			defer mu.Unlock()
			if errors.Is(err, loyalty.ErrVoucherNotFound) {
				f.missing[v.Code] = err
				return nil
			}
			f.vouchers[v.Code], f.voucherVerdicts[v.Code] = voucher, verdict
			return err
		})
	}
	var codes []string
	for _, t := range cmd.Tenders {
		if t.Type == ledger.TenderGiftcard {
			codes = append(codes, t.Code)
		}
	}
	for _, sale := range cmd.GiftcardSales {
		if sale.Digital {
			calls = append(calls, func(ctx context.Context) (err error) {
				f.program, f.programMax, err = acc.platform.DefaultGiftcardProgram(ctx)
				return err
			})
			continue
		}
		codes = append(codes, sale.Code)
	}
	for _, code := range codes {
		calls = append(calls, func(ctx context.Context) error {
			card, err := acc.platform.GiftcardByCode(ctx, code)
			mu.Lock()
			defer mu.Unlock()
			if errors.Is(err, loyalty.ErrGiftcardNotFound) {
				f.missing[code] = err
				return nil
			}
			f.giftcards[code] = card
			return err
		})
	}
	return f, fanout.All(ctx, calls...)
}

// sales checks the lines that load Leat money: each names a line once; a
// physical card must be usable and still empty; a top-up needs the customer;
// no card may end above its program's maximum.
func (f accountFacts) sales(cmd StartCommand, discounts []ledger.Discount, now time.Time) ([]ledger.GiftcardSale, []ledger.PrepaidTopUp, error) {
	due := lineDue(cmd.Lines, discounts)
	used := map[string]bool{}
	line := func(field, id string) (int64, error) {
		amount, ok := due[id]
		switch {
		case !ok:
			return 0, &InvalidError{Field: field, Code: "unknown_line", Message: "names no line of the basket"}
		case used[id]:
			return 0, &InvalidError{Field: field, Code: "duplicate", Message: "the line is sold twice"}
		}
		used[id] = true
		return amount, nil
	}
	var sales []ledger.GiftcardSale
	for i, s := range cmd.GiftcardSales {
		item := fmt.Sprintf("giftcard_sales[%d]", i)
		amount, err := line(item+".line_id", s.LineID)
		if err != nil {
			return nil, nil, err
		}
		sale := ledger.GiftcardSale{LineID: s.LineID, Amount: amount, Email: s.Email}
		maxAmount := f.programMax
		if s.Digital {
			sale.ProgramUUID = f.program
		} else {
			if err, missing := f.missing[s.Code]; missing {
				return nil, nil, &ItemError{Item: item, Err: err}
			}
			card := f.giftcards[s.Code]
			switch {
			case !card.Active:
				return nil, nil, &ItemError{Item: item, Err: loyalty.ErrGiftcardBlocked}
			case card.ExpiresAt != nil && !card.ExpiresAt.After(now):
				return nil, nil, &ItemError{Item: item, Err: loyalty.ErrGiftcardExpired}
			case !card.Balance.IsZero():
				return nil, nil, &ItemError{Item: item, Err: fmt.Errorf("%w: it holds %d", loyalty.ErrGiftcardNotEmpty, card.Balance.Amount)}
			}
			sale.Code, sale.GiftcardUUID, sale.BalanceURL, maxAmount = card.Code, card.UUID, card.BalanceURL, card.MaxBalance.Amount
		}
		if maxAmount > 0 && amount > maxAmount {
			return nil, nil, &ItemError{Item: item, Err: fmt.Errorf("%w: at most %d", loyalty.ErrGiftcardMaxAmount, maxAmount)}
		}
		sales = append(sales, sale)
	}
	var topUps []ledger.PrepaidTopUp
	for i, id := range cmd.PrepaidTopUps {
		item := fmt.Sprintf("prepaid_topups[%d]", i)
		if cmd.ContactUUID == "" {
			return nil, nil, &ItemError{Item: item, Err: fmt.Errorf("%w: prepaid credit belongs to a customer", loyalty.ErrContactRequired)}
		}
		amount, err := line(item+".line_id", id)
		if err != nil {
			return nil, nil, err
		}
		topUps = append(topUps, ledger.PrepaidTopUp{LineID: id, Amount: amount})
	}
	return sales, topUps, nil
}

// lineDue is what each line costs after the discounts on it.
func lineDue(lines []ledger.Line, discounts []ledger.Discount) map[string]int64 {
	due := make(map[string]int64, len(lines))
	for _, l := range lines {
		due[l.ID] = l.Total()
	}
	for _, d := range discounts {
		for id, amount := range d.PerLine {
			due[id] -= amount
		}
	}
	return due
}

// tenders checks the Leat tenders against the cards and the prepaid balance:
// none may pay more than is due, and without AllowPartial each must hold
// what it is asked for.
func (f accountFacts) tenders(cmd StartCommand, due int64, now time.Time) ([]ledger.TenderItem, error) {
	var (
		out      []ledger.TenderItem
		tendered int64
		prepaid  bool
		cards    = map[string]bool{}
	)
	for i, t := range cmd.Tenders {
		item := fmt.Sprintf("tenders[%d]", i)
		if tendered += t.Amount; tendered > due {
			return nil, &ItemError{Item: item, Err: fmt.Errorf("%w: %d due, %d tendered", ErrTenderExceedsDue, due, tendered)}
		}
		tender := ledger.TenderItem{Type: t.Type, Code: t.Code, Amount: t.Amount, AllowPartial: t.AllowPartial}
		var balance int64
		switch t.Type {
		case ledger.TenderPrepaid:
			switch {
			case cmd.ContactUUID == "":
				return nil, &ItemError{Item: item, Err: fmt.Errorf("%w: prepaid credit belongs to a customer", loyalty.ErrContactRequired)}
			case prepaid:
				return nil, &InvalidError{Field: item, Code: "duplicate", Message: "the prepaid balance is tendered twice"}
			}
			prepaid, balance = true, f.prepaid
			if balance < t.Amount && (!t.AllowPartial || balance <= 0) {
				return nil, &ItemError{Item: item, Err: fmt.Errorf("%w: %d available", loyalty.ErrPrepaidInsufficientBalance, balance)}
			}
		case ledger.TenderGiftcard:
			if err, missing := f.missing[t.Code]; missing {
				return nil, &ItemError{Item: item, Err: err}
			}
			if cards[strings.ToUpper(t.Code)] {
				return nil, &InvalidError{Field: item + ".code", Code: "duplicate", Message: "the card is tendered twice"}
			}
			cards[strings.ToUpper(t.Code)] = true
			card := f.giftcards[t.Code]
			switch {
			case !card.Active:
				return nil, &ItemError{Item: item, Err: loyalty.ErrGiftcardBlocked}
			case card.ExpiresAt != nil && !card.ExpiresAt.After(now):
				return nil, &ItemError{Item: item, Err: loyalty.ErrGiftcardExpired}
			case card.Balance.Amount < t.Amount && (!t.AllowPartial || card.Balance.Amount <= 0):
				return nil, &ItemError{Item: item, Err: fmt.Errorf("%w: %d on the card", loyalty.ErrGiftcardInsufficientBalance, card.Balance.Amount)}
			}
			tender.GiftcardUUID, tender.Code = card.UUID, card.Code
			balance = card.Balance.Amount
		}
		tender.Balance = balance
		out = append(out, tender)
	}
	return out, nil
}

// reward checks one reward against the account, with the points left after
// the basket's earlier rewards.
func (f accountFacts) reward(item string, r RewardRequest, t tenancy.Tenant, pointsLeft int64) (ledger.RewardItem, error) {
	if err, missing := f.missing[r.RewardUUID]; missing {
		return ledger.RewardItem{}, &ItemError{Item: item, Err: err}
	}
	a := f.rewards[r.RewardUUID]
	stockLeft := a.Stock == nil || *a.Stock > 0
	switch {
	case !a.Active:
		return ledger.RewardItem{}, &ItemError{Item: item, Err: loyalty.ErrRewardInactive}
	case !stockLeft:
		return ledger.RewardItem{}, &ItemError{Item: item, Err: loyalty.ErrRewardOutOfStock}
	case !f.claimable[r.RewardUUID]:
		return ledger.RewardItem{}, &ItemError{Item: item, Err: loyalty.ErrRewardLimitReached}
	case a.Reward.RequiredPoints > pointsLeft:
		return ledger.RewardItem{}, &ItemError{Item: item, Err: fmt.Errorf("%w: it costs %d points and %d are left",
			loyalty.ErrRewardNotAffordable, a.Reward.RequiredPoints, max(pointsLeft, 0))}
	}
	strategy := r.Strategy
	switch {
	case strategy == tenancy.RewardPreRedeemCollect && !a.Reward.PreRedeemable:
		return ledger.RewardItem{}, &InvalidError{Field: item + ".strategy", Code: "not_pre_redeemable",
			Message: "this reward cannot be pre-redeemed; use redeem_reverse"}
	case strategy == "" && t.RewardStrategy == tenancy.RewardPreRedeemCollect && a.Reward.PreRedeemable:
		strategy = tenancy.RewardPreRedeemCollect
	case strategy == "":
		strategy = tenancy.RewardRedeemReverse
	}
	return ledger.RewardItem{
		RewardUUID: a.Reward.UUID, Strategy: strategy, Title: a.Reward.Title,
		RequiredPoints: a.Reward.RequiredPoints, PreRedeemable: a.Reward.PreRedeemable,
		KnownCollectables: f.collectablesOf(a.Reward.UUID),
	}, nil
}

func (f accountFacts) collectablesOf(rewardUUID string) []string {
	var out []string
	for _, c := range f.collectables {
		if c.Reward.UUID == rewardUUID {
			out = append(out, c.UUID)
		}
	}
	return out
}

func (f accountFacts) collectable(item, uuid string, now time.Time) (loyalty.CollectableReward, error) {
	i := slices.IndexFunc(f.collectables, func(c loyalty.CollectableReward) bool { return c.UUID == uuid })
	switch {
	case i < 0:
		return loyalty.CollectableReward{}, &ItemError{Item: item, Err: fmt.Errorf("%w: the customer has no such collectable reward", loyalty.ErrRewardNotFound)}
	case f.collectables[i].Collected:
		return loyalty.CollectableReward{}, &ItemError{Item: item, Err: fmt.Errorf("%w: it was collected already", loyalty.ErrRewardNotFound)}
	case f.collectables[i].ExpiresAt != nil && !f.collectables[i].ExpiresAt.After(now):
		return loyalty.CollectableReward{}, &ItemError{Item: item, Err: fmt.Errorf("%w: it expired", loyalty.ErrRewardNotFound)}
	}
	return f.collectables[i], nil
}

// voucherItem records a found voucher for the checkout's contact.
func voucherItem(v VoucherRequest, voucher loyalty.Voucher, contactUUID string, t tenancy.Tenant) ledger.VoucherItem {
	strategy := v.Strategy
	if strategy == "" {
		strategy = t.VoucherStrategy
	}
	remaining := int64(-1)
	if voucher.RedemptionsRemaining != nil {
		remaining = *voucher.RedemptionsRemaining
	}
	return ledger.VoucherItem{
		Code: voucher.Code, UUID: voucher.UUID, Strategy: strategy, Title: voucher.Name,
		ContactUUID: cmp.Or(voucher.ContactUUID, contactUUID), Status: string(voucher.Status),
		RedemptionsRemaining: remaining, LineIDs: v.LineIDs,
	}
}

// refuseVouchers answers why a voucher of the basket cannot be redeemed:
// Leat's failure to tell for any of them first, since it is no fault of the
// basket, then the first voucher refused in basket order.
func refuseVouchers(facts accountFacts, cmd StartCommand) error {
	for _, v := range cmd.Vouchers {
		if err := facts.voucherVerdicts[v.Code]; err != nil && !refused(err) {
			return err
		}
	}
	for i, v := range cmd.Vouchers {
		err, missing := facts.missing[v.Code]
		if !missing {
			err = facts.voucherVerdicts[v.Code]
		}
		if err != nil {
			return &ItemError{Item: fmt.Sprintf("vouchers[%d]", i), Err: err}
		}
	}
	return nil
}

// refused tells Leat's refusals of an item from failures of Leat itself or
// of the tenant's set-up, which are no fault of the basket.
func refused(err error) bool {
	return err != nil && !loyalty.IsPlatformFailure(err)
}
