package logging_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/leatpos/gateway/shared/logging"
)

// TestEmailsAreRedacted: an address in a message, a string or an error
// never reaches the log; the rest of the line does.
func TestEmailsAreRedacted(t *testing.T) {
	var out bytes.Buffer
	log := logging.New(&out, 0)
	log.Info("Leat refused the write",
		"error", errors.New("leat: POST /contacts: The email anna.jansen@example.com has already been taken. (code 1003)"),
		"detail", "sent to friend+gift@mail.example.co.uk", "tenant", "acme")
	line := out.String()
	for _, leaked := range []string{"anna.jansen@example.com", "friend+gift@mail.example.co.uk", "example.com"} {
		if strings.Contains(line, leaked) {
			t.Errorf("the log shows %q: %s", leaked, line)
		}
	}
	if !strings.Contains(line, "<email> has already been taken") || !strings.Contains(line, `"tenant":"acme"`) {
		t.Errorf("the log lost more than the address: %s", line)
	}
}
