package leatsandbox_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func (l *leat) inject(f leatsandbox.Fault) {
	l.t.Helper()
	if err := l.server.Sandbox.InjectFault(f); err != nil {
		l.t.Fatal(err)
	}
}

// payPrepaid sends a one-cent prepaid payment and returns the transport error, if any.
func (l *leat) payPrepaid(client *http.Client) (*http.Response, error) {
	body := `{"contact_uuid":"` + l.richContact().UUID + `","amount_in_cents":-1,"shop_uuid":"` + l.shop().UUID + `"}`
	response, err := client.Do(l.request("POST", "/prepaid-transactions", strings.NewReader(body), "application/json"))
	if err == nil {
		response.Body.Close()
	}
	return response, err
}

func TestFaultsAnswerWithoutApplying(t *testing.T) {
	tests := []struct {
		kind       leatsandbox.FaultKind
		status     int
		retryAfter string
	}{
		{leatsandbox.FaultRateLimit, http.StatusTooManyRequests, "5"},
		{leatsandbox.FaultMaintenance, http.StatusServiceUnavailable, ""},
		{leatsandbox.FaultServerError, http.StatusInternalServerError, ""},
		{leatsandbox.FaultDrop, 0, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			l := start(t)
			l.inject(leatsandbox.Fault{Kind: tt.kind, Method: "POST", Path: "/prepaid-transactions", Times: 1, RetryAfter: 4500 * time.Millisecond})
			before := l.prepaidBalance(l.richContact().UUID)

			response, err := l.payPrepaid(l.http)
			switch {
			case tt.status == 0 && err == nil:
				t.Fatalf("a dropped connection answered %d", response.StatusCode)
			case tt.status != 0 && (err != nil || response.StatusCode != tt.status):
				t.Fatalf("want %d, got %v %v", tt.status, response, err)
			case tt.retryAfter != "" && response.Header.Get("Retry-After") != tt.retryAfter:
				t.Fatalf("Retry-After %q", response.Header.Get("Retry-After"))
			}
			if l.prepaidBalance(l.richContact().UUID) != before {
				t.Fatal("the faulted request was applied")
			}
			if response, err := l.payPrepaid(l.http); err != nil || response.StatusCode != http.StatusOK {
				t.Fatalf("a fault with Times 1 fired twice: %v %v", response, err)
			}
		})
	}
}

// TestPercentFaultsHitSomeRequests: a Percent fault spares some requests,
// hits about that share of them, and a spared request goes through.
func TestPercentFaultsHitSomeRequests(t *testing.T) {
	l := start(t)
	l.inject(leatsandbox.Fault{Kind: leatsandbox.FaultMaintenance, Method: "POST", Path: "/prepaid-transactions", Percent: 30})
	before := l.prepaidBalance(l.richContact().UUID)
	const requests = 200
	var hit int
	for range requests {
		response, err := l.payPrepaid(l.http)
		if err != nil {
			t.Fatal(err)
		}
		switch response.StatusCode {
		case http.StatusServiceUnavailable:
			hit++
		case http.StatusOK:
		default:
			t.Fatalf("answered %d", response.StatusCode)
		}
	}
	if hit < requests*15/100 || hit > requests*45/100 {
		t.Errorf("a 30%% fault hit %d of %d requests", hit, requests)
	}
	if paid := before - l.prepaidBalance(l.richContact().UUID); paid != requests-int64(hit) {
		t.Errorf("%d cents paid by %d spared requests", paid, requests-hit)
	}
}

func TestResponseLostAppliesTheRequest(t *testing.T) {
	l := start(t)
	l.inject(leatsandbox.Fault{Kind: leatsandbox.FaultResponseLost, Method: "POST", Path: "/prepaid-transactions", Times: 1})
	before := l.prepaidBalance(l.richContact().UUID)

	impatient := &http.Client{Timeout: 300 * time.Millisecond}
	started := time.Now()
	if response, err := l.payPrepaid(impatient); err == nil {
		t.Fatalf("the client got an answer: %d", response.StatusCode)
	}
	if waited := time.Since(started); waited < 250*time.Millisecond {
		t.Fatalf("the connection closed after %v, before the client gave up", waited)
	}
	if after := l.prepaidBalance(l.richContact().UUID); after != before-1 {
		t.Fatalf("balance %d, want %d: the request must have been applied", after, before-1)
	}
}

func TestLatencyDelaysThenAnswers(t *testing.T) {
	l := start(t)
	l.inject(leatsandbox.Fault{Kind: leatsandbox.FaultLatency, Path: "/shops", Delay: 150 * time.Millisecond, Times: 1})
	started := time.Now()
	l.call("GET", "/shops", nil).ok()
	if waited := time.Since(started); waited < 150*time.Millisecond {
		t.Fatalf("answered after %v", waited)
	}
	if len(l.server.Sandbox.Faults()) != 0 {
		t.Fatal("a used-up fault is still active")
	}
}

