package leatsandbox_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestControlAPI(t *testing.T) {
	l := start(t)

	added := l.send("POST", "/_sandbox/faults", strings.NewReader("server_error GET /shops x1"), "text/plain")
	if added.status != http.StatusCreated || len(added.list("faults")) != 1 {
		t.Fatalf("add fault: %d %s", added.status, added.raw)
	}
	if a := l.call("GET", "/shops", nil); a.status != http.StatusInternalServerError {
		t.Fatalf("fault did not fire: %d", a.status)
	}
	l.call("GET", "/shops", nil).ok()

	l.call("POST", "/_sandbox/faults", map[string]any{"kind": "maintenance"})
	if cleared := l.call("DELETE", "/_sandbox/faults", nil); cleared.status != http.StatusOK {
		t.Fatalf("clear: %s", cleared.raw)
	}
	l.call("GET", "/shops", nil).ok()
	if bad := l.send("POST", "/_sandbox/faults", strings.NewReader("flood"), "text/plain"); bad.status != http.StatusBadRequest {
		t.Fatalf("bad fault accepted: %s", bad.raw)
	}

	before := parseTime(t, l.call("GET", "/_sandbox/clock", nil).str("now"))
	after := parseTime(t, l.call("POST", "/_sandbox/clock", map[string]any{"advance_seconds": 3600}).str("now"))
	if after.Sub(before) < time.Hour {
		t.Fatalf("clock moved %v", after.Sub(before))
	}

	contact := l.richContact()
	l.claim(contact.UUID, l.plainReward().UUID).ok()
	if reset := l.call("POST", "/_sandbox/reset", nil); reset.status != http.StatusOK {
		t.Fatalf("reset: %s", reset.raw)
	}
	if l.points(contact.UUID) != contact.Points {
		t.Fatal("reset did not restore the seed")
	}

	if a := l.withToken(t, "").call("POST", "/_sandbox/reset", nil); a.status != http.StatusUnauthorized {
		t.Fatalf("control without token: %d", a.status)
	}
}
