package pos_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/leatpos/gateway/shared/leat"
)

// identify rings up the customer behind card with the REWARDS button.
func (p *page) identify(card string) {
	p.t.Helper()
	p.click("#btn-rewards")
	p.scan("#identify-input", card)
	p.do(chromedp.WaitVisible(chromedp.ID("customer-points")), chromedp.WaitNotVisible(chromedp.ID("dialog")))
}

func (p *page) add(skus ...string) {
	p.t.Helper()
	for _, sku := range skus {
		p.click(fmt.Sprintf(`#product-list [data-sku=%q]`, sku))
	}
}

// pay starts the checkout and waits for the payment step.
func (p *page) pay() {
	p.t.Helper()
	p.click("#btn-checkout")
	p.do(chromedp.WaitVisible(chromedp.ID("payment-due")))
	p.noError()
}

// finish reports the card payment and waits for the checkout to settle.
func (p *page) finish(button, want string) {
	p.t.Helper()
	p.click(button)
	p.do(chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#done-status[data-status=%q]`, want))))
	p.noError()
}

func (p *page) number(sel string) int64 {
	p.t.Helper()
	n, err := strconv.ParseInt(p.text(sel), 10, 64)
	if err != nil {
		p.t.Fatalf("%s: %v", sel, err)
	}
	return n
}

// TestTillRedeemsRewardsAndOffersAndEarns: the REWARDS flow. A scanned card
// shows the customer's points as Leat has them and the rewards cheapest
// first, the unaffordable ones disabled; a reward and an offer go on the
// sale, the payment shows their discounts, and the completed sale shows the
// points earned and the balance Leat now holds.
func TestTillRedeemsRewardsAndOffersAndEarns(t *testing.T) {
	t.Parallel()
	shopper := newCustomer(t, 1000, 0)
	welcome := newVoucher(t, "Welcome 10% Off", shopper)
	before := points(t, shopper.uuid)
	p := open(t, "/", "pos")
	p.add("COFFEE-REG", "CROISSANT", "MUG-01")
	p.identify(shopper.email)
	if shown := p.number("#customer-points"); shown != before {
		t.Fatalf("the till shows %d points, Leat holds %d", shown, before)
	}
	required := get(p, chromedp.Evaluate[[]int](`[...document.querySelectorAll('#rewards [data-reward-uuid] progress')].map(e => Number(e.max))`))
	if len(required) < 2 {
		t.Fatalf("the till lists %d rewards", len(required))
	}
	for i := 1; i < len(required); i++ {
		if required[i] < required[i-1] {
			t.Fatalf("rewards are not cheapest first: %v", required)
		}
	}
	disabled := get(p, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('[data-reward-uuid=%q] button.redeem').disabled`, rewardUUID(t, "Espresso Machine"))))
	if !disabled {
		t.Error("the Espresso Machine the customer cannot afford can be redeemed")
	}
	p.click(fmt.Sprintf(`[data-reward-uuid=%q] button.redeem`, rewardUUID(t, "Free Coffee")))
	p.click(fmt.Sprintf(`[data-offer-uuid=%q] button.use`, welcome.UUID))
	p.shot("till-customer")

	p.pay()
	discounts := get(p, chromedp.Evaluate[int](`document.querySelectorAll('#payment-lines tr.discount').length`))
	if discounts != 2 {
		t.Fatalf("the payment shows %d discounts, want the reward's and the voucher's", discounts)
	}
	p.shot("till-payment")
	p.finish("#btn-card-ok", "completed")
	p.shot("till-completed")

	after := points(t, shopper.uuid)
	if shown := p.number("#points-balance"); shown != after {
		t.Errorf("the till shows a balance of %d, Leat holds %d", shown, after)
	}
	if earned := p.number("#points-earned"); earned <= 0 || after != before-100+earned {
		t.Errorf("earned %d: Leat went from %d to %d, with 100 for the coffee", earned, before, after)
	}
	if v := voucher(t, welcome.Code); v.Status != leat.VoucherRedeemed {
		t.Errorf("the voucher is %s in Leat", v.Status)
	}
}

// TestTillScansVouchers: a voucher linked to nobody is checked for the
// identified customer and linked to them by the sale; an expired one says
// why it cannot be used and cannot be added.
func TestTillScansVouchers(t *testing.T) {
	t.Parallel()
	chris := cardHolder(t, "LEAT-1003")
	chrisBefore := points(t, chris)
	p := open(t, "/", "pos")
	p.add("CROISSANT", "COFFEE-REG")
	p.identify("LEAT-1003")

	p.click("#btn-voucher")
	p.scan("#voucher-code", "EXPIRED-2024")
	if reason := p.text("#voucher-reason"); !strings.Contains(reason, "expired") {
		t.Errorf("an expired voucher says %q", reason)
	}
	disabled := get(p, chromedp.Evaluate[bool](`document.getElementById('voucher-add').disabled`))
	if !disabled {
		t.Error("an expired voucher can be added")
	}
	p.click("#dialog-close")

	p.click("#btn-voucher")
	p.scan("#voucher-code", "PASTRY-FLYER")
	if d := p.text("#voucher-discount"); !strings.Contains(d, "€2.50 off") {
		t.Errorf("the flyer's discount shows as %q", d)
	}
	p.shot("till-voucher")
	p.click("#voucher-add")
	p.pay()
	p.finish("#btn-card-ok", "completed")
	// Leat redeems a voucher linked to nobody only for a named customer.
	if v := voucher(t, "PASTRY-FLYER"); v.Status != leat.VoucherRedeemed {
		t.Errorf("in Leat the flyer is %s, want redeemed for Chris", v.Status)
	}
	if got := points(t, chris); got <= chrisBefore {
		t.Errorf("Chris's sale with the flyer earned nothing: %d points, before %d", got, chrisBefore)
	}
}

// TestTillSellsGiftcards: a physical card from the rack with a preset
// amount and a digital card with a typed amount are sold; once paid, Leat
// holds the physical card's load.
func TestTillSellsGiftcards(t *testing.T) {
	t.Parallel()
	p := open(t, "/", "pos")
	p.click("#btn-giftcard")
	p.do(chromedp.SendKeys(chromedp.ID("giftcard-code"), "GC-0000-0001"), chromedp.Click(chromedp.CSS(`[data-amount="2500"]`)))
	p.shot("till-giftcard-sale")
	p.click("#giftcard-add")
	p.do(chromedp.WaitNotVisible(chromedp.ID("dialog")))
	p.click("#btn-giftcard")
	p.do(chromedp.Click(chromedp.ID("giftcard-digital")), chromedp.SendKeys(chromedp.ID("giftcard-email"), "gift.receiver@example.com"),
		chromedp.SendKeys(chromedp.ID("giftcard-custom"), "17.50"), chromedp.Click(chromedp.ID("giftcard-add")),
		chromedp.WaitNotVisible(chromedp.ID("dialog")))
	if total := p.text("#cart-total"); total != "€42.50" {
		t.Fatalf("the sale's total is %s, want €42.50", total)
	}
	p.pay()
	p.finish("#btn-card-ok", "completed")
	sold := get(p, chromedp.Evaluate[int](`document.querySelectorAll('.giftcard-sold').length`))
	if sold != 2 {
		t.Errorf("the completed sale lists %d giftcards sold", sold)
	}
	if b := giftcardBalance(t, "GC-0000-0001"); b != 2500 {
		t.Errorf("Leat holds %d on the card sold for €25.00", b)
	}
}

// TestTillPaysWithGiftcardAndPrepaid: the payment step takes part of what
// is due from a giftcard and the rest from prepaid credit, showing each
// balance; Leat's balances move by what the till shows.
func TestTillPaysWithGiftcardAndPrepaid(t *testing.T) {
	t.Parallel()
	shopper := newCustomer(t, 0, 2500)
	card, credit := giftcardBalance(t, "GC-5000-0001"), prepaid(t, shopper.uuid)
	p := open(t, "/", "pos")
	p.add("MUG-01", "COFFEE-REG")
	p.identify(shopper.email)
	p.pay()
	p.click("#btn-pay-giftcard")
	p.scan("#tender-code", "GC-5000-0001")
	if info := p.text("#tender-balance"); !strings.Contains(info, "Balance €50.00") {
		t.Fatalf("the giftcard shows %q", info)
	}
	p.do(chromedp.SetValue(chromedp.ID("tender-amount"), "5.00"), chromedp.Click(chromedp.ID("tender-add")), chromedp.WaitNotVisible(chromedp.ID("dialog")))
	p.noError()
	if due := p.text("#payment-due"); due != "€10.00" {
		t.Fatalf("after €5.00 from the giftcard %s is due, want €10.00", due)
	}
	p.click("#btn-pay-prepaid")
	p.do(chromedp.WaitVisible(chromedp.ID("tender-amount")), chromedp.Click(chromedp.ID("tender-add")), chromedp.WaitNotVisible(chromedp.ID("dialog")))
	p.noError()
	if due := p.text("#payment-due"); due != "€0.00" {
		t.Fatalf("after prepaid credit %s is due, want €0.00", due)
	}
	p.shot("till-tenders")
	p.finish("#btn-card-ok", "completed")
	if got := giftcardBalance(t, "GC-5000-0001"); got != card-500 {
		t.Errorf("the giftcard holds %d, want %d", got, card-500)
	}
	if got := prepaid(t, shopper.uuid); got != credit-1000 {
		t.Errorf("the customer's prepaid credit is %d, want %d", got, credit-1000)
	}
}

// TestTillTopsUpPrepaid: a top-up line for the identified customer; once
// paid the till shows the new prepaid balance, which Leat holds.
func TestTillTopsUpPrepaid(t *testing.T) {
	t.Parallel()
	shopper := newCustomer(t, 0, 500)
	before := prepaid(t, shopper.uuid)
	p := open(t, "/", "pos")
	p.identify(shopper.email)
	p.click("#btn-prepaid")
	p.click(`#dialog [data-amount="2000"]`)
	p.click("#prepaid-add")
	p.pay()
	p.finish("#btn-card-ok", "completed")
	after := prepaid(t, shopper.uuid)
	if after != before+2000 {
		t.Fatalf("the customer's prepaid credit went from %d to %d, want +2000", before, after)
	}
	if shown := p.text("#prepaid-balance"); shown != fmt.Sprintf("€%d.%02d", after/100, after%100) {
		t.Errorf("the till shows a prepaid balance of %s, Leat holds %d", shown, after)
	}
}

// TestTillFailedPaymentGivesEverythingBack: a card payment that fails
// cancels the sale; the till shows every Leat step given back, and Leat
// holds the points it held before.
func TestTillFailedPaymentGivesEverythingBack(t *testing.T) {
	t.Parallel()
	shopper := newCustomer(t, 1000, 0)
	before := points(t, shopper.uuid)
	p := open(t, "/", "pos")
	p.add("COFFEE-OAT")
	p.identify(shopper.email)
	p.click(fmt.Sprintf(`[data-reward-uuid=%q] button.redeem`, rewardUUID(t, "10% Off Your Order")))
	p.pay()
	if during := points(t, shopper.uuid); during != before-250 {
		t.Fatalf("reserving the reward left %d points of %d", during, before)
	}
	p.finish("#btn-card-fail", "cancelled")
	p.shot("till-payment-failed")
	states := get(p, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#steps [data-step]')].map(e => e.dataset.state)`))
	if len(states) == 0 {
		t.Fatal("the cancelled sale shows no steps")
	}
	for _, s := range states {
		if s != "reversed" {
			t.Errorf("a step of the cancelled sale is %s: %v", s, states)
		}
	}
	if after := points(t, shopper.uuid); after != before {
		t.Errorf("after the failed payment Leat holds %d points, before %d", after, before)
	}
}

// TestTillAnonymousSaleCollectsPointsAfterPayment: an anonymous sale asks
// whether to collect points; the customer's card then earns them. Another
// anonymous sale prints its receipt with the claim QR code instead.
func TestTillAnonymousSaleCollectsPointsAfterPayment(t *testing.T) {
	t.Parallel()
	shopper := newCustomer(t, 0, 0)
	before := points(t, shopper.uuid)
	p := open(t, "/", "pos")
	p.add("MUG-01")
	p.pay()
	p.finish("#btn-card-ok", "completed")
	p.do(chromedp.WaitVisible(chromedp.ID("btn-collect")))
	p.shot("till-collect-points")
	p.click("#btn-collect")
	p.scan("#collect-input", shopper.email)
	earned := p.number("#points-earned")
	if after := points(t, shopper.uuid); earned != 12 || after != before+earned {
		t.Errorf("the till shows %d points earned for €12.00; Leat went from %d to %d", earned, before, after)
	}

	p.click("#btn-new-sale")
	p.add("COFFEE-REG")
	p.pay()
	p.finish("#btn-card-ok", "completed")
	p.click("#btn-receipt")
	p.do(chromedp.WaitVisible(chromedp.CSS("#claim-qr svg")))
	href := get(p, chromedp.Evaluate[string](`document.getElementById('claim-url').href`))
	if !strings.Contains(href, "token=") && !strings.Contains(href, "?") {
		t.Errorf("the receipt's claim link is %q", href)
	}
	p.shot("till-receipt")
}

// TestTillShowsAPIErrors: the gateway's refusals reach the cashier as the
// problem's words and code, where the cashier looks.
func TestTillShowsAPIErrors(t *testing.T) {
	t.Parallel()
	p := open(t, "/", "pos")
	p.click("#btn-rewards")
	p.scan("#identify-input", "LEAT-1009")
	if shown := p.text("#dialog-error"); !strings.Contains(shown, "identifier_inactive") {
		t.Errorf("an inactive card shows %q", shown)
	}
	p.click("#dialog-close")
	p.click("#btn-voucher")
	p.scan("#voucher-code", "NO-SUCH-VOUCHER")
	if shown := p.text("#dialog-error"); !strings.Contains(shown, "not_found") {
		t.Errorf("an unknown voucher shows %q", shown)
	}
}
