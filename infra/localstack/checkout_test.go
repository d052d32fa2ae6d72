package localstack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/leatpos/gateway/infra/apigw"
	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// The checkout saga, end to end: the API, the real handlers, the real
// checkout.asl.json on the local Step Functions engine, DynamoDB Local and
// the sandbox. Every scenario runs once per sandbox variant (see variants),
// and checks the sandbox afterwards, not only the answers.

// Seeded rewards and promotions the scenarios use.
const (
	rewardFreeCoffee = "Free Coffee"          // 100 points, free COFFEE-REG or COFFEE-OAT
	rewardTenPercent = "10% Off Your Order"   // 250 points
	rewardCroissant  = "Croissant To Collect" // 75 points, pre-redeemable, free CROISSANT
	rewardMug        = "Branded Mug"          // out of stock
	rewardTote       = "Summer Tote Bag"      // inactive
	rewardMachine    = "Espresso Machine"     // 100000 points
	promotionWelcome = "Welcome 10% Off"      // percentage 10
	promotionPastry  = "2.50 Euro Off Pastry" // absolute 2.50 on CROISSANT, MUFFIN
	promotionSpring  = "Spring Campaign"      // switched off
)

func leatClient(t testing.TB) *leat.Client {
	t.Helper()
	c, err := leat.New(leat.Config{BaseURL: stack.LeatAPIURL, Credentials: leat.PersonalAccessToken(stack.LeatAPIToken)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rewardUUID(t testing.TB, title string) string {
	t.Helper()
	i := slices.IndexFunc(seed().Rewards, func(r leatsandbox.SeedReward) bool { return r.Title == title })
	if i < 0 {
		t.Fatalf("no reward %q in the seed", title)
	}
	return seed().Rewards[i].UUID
}

func promotionUUID(t testing.TB, name string) string {
	t.Helper()
	i := slices.IndexFunc(seed().Promotions, func(p leatsandbox.SeedPromotion) bool { return p.Name == name })
	if i < 0 {
		t.Fatalf("no promotion %q in the seed", name)
	}
	return seed().Promotions[i].UUID
}

var customerSeq int

// newCustomer makes a customer of its own for a scenario, with points, so
// scenarios never share a balance.
func newCustomer(t testing.TB, points int64) string {
	t.Helper()
	ctx := context.Background()
	c := leatClient(t)
	customerSeq++
	contact, err := c.FindOrCreateContact(ctx, fmt.Sprintf("checkout-%d-%d@example.com", time.Now().UnixNano(), customerSeq))
	if err != nil {
		t.Fatal(err)
	}
	if points > 0 {
		if _, err := c.CreateCreditReception(ctx, leat.CreateCreditReceptionRequest{ContactUUID: contact.UUID, ShopUUID: stack.Tenant.Locations[0].ShopUUID, Credits: points}); err != nil {
			t.Fatal(err)
		}
	}
	return contact.UUID
}

// newVoucher makes a voucher of a seeded promotion, for contact (or nobody).
func newVoucher(t testing.TB, promotion, contact string) string {
	t.Helper()
	customerSeq++
	code := fmt.Sprintf("T-%d-%d", time.Now().UnixNano()%1_000_000_000, customerSeq)
	_, err := leatClient(t).CreateVoucher(context.Background(), leat.CreateVoucherRequest{PromotionUUID: promotionUUID(t, promotion), Code: code, ContactUUID: contact})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func balance(t testing.TB, contact string) int64 {
	t.Helper()
	b, err := leatClient(t).GetCreditBalance(context.Background(), contact)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func voucherStatus(t testing.TB, code string) leat.VoucherStatus {
	t.Helper()
	v, err := leatClient(t).FindVoucher(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return v.Status
}

// collectables lists a customer's uncollected rewards by reward title.
func collectables(t testing.TB, contact string) []string {
	t.Helper()
	list, err := leatClient(t).ListCollectableRewards(context.Background(), contact)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, c := range list {
		if !c.HasBeenCollected {
			titles = append(titles, c.Title)
		}
	}
	return titles
}

var orderSeq int

func newOrderID() string {
	orderSeq++
	return fmt.Sprintf("T%d-%d", time.Now().UnixNano()%1_000_000_000, orderSeq)
}

// basket builds a checkout body: a coffee, two croissants and a muffin.
type basket struct {
	OrderID  string           `json:"order_id"`
	Currency string           `json:"currency"`
	Contact  string           `json:"contact_uuid,omitempty"`
	Lines    []map[string]any `json:"lines"`
	Rewards  []map[string]any `json:"rewards,omitempty"`
	Collect  []map[string]any `json:"collect,omitempty"`
	Vouchers []map[string]any `json:"vouchers,omitempty"`
	Tenders  []map[string]any `json:"tenders,omitempty"`
	Sales    []map[string]any `json:"giftcard_sales,omitempty"`
	TopUps   []map[string]any `json:"prepaid_topups,omitempty"`
}

// sell turns line 4 (two sandwiches, EUR 29.00) into a giftcard sale: a
// physical card by code, or a digital one sent to email.
func (b *basket) sell(code, email string) *basket {
	sale := map[string]any{"line_id": "4"}
	if code != "" {
		sale["code"] = code
	} else {
		sale["digital"] = true
		if email != "" {
			sale["email"] = email
		}
	}
	b.Sales = append(b.Sales, sale)
	return b
}

// topUp turns line 3 (a muffin, EUR 3.10) into a prepaid top-up.
func (b *basket) topUp() *basket {
	b.TopUps = append(b.TopUps, map[string]any{"line_id": "3"})
	return b
}

func newBasket(contact string) *basket {
	return &basket{OrderID: newOrderID(), Currency: "EUR", Contact: contact, Lines: []map[string]any{
		{"id": "1", "sku": "COFFEE-REG", "name": "Coffee", "quantity": 1, "unit_price": 320, "category": "drinks"},
		{"id": "2", "sku": "CROISSANT", "name": "Croissant", "quantity": 2, "unit_price": 275, "category": "pastries"},
		{"id": "3", "sku": "MUFFIN", "name": "Muffin", "quantity": 1, "unit_price": 310, "category": "pastries"},
		{"id": "4", "sku": "SANDWICH", "name": "Sandwich", "quantity": 2, "unit_price": 1450, "category": "food"},
	}} // 320 + 550 + 310 + 2900 = 4080
}

func (b *basket) reward(uuid, strategy string) *basket {
	r := map[string]any{"reward_uuid": uuid}
	if strategy != "" {
		r["strategy"] = strategy
	}
	b.Rewards = append(b.Rewards, r)
	return b
}

func (b *basket) voucher(code, strategy string) *basket {
	v := map[string]any{"code": code}
	if strategy != "" {
		v["strategy"] = strategy
	}
	b.Vouchers = append(b.Vouchers, v)
	return b
}

func (b *basket) collect(uuid string) *basket {
	b.Collect = append(b.Collect, map[string]any{"collectable_uuid": uuid})
	return b
}

func (b *basket) body(t testing.TB) string {
	t.Helper()
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// checkoutView is what the scenarios read of a checkout answer.
type checkoutView struct {
	CheckoutID string `json:"checkout_id"`
	Status     string `json:"status"`
	Discounts  []struct {
		Source string `json:"source"`
		Amount *int64 `json:"amount"`
	} `json:"discounts"`
	Totals  struct{ Lines, Discounts, Tendered, Due int64 } `json:"totals"`
	Tenders []struct {
		Source       string `json:"source"`
		Taken        int64  `json:"taken"`
		BalanceAfter *int64 `json:"balance_after"`
	} `json:"tenders"`
	Steps []struct {
		ID, Kind, Item, State, Detail string
	} `json:"steps"`
	Retries []struct {
		By string `json:"by"`
	} `json:"retries"`
	Result *struct {
		PointsEarned   *int64   `json:"points_earned"`
		PointsBalance  *int64   `json:"points_balance"`
		Kept           []string `json:"kept_collectable"`
		PrepaidBalance *int64   `json:"prepaid_balance"`
		Giftcards      []struct {
			Code       string `json:"code"`
			Balance    int64  `json:"balance"`
			BalanceURL string `json:"balance_url"`
			Emailed    bool   `json:"emailed"`
		} `json:"giftcards_sold"`
	} `json:"result"`
	ClaimURL string `json:"claim_url"`
}

func viewOf(t testing.TB, a answer) checkoutView {
	t.Helper()
	var v checkoutView
	if err := json.Unmarshal(a.Body, &v); err != nil {
		t.Fatalf("checkout answer %d: %v: %s", a.Status, err, a.Body)
	}
	return v
}

func (v checkoutView) stepStates() map[string]string {
	states := map[string]string{}
	for _, s := range v.Steps {
		states[s.ID] = s.State
	}
	return states
}

// startCheckout posts the basket and expects it reserved.
func startCheckout(t testing.TB, b *basket) checkoutView {
	t.Helper()
	a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t)})
	if a.Status != http.StatusCreated {
		t.Fatalf("start: %d %s", a.Status, a.Body)
	}
	v := viewOf(t, a)
	if v.Status != "awaiting_payment" {
		t.Fatalf("start answered status %s", v.Status)
	}
	return v
}

// report posts the payment's outcome and waits for the checkout to end.
func report(t testing.TB, id, outcome string) checkoutView {
	t.Helper()
	a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + id + "/payment", Body: `{"outcome":"` + outcome + `"}`})
	if a.Status != http.StatusOK && a.Status != http.StatusAccepted {
		t.Fatalf("payment %s: %d %s", outcome, a.Status, a.Body)
	}
	return settle(t, id)
}

// settle reads the checkout until the saga has ended.
func settle(t testing.TB, id string) checkoutView {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		v := viewOf(t, call(t, request{Method: http.MethodGet, Path: "/v1/checkouts/" + id}))
		switch v.Status {
		case "completed", "cancelled", "needs_attention":
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkout %s still %s", id, v.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func withVariant(t testing.TB, v map[string]string) {
	t.Helper()
	for name, value := range v {
		if err := stack.Sandbox.SetVariant(name, value); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for name := range v {
			_ = stack.Sandbox.SetVariant(name, leatsandbox.VariantChoices()[name][0])
		}
	})
}

// withTenant changes the demo tenant's settings for one test.
func withTenant(t testing.TB, change func(*tenancy.Tenant)) {
	t.Helper()
	tenant := stack.Tenant
	change(&tenant)
	if err := stack.Directory.UpdateTenant(context.Background(), tenant); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stack.Directory.UpdateTenant(context.Background(), stack.Tenant); err != nil {
			t.Error(err)
		}
	})
}