func TestFaultPathMatching(t *testing.T) {
	l := start(t)
	contact := l.richContact().UUID
	tests := []struct {
		name  string
		fault leatsandbox.Fault
		hit   string
		miss  string
	}{
		{"exact path", leatsandbox.Fault{Path: "/contacts/" + contact}, "/contacts/" + contact, "/contacts/" + contact + "/tier"},
		{"route pattern", leatsandbox.Fault{Path: "/contacts/{uuid}/tier"}, "/contacts/" + contact + "/tier", "/contacts/" + contact},
		{"prefix", leatsandbox.Fault{Path: "/giftcard*"}, "/giftcard-programs", "/shops"},
		{"full path", leatsandbox.Fault{Path: "/api/v3/oauth/clients/tiers"}, "/tiers", "/shops"},
		{"method", leatsandbox.Fault{Method: "GET", Path: "/shops"}, "/shops", "/tiers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.with(t)
			tt.fault.Kind = leatsandbox.FaultServerError
			l.inject(tt.fault)
			defer l.server.Sandbox.ClearFaults()
			if a := l.call("GET", tt.hit, nil); a.status != http.StatusInternalServerError {
				t.Fatalf("%s not hit: %d", tt.hit, a.status)
			}
			l.call("GET", tt.miss, nil).ok()
		})
	}
}

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec string
		want []leatsandbox.Fault
	}{
		{"latency=300ms", []leatsandbox.Fault{{Kind: "latency", Delay: 300 * time.Millisecond}}},
		{"rate_limit=5s POST /giftcard-transactions x2; response_lost POST /orders/create-and-process x1", []leatsandbox.Fault{
			{Kind: "rate_limit", Method: "POST", Path: "/giftcard-transactions", Times: 2, RetryAfter: 5 * time.Second},
			{Kind: "response_lost", Method: "POST", Path: "/orders/create-and-process", Times: 1},
		}},
		{`{"kind":"drop","path":"/vouchers/{uuid}/lock","times":1}`, []leatsandbox.Fault{{Kind: "drop", Path: "/vouchers/{uuid}/lock", Times: 1}}},
		{`[{"kind":"latency","delay":"1s"},{"kind":"maintenance","retry_after":"30s"}]`, []leatsandbox.Fault{
			{Kind: "latency", Delay: time.Second}, {Kind: "maintenance", RetryAfter: 30 * time.Second},
		}},
		{"refuse=1018 POST /reward-receptions x1", []leatsandbox.Fault{{Kind: "refuse", Code: 1018, Method: "POST", Path: "/reward-receptions", Times: 1}}},
		{`{"kind":"refuse","code":55031,"path":"/contacts/{uuid}"}`, []leatsandbox.Fault{{Kind: "refuse", Code: 55031, Path: "/contacts/{uuid}"}}},
		{"maintenance POST /giftcard-transactions* 25%", []leatsandbox.Fault{{Kind: "maintenance", Method: "POST", Path: "/giftcard-transactions*", Percent: 25}}},
		{`{"kind":"rate_limit","percent":10,"times":3}`, []leatsandbox.Fault{{Kind: "rate_limit", Percent: 10, Times: 3}}},
	}
	for _, tt := range tests {
		got, err := leatsandbox.ParseFaults(tt.spec)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFaults(%q) = %+v, %v; want %+v", tt.spec, got, err, tt.want)
		}
	}
	for _, bad := range []string{"flood", "drop=1s", "latency=fast", "server_error /shops lots", `{"kind":"latency","delay":"soon"}`,
		"refuse", "refuse=1s", "refuse=99999", `{"kind":"refuse"}`, `{"kind":"latency","code":1018}`, "drop 100%", "drop -5%", "drop half%"} {
		if _, err := leatsandbox.ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
}

func TestRefuseAnswersALeatErrorWithoutApplying(t *testing.T) {
	l := start(t)
	contact, r := l.richContact(), l.plainReward()
	added := l.send("POST", "/_sandbox/faults", strings.NewReader("refuse=1018 POST /reward-receptions x1"), "text/plain")
	if added.status != http.StatusCreated || added.int("faults.0.code") != 1018 {
		t.Fatalf("add fault: %d %s", added.status, added.raw)
	}

	refused := l.claim(contact.UUID, r.UUID).fails(1018)
	if refused.str("message") != "The stock on this reward is empty." {
		t.Fatalf("refusal: %s", refused.raw)
	}
	if l.points(contact.UUID) != contact.Points {
		t.Fatal("the refused claim was applied")
	}
	l.claim(contact.UUID, r.UUID).ok()
	if l.points(contact.UUID) != contact.Points-r.RequiredCredits {
		t.Fatal("the claim after the fault was not applied once")
	}
}
