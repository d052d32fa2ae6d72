package leatsandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/infra/leatsandbox/sandboxtest"
)

const apiRoot = "/api/v3/oauth/clients"

// unknownUUID names nothing in the sandbox.
const unknownUUID = "00000000-0000-4000-8000-000000000000"

// leat is a bare HTTP client for the sandbox: the tests speak the wire contract, not a Go client.
type leat struct {
	t      *testing.T
	server *sandboxtest.Server
	seed   leatsandbox.Seed
	token  string
	http   *http.Client
}

func start(t *testing.T) *leat {
	t.Helper()
	server := sandboxtest.Start(t)
	return &leat{t: t, server: server, seed: server.Sandbox.Seed(), token: server.Token,
		http: &http.Client{Timeout: 10 * time.Second}}
}

// with is the same client reporting to another (sub)test.
func (l *leat) with(t *testing.T) *leat {
	c := *l
	c.t = t
	return &c
}

// withToken is the same client sending another bearer token ("" for none).
func (l *leat) withToken(t *testing.T, token string) *leat {
	c := l.with(t)
	c.token = token
	return c
}

// answer is a decoded response; numbers stay json.Number so amounts compare exactly.
type answer struct {
	t      *testing.T
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// call sends body as JSON (nil for none) to a path under the API root, or to an absolute path ("/oauth/…",
// "/_sandbox/…").
func (l *leat) call(method, path string, body any) answer {
	l.t.Helper()
	var reader io.Reader
	contentType := ""
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			l.t.Fatal(err)
		}
		reader, contentType = bytes.NewReader(raw), "application/json"
	}
	return l.send(method, path, reader, contentType)
}

func (l *leat) form(method, path string, values url.Values) answer {
	l.t.Helper()
	return l.send(method, path, strings.NewReader(values.Encode()), "application/x-www-form-urlencoded")
}

func (l *leat) multipart(method, path string, values map[string]string) answer {
	l.t.Helper()
	var buf bytes.Buffer
	writer := multipart.NewWriter(&buf)
	for key, value := range values {
		if err := writer.WriteField(key, value); err != nil {
			l.t.Fatal(err)
		}
	}
	if err := writer.Close(); err != nil {
		l.t.Fatal(err)
	}
	return l.send(method, path, &buf, writer.FormDataContentType())
}

func (l *leat) send(method, path string, body io.Reader, contentType string) answer {
	l.t.Helper()
	response, err := l.http.Do(l.request(method, path, body, contentType))
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	if err != nil {
		l.t.Fatal(err)
	}
	a := answer{t: l.t, status: response.StatusCode, header: response.Header, raw: raw}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	if err := decoder.Decode(&a.body); err != nil {
		l.t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, raw)
	}
	return a
}

func (l *leat) request(method, path string, body io.Reader, contentType string) *http.Request {
	l.t.Helper()
	if !strings.HasPrefix(path, "/oauth/") && !strings.HasPrefix(path, "/_sandbox/") {
		path = apiRoot + path
	}
	req, err := http.NewRequest(method, l.server.URL+path, body)
	if err != nil {
		l.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if l.token != "" {
		req.Header.Set("Authorization", "Bearer "+l.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// ok asserts a successful Leat answer and returns it.
func (a answer) ok() answer {
	a.t.Helper()
	if a.status != http.StatusOK && a.status != http.StatusCreated {
		a.t.Fatalf("want success, got %d: %s", a.status, a.raw)
	}
	return a
}

// fails asserts a Leat error with the given code.
func (a answer) fails(code int) answer {
	a.t.Helper()
	if a.status != http.StatusBadRequest || a.int("code") != int64(code) || a.int("status_code") != 400 {
		a.t.Fatalf("want HTTP 400 with code %d, got %d: %s", code, a.status, a.raw)
	}
	return a
}

// invalid asserts a 1003 validation error naming field.
func (a answer) invalid(field string) answer {
	a.t.Helper()
	a.fails(1003)
	if _, ok := a.get("errors").(map[string]any)[field]; !ok {
		a.t.Fatalf("want a validation error on %q: %s", field, a.raw)
	}
	return a
}

// get walks a dotted path ("data.contact.uuid", "data.0.uuid") through the body.
func (a answer) get(path string) any {
	a.t.Helper()
	var node any = a.body
	for _, key := range strings.Split(path, ".") {
		switch n := node.(type) {
		case map[string]any:
			var ok bool
			if node, ok = n[key]; !ok {
				a.t.Fatalf("no %q in %s", path, a.raw)
			}
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(n) {
				a.t.Fatalf("no %q in %s", path, a.raw)
			}
			node = n[i]
		default:
			a.t.Fatalf("no %q in %s", path, a.raw)
		}
	}
	return node
}

func (a answer) str(path string) string {
	a.t.Helper()
	s, ok := a.get(path).(string)
	if !ok {
		a.t.Fatalf("%s is not a string in %s", path, a.raw)
	}
	return s
}

func (a answer) int(path string) int64 {
	a.t.Helper()
	n, ok := a.get(path).(json.Number)
	if !ok {
		a.t.Fatalf("%s is not a number in %s", path, a.raw)
	}
	i, err := n.Int64()
	if err != nil {
		a.t.Fatalf("%s is not an integer in %s", path, a.raw)
	}
	return i
}

func (a answer) list(path string) []any {
	a.t.Helper()
	l, ok := a.get(path).([]any)
	if !ok {
		a.t.Fatalf("%s is not a list in %s", path, a.raw)
	}
	return l
}

// pick returns the first seed record that matches, so tests name what they need instead of seed values.
func pick[T any](t *testing.T, what string, records []T, match func(T) bool) T {
	t.Helper()
	for _, r := range records {
		if match(r) {
			return r
		}
	}
	t.Fatalf("seed.json has no %s", what)
	var zero T
	return zero
}

func (l *leat) shop() leatsandbox.SeedShop {
	return l.seed.Shops[0]
}

// richContact is the contact with the most points.
func (l *leat) richContact() leatsandbox.SeedContact {
	richest := l.seed.Contacts[0]
	for _, c := range l.seed.Contacts {
		if c.Points > richest.Points {
			richest = c
		}
	}
	return richest
}

func (l *leat) contactByEmail(email string) leatsandbox.SeedContact {
	l.t.Helper()
	return pick(l.t, "contact "+email, l.seed.Contacts, func(c leatsandbox.SeedContact) bool { return c.Email == email })
}

func (l *leat) points(contactUUID string) int64 {
	l.t.Helper()
	return l.call("GET", "/contacts/"+contactUUID+"/credit-balance", nil).ok().int("data.balance")
}

func (l *leat) prepaidBalance(contactUUID string) int64 {
	l.t.Helper()
	return l.call("GET", "/contacts/"+contactUUID+"/prepaid-balance", nil).ok().int("data.balance_in_cents")
}

func (l *leat) giftcardBalance(uuid string) int64 {
	l.t.Helper()
	return l.call("GET", "/giftcards/"+uuid, nil).ok().int("data.amount_in_cents")
}

func (l *leat) advance(d time.Duration) {
	l.server.Sandbox.Clock().Advance(d)
}

func parseTime(t *testing.T, value string) time.Time {
	t.Helper()
	parsed, err := time.Parse(time.RFC3339, value)
	if err != nil {
		t.Fatalf("bad timestamp %q: %v", value, err)
	}
	if !strings.HasSuffix(value, "+00:00") {
		t.Fatalf("timestamp %q is not UTC with +00:00", value)
	}
	return parsed
}