func withFaults(t testing.TB, spec string) {
	t.Helper()
	faults, err := leatsandbox.ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range faults {
		if err := stack.Sandbox.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		// A fault that never fired means the scenario did not test what it says;
		// one until cleared is the scenario's to check.
		if left := slices.DeleteFunc(stack.Sandbox.Faults(), func(f leatsandbox.Fault) bool { return f.Times == 0 }); len(left) > 0 {
			t.Errorf("faults never fired: %v", left)
		}
		stack.Sandbox.ClearFaults()
	})
}

type scenario struct {
	name string
	run  func(t *testing.T)
}

// TestCheckoutSaga runs every scenario under every variant.
func TestCheckoutSaga(t *testing.T) { runUnderVariants(t, checkoutScenarios()) }

// runUnderVariants runs the scenarios under each variant this run serves.
func runUnderVariants(t *testing.T, scenarios []scenario) {
	for _, v := range variants() {
		t.Run(variantName(v), func(t *testing.T) {
			withVariant(t, v)
			for _, s := range scenarios {
				t.Run(s.name, s.run)
			}
		})
	}
}

func variantName(v map[string]string) string {
	if len(v) == 0 {
		return "defaults"
	}
	var parts []string
	for name, value := range v {
		parts = append(parts, name+"="+value)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func checkoutScenarios() []scenario {
	return []scenario{
		{"a redeemed reward is kept when paid and earns points", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse"))
			if balance(t, contact) != 900 || v.Totals.Discounts != 320 || v.Totals.Due != 4080-320 {
				t.Fatalf("reserved: balance %d, totals %+v", balance(t, contact), v.Totals)
			}
			done := report(t, v.CheckoutID, "paid")
			assertCompleted(t, done, contact, 900)
		}},
		{"a redeemed reward is reversed when payment fails", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse"))
			done := report(t, v.CheckoutID, "failed")
			assertCancelled(t, done, contact, 1000)
			if done.stepStates()["reward_reception:rewards[0]"] != "reversed" {
				t.Errorf("steps %v", done.stepStates())
			}
		}},
		{"a pre-redeemed reward is collected when paid", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardCroissant), "pre_redeem_collect"))
			if got := collectables(t, contact); !slices.Contains(got, rewardCroissant) {
				t.Fatalf("no collectable croissant while waiting: %v", got)
			}
			done := report(t, v.CheckoutID, "paid")
			assertCompleted(t, done, contact, 925)
			if got := collectables(t, contact); slices.Contains(got, rewardCroissant) {
				t.Errorf("the croissant is still to collect: %v", got)
			}
		}},
		{"a pre-redeemed reward stays collectable when payment fails", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardCroissant), "pre_redeem_collect"))
			done := report(t, v.CheckoutID, "failed")
			assertCancelled(t, done, contact, 925)
			if got := collectables(t, contact); !slices.Contains(got, rewardCroissant) {
				t.Errorf("the croissant should stay collectable: %v", got)
			}
			if done.Result == nil || !slices.Equal(done.Result.Kept, []string{"rewards[0]"}) {
				t.Errorf("result %+v", done.Result)
			}
		}},
		{"a collectable reward is collected when paid and kept when not", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			collectable := preRedeem(t, contact)
			failed := report(t, startCheckout(t, newBasket(contact).collect(collectable)).CheckoutID, "failed")
			assertCancelled(t, failed, contact, 925)
			if got := collectables(t, contact); !slices.Contains(got, rewardCroissant) {
				t.Fatalf("a failed payment took the collectable: %v", got)
			}
			paid := report(t, startCheckout(t, newBasket(contact).collect(collectable)).CheckoutID, "paid")
			assertCompleted(t, paid, contact, 925)
			if got := collectables(t, contact); slices.Contains(got, rewardCroissant) {
				t.Errorf("still collectable after a paid checkout: %v", got)
			}
		}},
		{"a locked voucher is redeemed when paid and released when not", func(t *testing.T) {
			contact := newCustomer(t, 0)
			paidCode, failedCode := newVoucher(t, promotionWelcome, contact), newVoucher(t, promotionWelcome, contact)
			v := startCheckout(t, newBasket(contact).voucher(paidCode, "lock_redeem"))
			if voucherStatus(t, paidCode) != leat.VoucherLocked || v.Totals.Discounts != 408 {
				t.Fatalf("reserved: %s, totals %+v", voucherStatus(t, paidCode), v.Totals)
			}
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if voucherStatus(t, paidCode) != leat.VoucherRedeemed {
				t.Errorf("paid voucher is %s", voucherStatus(t, paidCode))
			}
			assertCancelled(t, report(t, startCheckout(t, newBasket(contact).voucher(failedCode, "lock_redeem")).CheckoutID, "failed"), contact, -1)
			if voucherStatus(t, failedCode) != leat.VoucherActive {
				t.Errorf("failed voucher is %s", voucherStatus(t, failedCode))
			}
		}},
		{"an unlinked voucher is redeemed for the checkout's customer and reversed when not paid", func(t *testing.T) {
			contact := newCustomer(t, 0)
			paidCode, failedCode := newVoucher(t, promotionPastry, ""), newVoucher(t, promotionPastry, "")
			v := startCheckout(t, newBasket(contact).voucher(paidCode, "redeem_reverse"))
			if voucherStatus(t, paidCode) != leat.VoucherRedeemed || v.Totals.Discounts != 250 {
				t.Fatalf("reserved: %s, totals %+v", voucherStatus(t, paidCode), v.Totals)
			}
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			assertCancelled(t, report(t, startCheckout(t, newBasket(contact).voucher(failedCode, "redeem_reverse")).CheckoutID, "failed"), contact, -1)
			if voucherStatus(t, failedCode) != leat.VoucherActive {
				t.Errorf("failed voucher is %s", voucherStatus(t, failedCode))
			}
		}},
		{"an unlinked voucher is locked for the checkout's customer and redeemed when paid", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newVoucher(t, promotionPastry, "")
			v := startCheckout(t, newBasket(contact).voucher(code, "lock_redeem"))
			if voucherStatus(t, code) != leat.VoucherLocked {
				t.Fatalf("reserved: %s", voucherStatus(t, code))
			}
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if voucherStatus(t, code) != leat.VoucherRedeemed {
				t.Errorf("paid voucher is %s", voucherStatus(t, code))
			}
		}},
		{"a mixed basket confirms every item when paid", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			collectable := preRedeem(t, contact) // 925 left
			code := newVoucher(t, promotionWelcome, contact)
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse").collect(collectable).voucher(code, "lock_redeem")
			v := startCheckout(t, b)
			if balance(t, contact) != 825 {
				t.Fatalf("balance %d while waiting", balance(t, contact))
			}
			done := report(t, v.CheckoutID, "paid")
			assertCompleted(t, done, contact, 825)
			if voucherStatus(t, code) != leat.VoucherRedeemed || slices.Contains(collectables(t, contact), rewardCroissant) {
				t.Errorf("voucher %s, collectables %v", voucherStatus(t, code), collectables(t, contact))
			}
		}},
		{"a mixed basket gives everything back when payment fails", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			code := newVoucher(t, promotionWelcome, contact)
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").reward(rewardUUID(t, rewardTenPercent), "").voucher(code, "redeem_reverse")
			v := startCheckout(t, b)
			if balance(t, contact) != 650 || voucherStatus(t, code) != leat.VoucherRedeemed {
				t.Fatalf("reserved: balance %d, voucher %s", balance(t, contact), voucherStatus(t, code))
			}
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, 1000)
			if voucherStatus(t, code) != leat.VoucherActive {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
		}},
		{"the payment deadline gives everything back", func(t *testing.T) {
			withTenant(t, func(t *tenancy.Tenant) { t.PaymentTimeout = tenancy.MinPaymentTimeout })
			contact := newCustomer(t, 1000)
			code := newVoucher(t, promotionWelcome, contact)
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").voucher(code, "lock_redeem"))
			assertCancelled(t, settle(t, v.CheckoutID), contact, 1000)
			if voucherStatus(t, code) != leat.VoucherActive {
				t.Errorf("voucher %s after the deadline", voucherStatus(t, code))
			}
			late := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + v.CheckoutID + "/payment", Body: `{"outcome":"paid"}`})
			if late.Status != http.StatusConflict || late.problemCode(t) != "payment_window_closed" {
				t.Errorf("a payment after the deadline: %d %s", late.Status, late.Body)
			}
		}},
		{"a giftcard pays part when paid, and gets its money back when not", func(t *testing.T) {
			contact := newCustomer(t, 0)
			paidCard, failedCard := newGiftcard(t, 2000), newGiftcard(t, 2000)
			v := startCheckout(t, newBasket(contact).tender("giftcard", paidCard, 1500, false))
			if v.Totals.Tendered != 1500 || v.Totals.Due != 4080-1500 || giftcardBalance(t, paidCard) != 500 || *v.Tenders[0].BalanceAfter != 500 {
				t.Fatalf("reserved: totals %+v, tenders %+v, card %d", v.Totals, v.Tenders, giftcardBalance(t, paidCard))
			}
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if giftcardBalance(t, paidCard) != 500 {
				t.Errorf("paid card holds %d", giftcardBalance(t, paidCard))
			}
			assertCancelled(t, report(t, startCheckout(t, newBasket(contact).tender("giftcard", failedCard, 1500, false)).CheckoutID, "failed"), contact, -1)
			if giftcardBalance(t, failedCard) != 2000 {
				t.Errorf("failed card holds %d, want 2000", giftcardBalance(t, failedCard))
			}
		}},
		{"prepaid pays part when paid, and is given back when not", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 3000)
			v := startCheckout(t, newBasket(contact).tender("prepaid", "", 1000, false))
			if prepaidBalance(t, contact) != 2000 || v.Totals.Due != 4080-1000 {
				t.Fatalf("reserved: prepaid %d, totals %+v", prepaidBalance(t, contact), v.Totals)
			}
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			assertCancelled(t, report(t, startCheckout(t, newBasket(contact).tender("prepaid", "", 1000, false)).CheckoutID, "failed"), contact, -1)
			if prepaidBalance(t, contact) != 2000 {
				t.Errorf("prepaid %d after a failed payment, want 2000", prepaidBalance(t, contact))
			}
		}},
		{"two giftcards and prepaid, partially, pay what they hold", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 500)
			first, second := newGiftcard(t, 700), newGiftcard(t, 1000)
			b := newBasket(contact).tender("giftcard", first, 700, false).tender("giftcard", second, 1500, true).tender("prepaid", "", 800, true)
			v := startCheckout(t, b)
			if v.Totals.Tendered != 700+1000+500 || v.Totals.Due != 4080-2200 {
				t.Fatalf("reserved: totals %+v, tenders %+v", v.Totals, v.Tenders)
			}
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if giftcardBalance(t, first) != 0 || giftcardBalance(t, second) != 0 || prepaidBalance(t, contact) != 0 {
				t.Errorf("cards %d and %d, prepaid %d", giftcardBalance(t, first), giftcardBalance(t, second), prepaidBalance(t, contact))
			}
		}},
		{"a card used elsewhere before the payment failed is credited back", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newGiftcard(t, 2000)
			v := startCheckout(t, newBasket(contact).tender("giftcard", code, 1000, false))
			// Spent at another till meanwhile: Leat now reverses only that newer transaction.
			spendElsewhere(t, code, 300)
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, -1)
			if giftcardBalance(t, code) != 1700 {
				t.Errorf("card holds %d, want 1700", giftcardBalance(t, code))
			}
		}},
		{"a physical giftcard is loaded when paid, and stays empty when not", func(t *testing.T) {
			stack.Sandbox.Reset() // the rack's empty cards, for this variant's run too
			contact := newCustomer(t, 0)
			done := report(t, startCheckout(t, newBasket(contact).sell("GC-0000-0001", "")).CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if giftcardBalance(t, "GC-0000-0001") != 2900 || len(done.Result.Giftcards) != 1 || done.Result.Giftcards[0].Balance != 2900 ||
				!strings.Contains(done.Result.Giftcards[0].BalanceURL, "giftcard-balance?hash=") {
				t.Errorf("sold card holds %d, result %+v", giftcardBalance(t, "GC-0000-0001"), done.Result)
			}
			assertCancelled(t, report(t, startCheckout(t, newBasket(contact).sell("GC-0000-0002", "")).CheckoutID, "failed"), contact, -1)
			if giftcardBalance(t, "GC-0000-0002") != 0 {
				t.Errorf("unsold card holds %d", giftcardBalance(t, "GC-0000-0002"))
			}
			again := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: newBasket(contact).sell("GC-0000-0001", "").body(t)})
			if again.Status != http.StatusConflict || again.problemCode(t) != "giftcard_not_empty" {
				t.Errorf("selling a loaded card: %d %s", again.Status, again.Body)
			}
		}},
		{"a digital giftcard is created, loaded and emailed when paid", func(t *testing.T) {
			contact := newCustomer(t, 0)
			sent := len(stack.Sandbox.SentEmails())
			done := report(t, startCheckout(t, newBasket(contact).sell("", "friend@example.com")).CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if len(done.Result.Giftcards) != 1 || !done.Result.Giftcards[0].Emailed || giftcardBalance(t, done.Result.Giftcards[0].Code) != 2900 {
				t.Fatalf("result %+v", done.Result)
			}
			emails := stack.Sandbox.SentEmails()
			if len(emails) != sent+1 || emails[len(emails)-1].Email != "friend@example.com" || emails[len(emails)-1].GiftcardHash != done.Result.Giftcards[0].Code {
				t.Errorf("emails %+v", emails[sent:])
			}
		}},
		{"prepaid is topped up when paid, and not when payment fails", func(t *testing.T) {
			contact := newCustomer(t, 0)
			done := report(t, startCheckout(t, newBasket(contact).topUp()).CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if prepaidBalance(t, contact) != 310 || done.Result.PrepaidBalance == nil || *done.Result.PrepaidBalance != 310 {
				t.Errorf("prepaid %d, result %+v", prepaidBalance(t, contact), done.Result)
			}
			assertCancelled(t, report(t, startCheckout(t, newBasket(contact).topUp()).CheckoutID, "failed"), contact, -1)
			if prepaidBalance(t, contact) != 310 {
				t.Errorf("prepaid %d after a failed top-up", prepaidBalance(t, contact))
			}
		}},
		{"all six flows in one basket, paid, failed and timed out", func(t *testing.T) {
			for _, outcome := range []string{"paid", "failed", "timeout"} {
				if outcome == "timeout" {
					withTenant(t, func(t *tenancy.Tenant) { t.PaymentTimeout = tenancy.MinPaymentTimeout })
				}
				six := newSixFlows(t, "")
				v := startCheckout(t, six.basket)
				// The coffee is free and the croissants EUR 2.50 off: 300 of them is left, all the tenders may
				// pay, since they never pay for the giftcard sold or the prepaid topped up.
				if v.Totals.Discounts != 570 || v.Totals.Tendered != 300 || v.Totals.Due != 4080-570-300 {
					t.Fatalf("reserved: totals %+v", v.Totals)
				}
				var done checkoutView
				if outcome == "timeout" {
					done = settle(t, v.CheckoutID)
				} else {
					done = report(t, v.CheckoutID, outcome)
				}
				if (outcome == "paid") != (done.Status == "completed") {
					t.Fatalf("%s: checkout %s", outcome, done.Status)
				}
				six.assertEnded(t, done)
			}
		}},
		{"a tenant may let giftcards pay for a giftcard sale", func(t *testing.T) {
			contact := newCustomer(t, 0)
			card := newGiftcard(t, 5000)
			b := newBasket(contact).sell("", "").tender("giftcard", card, 4080, false)
			if a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t)}); a.problemCode(t) != "tender_exceeds_due" {
				t.Fatalf("by default: %d %s", a.Status, a.Body)
			}
			withTenant(t, func(t *tenancy.Tenant) { t.LeatTendersPaySales = true })
			done := report(t, startCheckout(t, b).CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if done.Totals.Due != 0 || giftcardBalance(t, card) != 5000-4080 || len(done.Result.Giftcards) != 1 || giftcardBalance(t, done.Result.Giftcards[0].Code) != 2900 {
				t.Errorf("totals %+v, card %d, sold %+v", done.Totals, giftcardBalance(t, card), done.Result.Giftcards)
			}
		}},
		{"a tender added while awaiting payment is debited in the saga, and given back when the payment fails", func(t *testing.T) {
			for _, outcome := range []string{"paid", "failed"} {
				contact := newCustomer(t, 0)
				topUpPrepaid(t, contact, 800)
				first, second := newGiftcard(t, 1000), newGiftcard(t, 600)
				v := startCheckout(t, newBasket(contact).tender("giftcard", first, 1000, false))
				added := func(body string) answer {
					return call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + v.CheckoutID + "/tenders", Body: body})
				}
				a := added(`{"type":"giftcard","code":"` + second + `","amount":900,"allow_partial":true}`)
				var taken struct {
					Tender struct {
						Taken        int64  `json:"taken"`
						BalanceAfter *int64 `json:"balance_after"`
					} `json:"tender"`
					Due      int64        `json:"due"`
					Checkout checkoutView `json:"checkout"`
				}
				if a.Status != http.StatusCreated || json.Unmarshal(a.Body, &taken) != nil || taken.Tender.Taken != 600 || taken.Due != 4080-1600 ||
					taken.Checkout.Totals.Due != taken.Due || taken.Checkout.Totals.Tendered != 1600 {
					t.Fatalf("added giftcard: %d %s", a.Status, a.Body)
				}
				if a := added(`{"type":"prepaid","amount":500}`); a.Status != http.StatusCreated {
					t.Fatalf("added prepaid: %d %s", a.Status, a.Body)
				}
				if a := added(`{"type":"prepaid","amount":100}`); a.Status != http.StatusBadRequest {
					t.Errorf("the prepaid balance twice: %d %s", a.Status, a.Body)
				}
				if giftcardBalance(t, second) != 0 || prepaidBalance(t, contact) != 300 {
					t.Fatalf("while waiting: card %d, prepaid %d", giftcardBalance(t, second), prepaidBalance(t, contact))
				}
				done := report(t, v.CheckoutID, outcome)
				if outcome == "paid" {
					assertCompleted(t, done, contact, 0)
					if giftcardBalance(t, first) != 0 || giftcardBalance(t, second) != 0 || prepaidBalance(t, contact) != 300 || done.Totals.Due != 4080-2100 {
						t.Errorf("paid: cards %d %d, prepaid %d, totals %+v", giftcardBalance(t, first), giftcardBalance(t, second), prepaidBalance(t, contact), done.Totals)
					}
					continue
				}
				assertCancelled(t, done, contact, -1)
				if giftcardBalance(t, first) != 1000 || giftcardBalance(t, second) != 600 || prepaidBalance(t, contact) != 800 {
					t.Errorf("failed: cards %d %d, prepaid %d", giftcardBalance(t, first), giftcardBalance(t, second), prepaidBalance(t, contact))
				}
			}
		}},
		{"cancel gives everything back", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			code := newVoucher(t, promotionWelcome, contact)
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").voucher(code, "lock_redeem"))
			a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + v.CheckoutID + "/cancel"})
			if a.Status != http.StatusOK && a.Status != http.StatusAccepted {
				t.Fatalf("cancel: %d %s", a.Status, a.Body)
			}
			assertCancelled(t, settle(t, v.CheckoutID), contact, 1000)
			if voucherStatus(t, code) != leat.VoucherActive {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
			late := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + v.CheckoutID + "/payment", Body: `{"outcome":"paid"}`})
			if late.Status != http.StatusConflict {
				t.Errorf("paying a cancelled checkout: %d %s", late.Status, late.Body)
			}
		}},
		{"a refusal of the third reserve write gives the first two back", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			code := newVoucher(t, promotionWelcome, contact)
			withFaults(t, "refuse=80017 POST /vouchers/{uuid}/lock x1")
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").reward(rewardUUID(t, rewardTenPercent), "").voucher(code, "lock_redeem")
			a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t)})
			if a.Status != http.StatusConflict || a.problemCode(t) != "voucher_locked" || !strings.Contains(string(a.Body), `"field":"vouchers[0]"`) {
				t.Fatalf("refused basket: %d %s", a.Status, a.Body)
			}
			// The refusal is answered at once; the saga gives the rest back after.
			assertCancelled(t, settle(t, "shop-1."+b.OrderID), contact, 1000)
		}},
		{"the same checkout twice, also at once, moves points once", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "")
			key := newIdempotencyKey()
			var wg sync.WaitGroup
			answers := make([]answer, 4)
			for i := range answers {
				wg.Go(func() {
					answers[i], _ = exchange(request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t), Headers: map[string]string{"Idempotency-Key": key}})
				})
			}
			wg.Wait()
			created := 0
			for _, a := range answers {
				switch a.Status {
				case http.StatusCreated, http.StatusAccepted:
					created++
				case http.StatusConflict: // still in progress
				default:
					t.Errorf("concurrent start: %d %s", a.Status, a.Body)
				}
			}
			if created == 0 {
				t.Fatal("no start succeeded")
			}
			again := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t)})
			if again.Status != http.StatusConflict || again.problemCode(t) != "checkout_exists" {
				t.Errorf("same order, new key: %d %s", again.Status, again.Body)
			}
			id := "shop-1." + b.OrderID
			settleStatus(t, id, "awaiting_payment")
			payKey := newIdempotencyKey()
			for range 2 {
				call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + id + "/payment", Body: `{"outcome":"paid"}`, Headers: map[string]string{"Idempotency-Key": payKey}})
			}
			call(t, request{Method: http.MethodPost, Path: "/v1/checkouts/" + id + "/payment", Body: `{"outcome":"paid"}`})
			assertCompleted(t, settle(t, id), contact, 900)
		}},
		{"an anonymous sale earns its points once for the customer attached after payment", func(t *testing.T) {
			contact := newCustomer(t, 0)
			v := startCheckout(t, newBasket(""))
			done := report(t, v.CheckoutID, "paid")
			if done.Status != "completed" || done.Result == nil || done.Result.PointsEarned != nil {
				t.Fatalf("anonymous paid checkout: %+v", done)
			}
			order := strings.TrimPrefix(v.CheckoutID, "shop-1.")
			a := call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + order + "/customer", Body: `{"contact_uuid":"` + contact + `"}`})
			if a.Status != http.StatusOK {
				t.Fatalf("attach: %d %s", a.Status, a.Body)
			}
			got := viewOf(t, a)
			if got.Result == nil || got.Result.PointsEarned == nil || *got.Result.PointsEarned <= 0 || balance(t, contact) != *got.Result.PointsEarned {
				t.Fatalf("attached: %+v, balance %d", got.Result, balance(t, contact))
			}
			second := call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + order + "/customer", Body: `{"contact_uuid":"` + contact + `"}`})
			if second.Status != http.StatusConflict || second.problemCode(t) != "customer_already_attached" || balance(t, contact) != *got.Result.PointsEarned {
				t.Errorf("second attach: %d %s, balance %d", second.Status, second.Body, balance(t, contact))
			}
		}},
		{"a claim link credits the points once on the claim page", func(t *testing.T) {
			contact := newCustomer(t, 0)
			v := startCheckout(t, newBasket(""))
			report(t, v.CheckoutID, "paid")
			order := strings.TrimPrefix(v.CheckoutID, "shop-1.")
			a := call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + order + "/claim-link"})
			if a.Status != http.StatusOK {
				t.Fatalf("claim link: %d %s", a.Status, a.Body)
			}
			link, _ := a.json(t)["url"].(string)
			email := contactEmail(t, contact)
			if status := claim(t, link, email); status != http.StatusOK {
				t.Fatalf("claim: %d", status)
			}
			earned := balance(t, contact)
			if earned != 40 { // 1 point per whole euro of EUR 40.80
				t.Errorf("claimed %d points, want 40", earned)
			}
			if status := claim(t, link, email); status != http.StatusConflict || balance(t, contact) != earned {
				t.Errorf("second claim: %d, balance %d", status, balance(t, contact))
			}
			attach := call(t, request{Method: http.MethodPost, Path: "/v1/orders/" + order + "/customer", Body: `{"contact_uuid":"` + contact + `"}`})
			if attach.Status != http.StatusConflict || attach.problemCode(t) != "claim_link_issued" {
				t.Errorf("attach after the claim link: %d %s", attach.Status, attach.Body)
			}
		}},
	}
}

