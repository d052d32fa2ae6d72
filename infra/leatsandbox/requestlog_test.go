package leatsandbox_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func TestRequestLogCountsLeatRoundTrips(t *testing.T) {
	l := start(t)
	contact := l.richContact()
	l.server.Sandbox.ClearRequests()
	before := time.Now()

	l.call("GET", "/contacts/"+contact.UUID+"/credit-balance", nil).ok()
	l.claim(contact.UUID, l.plainReward().UUID).ok()
	l.form("POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {l.seed.Account.OAuthClientID}, "client_secret": {l.seed.Account.OAuthClientSecret}})
	l.inject(leatsandbox.Fault{Kind: leatsandbox.FaultServerError, Path: "/shops", Times: 1})
	l.call("GET", "/shops", nil)
	l.call("GET", "/_sandbox/clock", nil) // control routes are not Leat's

	want := []leatsandbox.RequestRecord{
		{Method: "GET", Route: "/contacts/{uuid}/credit-balance", Path: "/contacts/" + contact.UUID + "/credit-balance", Status: http.StatusOK},
		{Method: "POST", Route: "/reward-receptions", Path: "/reward-receptions", Status: http.StatusOK},
		{Method: "POST", Route: "/oauth/token", Path: "/oauth/token", Status: http.StatusOK},
		{Method: "GET", Route: "/shops", Path: "/shops", Status: http.StatusInternalServerError, Fault: leatsandbox.FaultServerError},
	}
	got := l.server.Sandbox.Requests()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(got), len(want), got)
	}
	for i, record := range got {
		timing := record.Started.Before(before) || record.Ended.Before(record.Started) || record.Ended.After(time.Now())
		record.Started, record.Ended = time.Time{}, time.Time{}
		if record != want[i] || timing {
			t.Errorf("record %d: %+v, want %+v within the test's time", i, got[i], want[i])
		}
	}

	listed := l.call("GET", "/_sandbox/requests", nil)
	if listed.status != http.StatusOK || len(listed.list("requests")) != len(want) || listed.str("requests.1.route") != "/reward-receptions" {
		t.Fatalf("GET /_sandbox/requests: %d %s", listed.status, listed.raw)
	}
	if cleared := l.call("DELETE", "/_sandbox/requests", nil); cleared.status != http.StatusOK || len(l.server.Sandbox.Requests()) != 0 {
		t.Fatalf("DELETE /_sandbox/requests: %d %s", cleared.status, cleared.raw)
	}
}

func TestCriticalPath(t *testing.T) {
	at := func(start, end int) leatsandbox.RequestRecord {
		base := time.Unix(0, 0)
		return leatsandbox.RequestRecord{Started: base.Add(time.Duration(start)), Ended: base.Add(time.Duration(end))}
	}
	tests := []struct {
		name     string
		requests []leatsandbox.RequestRecord
		want     int
	}{
		{"none", nil, 0},
		{"together", []leatsandbox.RequestRecord{at(0, 10), at(1, 9), at(2, 12)}, 1},
		{"one after another", []leatsandbox.RequestRecord{at(20, 30), at(0, 10), at(10, 20)}, 3},
		{"reads, then two writes together", []leatsandbox.RequestRecord{at(0, 10), at(0, 8), at(11, 20), at(12, 19)}, 2},
	}
	for _, tt := range tests {
		if got := leatsandbox.CriticalPath(tt.requests); got != tt.want {
			t.Errorf("%s: %d round trips, want %d", tt.name, got, tt.want)
		}
	}
}
