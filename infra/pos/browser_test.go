package pos_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/leatpos/gateway/infra/ddblocal"
	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/shared/leat"
)

// The reference POS is tested as a cashier uses it: in headless Chromium,
// against the whole local stack, checking what the pages show against the
// sandbox's own state.
var (
	stack   *localstack.Stack
	browser context.Context
)

// ScreenshotsEnv names where the main screens are saved; build/screenshots
// by default. docs/screenshots holds the copies the README shows.
const ScreenshotsEnv = "POS_SCREENSHOTS"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	endpoint := os.Getenv(ddblocal.EndpointEnv)
	chromium, err := findChromium()
	if endpoint == "" || err != nil {
		fmt.Fprintf(os.Stderr, "browser tests need DynamoDB Local (%s) and Chromium (%v): run them with `make test`\n", ddblocal.EndpointEnv, err)
		if os.Getenv("CI") != "" {
			return 1
		}
		return 0
	}
	stack, err = localstack.Start(context.Background(), localstack.Options{
		DynamoDBEndpoint: endpoint, TableName: fmt.Sprintf("pos-test-%d", time.Now().UnixNano()), SkipDelays: true,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "local stack:", err)
		return 1
	}
	defer stack.Close()
	profile, err := os.MkdirTemp("", "pos-chromium-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(profile)
	// Chromium's own background traffic would only meet a closed network.
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
	)
	defer cancelAllocator()
	var cancelBrowser context.CancelFunc
	browser, cancelBrowser = chromedp.NewContext(allocator)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		fmt.Fprintln(os.Stderr, "chromium:", err)
		return 1
	}
	return m.Run()
}

// findChromium is Debian's chromium, or the browser CHROMIUM names.
func findChromium() (string, error) {
	if path := os.Getenv("CHROMIUM"); path != "" {
		return path, nil
	}
	return exec.LookPath("chromium")
}

// actionTimeout bounds one step of a test: a sale settles within seconds.
const actionTimeout = 20 * time.Second

// page is one browser tab on one of the reference POS's pages.
type page struct {
	t   *testing.T
	ctx context.Context
}

// open loads path in a new tab and enters the demo key of role (and the
// location, on the pages that send one) in the page's key form.
func open(t *testing.T, path, role string) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	// The tab lives as long as the context of its first action, so that one
	// has no timeout of its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx}
	key := map[string]string{"pos": stack.POSKey, "backoffice": stack.BackofficeKey, "ops": stack.OpsKey}[role]
	p.do(chromedp.Navigate(stack.GatewayURL+path), chromedp.WaitVisible(chromedp.ID("key-"+role)),
		chromedp.SendKeys(chromedp.ID("key-"+role), key))
	if role != "pos" {
		p.do(chromedp.SetValue(chromedp.ID("key-location"), "shop-1"))
	}
	p.do(chromedp.Click(chromedp.ID("save-keys")), chromedp.WaitVisible(chromedp.ID("app")))
	return p
}

// do runs actions; a failure saves the screen it happened on.
func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.shot("failed-" + strings.ReplaceAll(p.t.Name(), "/", "-"))
		p.t.Fatalf("%v; the page says: %q", err, p.errorBanner())
	}
}

// get runs one action that reads the page.
func get[T any](p *page, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.shot("failed-" + strings.ReplaceAll(p.t.Name(), "/", "-"))
		p.t.Fatalf("%v; the page says: %q", err, p.errorBanner())
	}
	return v
}

// text is what the first element sel selects shows, once it is visible.
func (p *page) text(sel string) string {
	p.t.Helper()
	p.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	return strings.TrimSpace(get(p, chromedp.Text(chromedp.CSS(sel))))
}

// scan enters a code in a field as a scanner does: the code, then Enter.
func (p *page) scan(sel, code string) {
	p.t.Helper()
	p.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), code+kb.Enter))
}