// assertCompleted checks a paid checkout: completed, and the customer's
// balance is what the reservations left plus what the order earned.
func assertCompleted(t testing.TB, v checkoutView, contact string, afterRedeeming int64) {
	t.Helper()
	if v.Status != "completed" || v.Result == nil {
		t.Fatalf("checkout %s: status %s, result %+v, steps %v", v.CheckoutID, v.Status, v.Result, v.stepStates())
	}
	for id, state := range v.stepStates() {
		if state != "done" {
			t.Errorf("step %s is %s", id, state)
		}
	}
	if v.Result.PointsEarned == nil || v.Result.PointsBalance == nil {
		t.Fatalf("result without points: %+v", v.Result)
	}
	if got := balance(t, contact); got != afterRedeeming+*v.Result.PointsEarned || got != *v.Result.PointsBalance || *v.Result.PointsEarned <= 0 {
		t.Errorf("balance %d, want %d + %d earned (answered balance %d)", got, afterRedeeming, *v.Result.PointsEarned, *v.Result.PointsBalance)
	}
}

// assertCancelled checks a checkout that gave everything back: no step left
// half-way, and the balance (unless want < 0) as before.
func assertCancelled(t testing.TB, v checkoutView, contact string, want int64) {
	t.Helper()
	if v.Status != "cancelled" {
		t.Fatalf("checkout %s: status %s, steps %v", v.CheckoutID, v.Status, v.stepStates())
	}
	for id, state := range v.stepStates() {
		if state != "reversed" && state != "failed" && !(state == "done" && strings.HasPrefix(id, "reward_reception:")) {
			t.Errorf("step %s is %s after cancelling", id, state)
		}
	}
	if got := balance(t, contact); want >= 0 && got != want {
		t.Errorf("balance %d after cancelling, want %d", got, want)
	}
}

// newGiftcard makes a digital giftcard holding cents and returns its code.
func newGiftcard(t testing.TB, cents int64) string {
	t.Helper()
	ctx, c := context.Background(), leatClient(t)
	card, err := c.CreateDigitalGiftcard(ctx, seed().GiftcardPrograms[0].UUID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateGiftcardTransaction(ctx, leat.CreateGiftcardTransactionRequest{GiftcardUUID: card.UUID, ShopUUID: stack.Tenant.Locations[0].ShopUUID, AmountInCents: cents}); err != nil {
		t.Fatal(err)
	}
	return card.Hash
}

func giftcardBalance(t testing.TB, code string) int64 {
	t.Helper()
	card, err := leatClient(t).FindGiftcard(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return card.AmountInCents
}

// spendElsewhere pays with the card at another till, so that the gateway's
// debit is no longer the card's last transaction.
func spendElsewhere(t testing.TB, code string, cents int64) {
	t.Helper()
	card, err := leatClient(t).FindGiftcard(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leatClient(t).CreateGiftcardTransaction(context.Background(), leat.CreateGiftcardTransactionRequest{GiftcardUUID: card.UUID, ShopUUID: stack.Tenant.Locations[0].ShopUUID, AmountInCents: -cents}); err != nil {
		t.Fatal(err)
	}
}

// topUpPrepaid gives a customer prepaid credit, as an earlier visit would have.
func topUpPrepaid(t testing.TB, contact string, cents int64) {
	t.Helper()
	_, err := leatClient(t).CreatePrepaidTransaction(context.Background(), leat.CreatePrepaidTransactionRequest{ContactUUID: contact, ShopUUID: stack.Tenant.Locations[0].ShopUUID, AmountInCents: cents})
	if err != nil {
		t.Fatal(err)
	}
}

func prepaidBalance(t testing.TB, contact string) int64 {
	t.Helper()
	b, err := leatClient(t).GetPrepaidBalance(context.Background(), contact)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sixFlows is a basket with the guide's six flows: a reward, a voucher, a
// giftcard sold, a giftcard tender, a prepaid top-up and a prepaid tender.
type sixFlows struct {
	basket                 *basket
	contact, card, voucher string
}

// newSixFlows sells the physical card sold, or a digital one when sold is "".
func newSixFlows(t testing.TB, sold string) sixFlows {
	t.Helper()
	contact := newCustomer(t, 1000)
	topUpPrepaid(t, contact, 500)
	card, code := newGiftcard(t, 200), newVoucher(t, promotionPastry, contact)
	b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").voucher(code, "lock_redeem").
		sell(sold, "").topUp().tender("giftcard", card, 200, false).tender("prepaid", "", 100, false)
	b.Vouchers[0]["line_ids"] = []string{"2"}
	return sixFlows{basket: b, contact: contact, card: card, voucher: code}
}

// assertEnded checks every balance the basket touches against how the
// checkout ended: all of it happened, or none of it.
func (s sixFlows) assertEnded(t testing.TB, done checkoutView) {
	t.Helper()
	if done.Status != "completed" {
		assertCancelled(t, done, s.contact, 1000)
		s.assertUntouched(t)
		return
	}
	assertCompleted(t, done, s.contact, 900)
	if giftcardBalance(t, s.card) != 0 || prepaidBalance(t, s.contact) != 500-100+310 || voucherStatus(t, s.voucher) != leat.VoucherRedeemed ||
		len(done.Result.Giftcards) != 1 || giftcardBalance(t, done.Result.Giftcards[0].Code) != 2900 {
		t.Errorf("paid: card %d, prepaid %d, voucher %s, sold %+v", giftcardBalance(t, s.card), prepaidBalance(t, s.contact), voucherStatus(t, s.voucher), done.Result.Giftcards)
	}
}

// faulted counts the requests a fault answered.
func faulted(requests []leatsandbox.RequestRecord) int {
	n := 0
	for _, r := range requests {
		if r.Fault != "" {
			n++
		}
	}
	return n
}

// assertUntouched checks the balances are as before the checkout.
func (s sixFlows) assertUntouched(t testing.TB) {
	t.Helper()
	if balance(t, s.contact) != 1000 || giftcardBalance(t, s.card) != 200 || prepaidBalance(t, s.contact) != 500 || voucherStatus(t, s.voucher) != leat.VoucherActive {
		t.Errorf("points %d, card %d, prepaid %d, voucher %s", balance(t, s.contact), giftcardBalance(t, s.card), prepaidBalance(t, s.contact), voucherStatus(t, s.voucher))
	}
}

func (b *basket) tender(kind, code string, amount int64, partial bool) *basket {
	tender := map[string]any{"type": kind, "amount": amount}
	if code != "" {
		tender["code"] = code
	}
	if partial {
		tender["allow_partial"] = true
	}
	b.Tenders = append(b.Tenders, tender)
	return b
}

// execution reads the status of a checkout's saga, and its error when it failed.
func execution(t testing.TB, checkoutID string) (status, failure string) {
	t.Helper()
	id, err := ledger.ParseCheckoutID(checkoutID)
	if err != nil {
		t.Fatal(err)
	}
	return describeExecution(t, "CheckoutStateMachine", checkout.ExecutionName(stack.Tenant.ID, id))
}

// describeExecution reads an execution of a state machine of the template
// from the local engine.
func describeExecution(t testing.TB, stateMachine, name string) (status, failure string) {
	t.Helper()
	client := awssfn.New(awssfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(stack.StepFunctionsURL),
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
	arn := fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", apigw.Region, apigw.AccountID, stateMachine, name)
	// The ledger learns the outcome a state or two before the execution ends.
	deadline := time.Now().Add(10 * time.Second)
	out, err := client.DescribeExecution(context.Background(), &awssfn.DescribeExecutionInput{ExecutionArn: &arn})
	for err == nil && out.Status == types.ExecutionStatusRunning && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		out, err = client.DescribeExecution(context.Background(), &awssfn.DescribeExecutionInput{ExecutionArn: &arn})
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out.Status), aws.ToString(out.Error)
}

// preRedeem claims a croissant to collect for contact, as an earlier visit
// would have, and returns the collectable reward.
func preRedeem(t testing.TB, contact string) string {
	t.Helper()
	rec, err := leatClient(t).CreateRewardReception(context.Background(), leat.CreateRewardReceptionRequest{
		ContactUUID: contact, RewardUUID: rewardUUID(t, rewardCroissant), ShopUUID: stack.Tenant.Locations[0].ShopUUID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec.UUID
}

func settleStatus(t testing.TB, id, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v := viewOf(t, call(t, request{Method: http.MethodGet, Path: "/v1/checkouts/" + id}))
		if v.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkout %s is %s, want %s", id, v.Status, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func contactEmail(t testing.TB, contact string) string {
	t.Helper()
	c, err := leatClient(t).GetContact(context.Background(), contact)
	if err != nil {
		t.Fatal(err)
	}
	return c.Email
}

// claim opens a claim link on the sandbox's claim page and claims it with email.
func claim(t testing.TB, link, email string) int {
	t.Helper()
	resp, err := http.PostForm(link, map[string][]string{"email": {email}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestCheckoutLostAnswers loses Leat's answer to each kind of write in turn:
// each checkout still ends fully confirmed or fully given back, as the
// sandbox itself shows, or, where Leat cannot tell, needs attention.
func TestCheckoutLostAnswers(t *testing.T) { runUnderVariants(t, lostAnswerScenarios()) }

func lostAnswerScenarios() []scenario {
	coffee := func(t *testing.T, contact string) *basket {
		return newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "redeem_reverse")
	}
	return []scenario{
		{"reward reception, then paid", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			withFaults(t, "response_lost POST /reward-receptions x1")
			v := startCheckout(t, coffee(t, contact))
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 900)
		}},
		{"reward reception, then failed", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			withFaults(t, "response_lost POST /reward-receptions x1")
			v := startCheckout(t, coffee(t, contact))
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, 1000)
		}},
		{"pre-redeem, then paid", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			withFaults(t, "response_lost POST /reward-receptions x1")
			v := startCheckout(t, newBasket(contact).reward(rewardUUID(t, rewardCroissant), "pre_redeem_collect"))
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 925)
			if slices.Contains(collectables(t, contact), rewardCroissant) {
				t.Error("the croissant was not collected")
			}
		}},
		{"reversal of a reward reception", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, coffee(t, contact))
			withFaults(t, "response_lost POST /reward-receptions/{uuid}/reverse x1")
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, 1000)
		}},
		{"voucher lock: the voucher is refused and the rest given back", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			code := newVoucher(t, promotionWelcome, contact)
			withFaults(t, "response_lost POST /vouchers/{uuid}/lock x1")
			b := coffee(t, contact).voucher(code, "lock_redeem")
			a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t)})
			if a.Status != http.StatusConflict || a.problemCode(t) != "voucher_locked" {
				t.Fatalf("start: %d %s", a.Status, a.Body)
			}
			assertCancelled(t, settle(t, "shop-1."+b.OrderID), contact, 1000)
			// Leat frees the lock whose key was lost within the hour.
			stack.Sandbox.Clock().Advance(61 * time.Minute)
			if voucherStatus(t, code) != leat.VoucherActive {
				t.Errorf("voucher %s an hour later", voucherStatus(t, code))
			}
		}},
		{"voucher release", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newVoucher(t, promotionWelcome, contact)
			v := startCheckout(t, newBasket(contact).voucher(code, "lock_redeem"))
			withFaults(t, "response_lost POST /vouchers/{uuid}/release x1")
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, 0)
			if voucherStatus(t, code) != leat.VoucherActive {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
		}},
		{"redeeming a locked voucher after payment", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newVoucher(t, promotionWelcome, contact)
			v := startCheckout(t, newBasket(contact).voucher(code, "lock_redeem"))
			withFaults(t, "response_lost POST /vouchers/redeem x1")
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if voucherStatus(t, code) != leat.VoucherRedeemed {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
		}},
		{"voucher redemption, then paid", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newVoucher(t, promotionWelcome, contact)
			withFaults(t, "response_lost POST /vouchers/redeem x1")
			v := startCheckout(t, newBasket(contact).voucher(code, "redeem_reverse"))
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if voucherStatus(t, code) != leat.VoucherRedeemed {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
		}},
		{"voucher redemption, then failed: the redemption cannot be named, so an operator is alerted", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newVoucher(t, promotionWelcome, contact)
			withFaults(t, "response_lost POST /vouchers/redeem x1")
			v := startCheckout(t, newBasket(contact).voucher(code, "redeem_reverse"))
			done := report(t, v.CheckoutID, "failed")
			if done.Status != "needs_attention" || done.stepStates()["voucher_redemption:vouchers[0]"] != "needs_attention" {
				t.Errorf("checkout %s, steps %v", done.Status, done.stepStates())
			}
			// The operator sees it in the console: the execution failed in its own state.
			if status, failure := execution(t, v.CheckoutID); status != "FAILED" || failure != "CheckoutNeedsAttention" {
				t.Errorf("execution %s %s, want FAILED CheckoutNeedsAttention", status, failure)
			}
		}},
		{"reversal of a voucher redemption", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newVoucher(t, promotionWelcome, contact)
			v := startCheckout(t, newBasket(contact).voucher(code, "redeem_reverse"))
			withFaults(t, "response_lost POST /vouchers/{uuid}/reverse x1")
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, 0)
			if voucherStatus(t, code) != leat.VoucherActive {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
		}},
		{"collection", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			collectable := preRedeem(t, contact)
			v := startCheckout(t, newBasket(contact).collect(collectable))
			withFaults(t, "response_lost PUT /collectable-rewards/collect/{uuid} x1")
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 925)
		}},
		{"order", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, coffee(t, contact))
			withFaults(t, "response_lost POST /orders/create-and-process x1")
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 900)
		}},
		{"giftcard debit, then paid", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newGiftcard(t, 2000)
			withFaults(t, "response_lost POST /giftcard-transactions x1")
			v := startCheckout(t, newBasket(contact).tender("giftcard", code, 1200, false))
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if giftcardBalance(t, code) != 800 {
				t.Errorf("card holds %d, want 800", giftcardBalance(t, code))
			}
		}},
		{"prepaid debit, then failed", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 2000)
			withFaults(t, "response_lost POST /prepaid-transactions x1")
			v := startCheckout(t, newBasket(contact).tender("prepaid", "", 1200, false))
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, -1)
			if prepaidBalance(t, contact) != 2000 {
				t.Errorf("prepaid %d, want 2000", prepaidBalance(t, contact))
			}
		}},
		{"a prepaid debit Leat cannot tell from another needs attention, not a guess", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 3000)
			// The same amount paid at the same shop a moment ago: Leat's
			// prepaid transactions carry no tag to tell it from ours.
			topUpPrepaid(t, contact, -1000)
			withFaults(t, "response_lost POST /prepaid-transactions x1")
			b := newBasket(contact).tender("prepaid", "", 1000, false)
			if a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: b.body(t)}); a.Status != http.StatusBadGateway || a.problemCode(t) != "checkout_needs_attention" {
				t.Errorf("start: %d %s", a.Status, a.Body)
			}
			done := settle(t, "shop-1."+b.OrderID)
			if done.Status != "needs_attention" {
				t.Fatalf("checkout %s, steps %v", done.Status, done.stepStates())
			}
			i := slices.IndexFunc(done.Steps, func(s struct{ ID, Kind, Item, State, Detail string }) bool { return s.ID == "prepaid_debit:tenders[0]" })
			if i < 0 || done.Steps[i].State != "needs_attention" || !strings.Contains(done.Steps[i].Detail, "2 prepaid transactions of -1000 fit") {
				t.Errorf("steps %+v", done.Steps)
			}
			// Neither repeated nor given back on a guess: an operator settles it.
			if prepaidBalance(t, contact) != 1000 {
				t.Errorf("prepaid %d, want 1000", prepaidBalance(t, contact))
			}
			if status, failure := execution(t, done.CheckoutID); status != "FAILED" || failure != "CheckoutNeedsAttention" {
				t.Errorf("execution %s %s", status, failure)
			}
		}},
		{"reversal of a giftcard debit", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newGiftcard(t, 2000)
			v := startCheckout(t, newBasket(contact).tender("giftcard", code, 1200, false))
			withFaults(t, "response_lost POST /giftcard-transactions/{uuid}/reverse x1")
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, -1)
			if giftcardBalance(t, code) != 2000 {
				t.Errorf("card holds %d, want 2000", giftcardBalance(t, code))
			}
		}},
		{"reversal of a prepaid debit", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 2000)
			v := startCheckout(t, newBasket(contact).tender("prepaid", "", 1200, false))
			withFaults(t, "response_lost POST /prepaid-transactions/{uuid}/reverse x1")
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, -1)
			if prepaidBalance(t, contact) != 2000 {
				t.Errorf("prepaid %d, want 2000", prepaidBalance(t, contact))
			}
		}},
		{"the credit that gives a card used since its money back", func(t *testing.T) {
			contact := newCustomer(t, 0)
			code := newGiftcard(t, 2000)
			v := startCheckout(t, newBasket(contact).tender("giftcard", code, 1000, false))
			spendElsewhere(t, code, 300)
			withFaults(t, "response_lost POST /giftcard-transactions x1")
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, -1)
			if giftcardBalance(t, code) != 1700 {
				t.Errorf("card holds %d, want 1700", giftcardBalance(t, code))
			}
		}},
		{"Leat refusing money writes now and then", func(t *testing.T) {
			contact := newCustomer(t, 0)
			topUpPrepaid(t, contact, 1000)
			card := newGiftcard(t, 1000)
			withFaults(t, "maintenance POST /giftcard-transactions x2; rate_limit POST /prepaid-transactions x2")
			b := newBasket(contact).sell("", "").topUp().tender("giftcard", card, 400, false).tender("prepaid", "", 200, false)
			b.Lines = append(b.Lines, map[string]any{"id": "5", "sku": "TEA", "name": "Tea", "quantity": 2, "unit_price": 300})
			done := report(t, startCheckout(t, b).CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if giftcardBalance(t, card) != 600 || prepaidBalance(t, contact) != 1000-200+310 || giftcardBalance(t, done.Result.Giftcards[0].Code) != 2900 {
				t.Errorf("card %d, prepaid %d, sold %+v", giftcardBalance(t, card), prepaidBalance(t, contact), done.Result.Giftcards)
			}
		}},
		{"Leat answering 503 and 429 at random", func(t *testing.T) {
			hits := 0
			defer func() {
				if hits == 0 {
					t.Error("no fault fired: the scenario tested nothing")
				}
			}()
			for _, outcome := range []string{"paid", "failed", "paid"} {
				six := newSixFlows(t, "")
				stack.Sandbox.ClearRequests()
				withFaults(t, "maintenance 10%; rate_limit 10%")
				a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: six.basket.body(t)})
				var done checkoutView
				switch {
				case a.Status == http.StatusCreated:
					done = report(t, viewOf(t, a).CheckoutID, outcome)
				case a.Status == http.StatusServiceUnavailable && a.problemCode(t) == "leat_unavailable":
				default:
					t.Fatalf("start: %d %s", a.Status, a.Body)
				}
				stack.Sandbox.ClearFaults()
				hits += faulted(stack.Sandbox.Requests())
				t.Logf("%s: start %d, checkout %s, %d Leat answers faulted so far", outcome, a.Status, done.Status, hits)
				if a.Status != http.StatusCreated {
					six.assertUntouched(t)
					continue
				}
				if outcome == "failed" && done.Status == "completed" {
					t.Errorf("a failed payment completed the checkout")
				}
				six.assertEnded(t, done)
			}
		}},
		{"loading a sold giftcard: the card found loaded is emailed too", func(t *testing.T) {
			contact := newCustomer(t, 0)
			v := startCheckout(t, newBasket(contact).sell("", ""))
			sent := len(stack.Sandbox.SentEmails())
			withFaults(t, "response_lost POST /giftcard-transactions x1")
			done := report(t, v.CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if len(done.Result.Giftcards) != 1 || giftcardBalance(t, done.Result.Giftcards[0].Code) != 2900 || !done.Result.Giftcards[0].Emailed {
				t.Errorf("sold %+v", done.Result.Giftcards)
			}
			if emails := stack.Sandbox.SentEmails(); len(emails) != sent+1 || emails[sent].Email != contactEmail(t, contact) {
				t.Errorf("emails %+v", emails[sent:])
			}
		}},
		{"emailing a sold giftcard is tried again when the checkout completes", func(t *testing.T) {
			contact := newCustomer(t, 0)
			v := startCheckout(t, newBasket(contact).sell("", "friend@example.com"))
			sent := len(stack.Sandbox.SentEmails())
			withFaults(t, "maintenance POST /giftcards/{uuid}/send-by-email x3")
			done := report(t, v.CheckoutID, "paid")
			assertCompleted(t, done, contact, 0)
			if len(done.Result.Giftcards) != 1 || !done.Result.Giftcards[0].Emailed {
				t.Errorf("sold %+v", done.Result.Giftcards)
			}
			if emails := stack.Sandbox.SentEmails(); len(emails) != sent+1 || emails[sent].Email != "friend@example.com" {
				t.Errorf("emails %+v", emails[sent:])
			}
		}},
		{"creating a digital giftcard to sell", func(t *testing.T) {
			for _, faults := range []string{"response_lost POST /giftcards x1", "maintenance POST /giftcards x3"} {
				contact := newCustomer(t, 0)
				v := startCheckout(t, newBasket(contact).sell("", ""))
				withFaults(t, faults)
				done := report(t, v.CheckoutID, "paid")
				assertCompleted(t, done, contact, 0)
				if len(done.Result.Giftcards) != 1 || giftcardBalance(t, done.Result.Giftcards[0].Code) != 2900 {
					t.Errorf("%s: sold %+v", faults, done.Result.Giftcards)
				}
			}
		}},
		{"a prepaid top-up", func(t *testing.T) {
			contact := newCustomer(t, 0)
			v := startCheckout(t, newBasket(contact).topUp())
			withFaults(t, "response_lost POST /prepaid-transactions x1")
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 0)
			if prepaidBalance(t, contact) != 310 {
				t.Errorf("prepaid %d, want 310", prepaidBalance(t, contact))
			}
		}},
		{"a function that died between a reception and its answer", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			v := startCheckout(t, coffee(t, contact))
			// Play the crash: the points were taken, the ledger never learnt
			// the reception's uuid, and the lease of the dead call ran out.
			id, _ := ledger.ParseCheckoutID(v.CheckoutID)
			_, steps, err := stack.Ledger.Checkout(context.Background(), stack.Tenant.ID, id)
			if err != nil || len(steps) != 1 {
				t.Fatalf("steps %v, %v", steps, err)
			}
			crashed := steps[0]
			crashed.State, crashed.LeatUUID, crashed.Details.PointsAfter, crashed.LeaseUntil = ledger.StepPending, "", nil, time.Now().Add(-time.Second)
			if _, err := stack.Ledger.SaveStep(context.Background(), stack.Tenant.ID, crashed); err != nil {
				t.Fatal(err)
			}
			// Compensation reconciles it by the balance and gives the points back.
			assertCancelled(t, report(t, v.CheckoutID, "failed"), contact, 1000)
		}},
		{"Leat in maintenance and rate limiting now and then", func(t *testing.T) {
			contact := newCustomer(t, 1000)
			code := newVoucher(t, promotionWelcome, contact)
			withFaults(t, "maintenance POST /reward-receptions x1; rate_limit POST /vouchers/{uuid}/lock x1; maintenance POST /vouchers/redeem x1; rate_limit POST /orders/create-and-process x2")
			v := startCheckout(t, coffee(t, contact).voucher(code, "lock_redeem"))
			assertCompleted(t, report(t, v.CheckoutID, "paid"), contact, 900)
			if voucherStatus(t, code) != leat.VoucherRedeemed {
				t.Errorf("voucher %s", voucherStatus(t, code))
			}
		}},
	}
}