func (p *page) click(sel string) {
	p.t.Helper()
	p.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// errorBanner is the API error the page shows, empty when none.
func (p *page) errorBanner() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	// A page that cannot even answer this shows no error of its own.
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.getElementById('error'); return e && !e.hidden ? e.textContent : ''; })()`))
	return s
}

// noError fails the test when the page shows an API error.
func (p *page) noError() {
	p.t.Helper()
	if msg := p.errorBanner(); msg != "" {
		p.t.Fatalf("the page shows an error: %s", msg)
	}
}

// shot saves the whole page as name.png.
func (p *page) shot(name string) {
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		var err error
		if dir, err = repo.Path("build", "screenshots"); err != nil {
			p.t.Error(err)
			return
		}
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Error(err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Error(err)
	}
}

func leatClient(t *testing.T) *leat.Client {
	t.Helper()
	c, err := leat.New(leat.Config{BaseURL: stack.LeatAPIURL, Credentials: leat.PersonalAccessToken(stack.LeatAPIToken)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// customer is a new contact of the sandbox's, so that tests running side
// by side never share a balance.
type customer struct{ uuid, email string }

var customers atomic.Int64

// newCustomer creates a contact holding points and prepaid credit (minor
// units); the till identifies it by its email.
func newCustomer(t *testing.T, points, prepaid int64) customer {
	t.Helper()
	ctx, c := context.Background(), leatClient(t)
	email := fmt.Sprintf("pos-%d-%d@example.com", time.Now().UnixNano(), customers.Add(1))
	contact, err := c.FindOrCreateContact(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	shop := stack.Tenant.Locations[0].ShopUUID
	if points > 0 {
		if _, err := c.CreateCreditReception(ctx, leat.CreateCreditReceptionRequest{ContactUUID: contact.UUID, ShopUUID: shop, Credits: points}); err != nil {
			t.Fatal(err)
		}
	}
	if prepaid > 0 {
		if _, err := c.CreatePrepaidTransaction(ctx, leat.CreatePrepaidTransactionRequest{ContactUUID: contact.UUID, ShopUUID: shop, AmountInCents: prepaid}); err != nil {
			t.Fatal(err)
		}
	}
	return customer{uuid: contact.UUID, email: email}
}

// cardHolder is the seeded contact behind a loyalty card.
func cardHolder(t *testing.T, card string) string {
	t.Helper()
	id, err := leatClient(t).FindContactIdentifier(context.Background(), card)
	if err != nil {
		t.Fatal(err)
	}
	return id.Contact.UUID
}

// newVoucher gives the customer a voucher of the seeded promotion named so.
func newVoucher(t *testing.T, promotion string, c customer) *leat.Voucher {
	t.Helper()
	for _, p := range stack.Sandbox.Seed().Promotions {
		if p.Name == promotion {
			v, err := leatClient(t).CreateVoucher(context.Background(), leat.CreateVoucherRequest{
				PromotionUUID: p.UUID, Code: fmt.Sprintf("POS-%d", time.Now().UnixNano()), ContactUUID: c.uuid,
			})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("no promotion %q in the seed", promotion)
	return nil
}

func points(t *testing.T, contact string) int64 {
	t.Helper()
	b, err := leatClient(t).GetCreditBalance(context.Background(), contact)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func prepaid(t *testing.T, contact string) int64 {
	t.Helper()
	b, err := leatClient(t).GetPrepaidBalance(context.Background(), contact)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func giftcardBalance(t *testing.T, code string) int64 {
	t.Helper()
	g, err := leatClient(t).FindGiftcard(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return g.AmountInCents
}

func rewardUUID(t *testing.T, title string) string {
	t.Helper()
	for _, r := range stack.Sandbox.Seed().Rewards {
		if r.Title == title {
			return r.UUID
		}
	}
	t.Fatalf("no reward %q in the seed", title)
	return ""
}

func voucher(t *testing.T, code string) *leat.Voucher {
	t.Helper()
	v, err := leatClient(t).FindVoucher(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