// TestBadBasketsWriteNothing refuses every bad basket before any Leat write,
// naming the field at fault.
func TestBadBasketsWriteNothing(t *testing.T) {
	contact := newCustomer(t, 120)
	locked := newVoucher(t, promotionWelcome, contact)
	v, err := leatClient(t).FindVoucher(context.Background(), locked)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leatClient(t).LockVoucher(context.Background(), v.UUID); err != nil {
		t.Fatal(err)
	}
	tooMany := newBasket(contact)
	for i := range 501 {
		tooMany.Lines = append(tooMany.Lines[:0:0], tooMany.Lines...)
		tooMany.Lines = append(tooMany.Lines, map[string]any{"id": fmt.Sprint("x", i), "sku": "X", "name": "X", "quantity": 1, "unit_price": 1})
	}
	tests := []struct {
		name   string
		basket *basket
		status int
		code   string
		field  string
	}{
		{"unknown reward", newBasket(contact).reward("00000000-0000-0000-0000-000000000000", ""), 404, "reward_not_found", "rewards[0]"},
		{"unaffordable reward", newBasket(contact).reward(rewardUUID(t, rewardMachine), ""), 409, "reward_not_affordable", "rewards[0]"},
		{"rewards that together cost too much", newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "").reward(rewardUUID(t, rewardFreeCoffee), ""), 409, "reward_not_affordable", "rewards[1]"},
		{"out of stock", newBasket(contact).reward(rewardUUID(t, rewardMug), ""), 409, "reward_out_of_stock", "rewards[0]"},
		{"inactive reward", newBasket(contact).reward(rewardUUID(t, rewardTote), ""), 409, "reward_inactive", "rewards[0]"},
		{"expired voucher", newBasket(contact).voucher("EXPIRED-2024", ""), 409, "voucher_expired", "vouchers[0]"},
		{"redeemed voucher", newBasket(contact).voucher("USED-0001", ""), 409, "voucher_redeemed", "vouchers[0]"},
		{"locked voucher", newBasket(contact).voucher(locked, ""), 409, "voucher_locked", "vouchers[0]"},
		{"switched-off promotion", newBasket(contact).voucher("SPRING-OFF", ""), 409, "voucher_inactive", "vouchers[0]"},
		{"unknown voucher", newBasket(contact).voucher("NO-SUCH-CODE", ""), 404, "voucher_not_found", "vouchers[0]"},
		{"reward without a customer", newBasket("").reward(rewardUUID(t, rewardFreeCoffee), ""), 422, "contact_required", "contact_uuid"},
		{"unlinked voucher without a customer", newBasket("").voucher("PASTRY-FLYER", ""), 422, "contact_required", "vouchers[0]"},
		{"currency mismatch", func() *basket { b := newBasket(contact); b.Currency = "USD"; return b }(), 422, "currency_mismatch", "currency"},
		{"zero quantity", func() *basket { b := newBasket(contact); b.Lines[0]["quantity"] = 0; return b }(), 400, "validation_failed", "lines[0].quantity"},
		{"negative price", func() *basket { b := newBasket(contact); b.Lines[1]["unit_price"] = -5; return b }(), 400, "validation_failed", "lines[1].unit_price"},
		{"more than 500 lines", tooMany, 400, "validation_failed", "lines"},
		{"unknown line id", func() *basket {
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "")
			b.Rewards[0]["line_ids"] = []string{"9"}
			return b
		}(), 400, "validation_failed", "rewards[0].line_ids[0]"},
		{"a line id beyond 64 characters", func() *basket {
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "")
			b.Rewards[0]["line_ids"] = []string{strings.Repeat("1", 65)}
			return b
		}(), 400, "validation_failed", "rewards[0].line_ids[0]"},
		{"duplicate line id", func() *basket { b := newBasket(contact); b.Lines[1]["id"] = "1"; return b }(), 400, "validation_failed", "lines[1].id"},
		{"a zero tender", newBasket(contact).tender("prepaid", "", 0, false), 400, "validation_failed", "tenders[0].amount"},
		{"a negative tender", newBasket(contact).tender("giftcard", newGiftcard(t, 5000), -100, false), 400, "validation_failed", "tenders[0].amount"},
		{"a tender in another currency", func() *basket {
			b := newBasket(contact).tender("giftcard", newGiftcard(t, 5000), 100, false)
			b.Currency = "USD"
			return b
		}(), 422, "currency_mismatch", "currency"},
		{"a tender paying for a giftcard sale", newBasket(contact).sell("", "").tender("giftcard", newGiftcard(t, 5000), 1500, false), 422, "tender_exceeds_due", "tenders[0]"},
		{"a sale of an unknown line", func() *basket {
			b := newBasket(contact).sell("", "")
			b.Sales[0]["line_id"] = "9"
			return b
		}(), 400, "validation_failed", "giftcard_sales[0].line_id"},
		{"a top-up without a customer", newBasket("").topUp(), 422, "contact_required", "prepaid_topups[0]"},
		{"tenders over what is due", newBasket(contact).tender("giftcard", "GC-5000-0001", 3000, false).tender("giftcard", "GC-0000-0001", 1500, true), 422, "tender_exceeds_due", "tenders[1]"},
		{"an unknown giftcard", newBasket(contact).tender("giftcard", "GC-NOPE", 100, false), 404, "giftcard_not_found", "tenders[0]"},
		{"a blocked giftcard", newBasket(contact).tender("giftcard", "GC-BLOCKED-01", 100, false), 409, "giftcard_blocked", "tenders[0]"},
		{"an expired giftcard", newBasket(contact).tender("giftcard", "GC-EXPIRED-01", 100, false), 409, "giftcard_expired", "tenders[0]"},
		{"too little on the card", newBasket(contact).tender("giftcard", newGiftcard(t, 1000), 2000, false), 409, "giftcard_insufficient_balance", "tenders[0]"},
		{"too little prepaid", newBasket(contact).tender("prepaid", "", 100, false), 409, "prepaid_insufficient_balance", "tenders[0]"},
		{"prepaid without a customer", newBasket("").tender("prepaid", "", 100, false), 422, "contact_required", "tenders[0]"},
		{"a giftcard without a code", newBasket(contact).tender("giftcard", "", 100, false), 400, "validation_failed", "tenders[0].code"},
		{"a free item with nothing to make free", func() *basket {
			b := newBasket(contact).reward(rewardUUID(t, rewardFreeCoffee), "")
			b.Lines = b.Lines[1:]
			return b
		}(), 400, "validation_failed", "rewards[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack.Sandbox.ClearRequests()
			a := call(t, request{Method: http.MethodPost, Path: "/v1/checkouts", Body: tt.basket.body(t)})
			if a.Status != tt.status || a.problemCode(t) != tt.code {
				t.Fatalf("%d %s, want %d %s", a.Status, a.Body, tt.status, tt.code)
			}
			if !strings.Contains(string(a.Body), `"field":"`+tt.field+`"`) {
				t.Errorf("the answer does not name %s: %s", tt.field, a.Body)
			}
			for _, r := range stack.Sandbox.Requests() {
				if r.Method != http.MethodGet && !strings.HasSuffix(r.Route, "/validate") {
					t.Errorf("a Leat write happened: %s %s", r.Method, r.Path)
				}
			}
			if got := balance(t, contact); got != 120 {
				t.Errorf("balance %d, want 120", got)
			}
		})
	}
}
