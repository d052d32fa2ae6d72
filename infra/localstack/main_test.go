package localstack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/leatpos/gateway/infra/ddblocal"
	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/shared/logging"
)

// The whole stack runs once for the package: API tests go through the
// emulated API Gateway, the real handlers, DynamoDB Local and the sandbox.
var (
	stack   *localstack.Stack
	openAPI validator.Validator
)

func TestMain(m *testing.M) {
	endpoint := os.Getenv(ddblocal.EndpointEnv)
	if endpoint == "" {
		fmt.Fprintln(os.Stderr, ddblocal.EndpointEnv+" is not set: run the API tests with `make test`, which starts DynamoDB Local")
		if os.Getenv("CI") != "" {
			os.Exit(1)
		}
		os.Exit(0)
	}
	flag.Parse()
	runs, err := startVariantRuns()
	if err != nil {
		fmt.Fprintln(os.Stderr, "variant runs:", err)
		os.Exit(1)
	}
	opts := localstack.Options{
		DynamoDBEndpoint: endpoint, TableName: fmt.Sprintf("api-test-%d", time.Now().UnixNano()),
		// Retries at once, and a lost Leat answer given up on within a second.
		SkipDelays: true, LeatAttemptTimeout: time.Second,
	}
	if restarting() {
		opts = restartsOptions(opts)
	}
	logs, err := os.CreateTemp("", "localstack-test-*.log")
	if err != nil {
		fmt.Fprintln(os.Stderr, "logs:", err)
		stopVariantRuns(runs)
		os.Exit(1)
	}
	opts.Logger = logging.New(logs, slog.LevelInfo)
	stack, err = localstack.Start(context.Background(), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "local stack:", err)
		stopVariantRuns(runs)
		os.Exit(1)
	}
	if openAPI, err = loadOpenAPI(); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		stopVariantRuns(runs)
		os.Exit(1)
	}
	code := m.Run()
	secrets := append(stack.Sandbox.ContactEmails(), stack.POSKey, stack.BackofficeKey, stack.OpsKey, stack.LeatAPIToken)
	_ = stack.Close()
	if code == 0 && !logsKeep(logs, secrets) {
		code = 1
	}
	if !waitVariantRuns(runs) && code == 0 {
		code = 1
	}
	if restarts, err := startRestartsRun(); err != nil {
		fmt.Println("the restarts run:", err)
		code = 1
	} else if restarts != nil && !waitVariantRuns([]*variantRun{restarts}) && code == 0 {
		code = 1
	}
	if code == 0 && os.Getenv(keepLogsEnv) == "" {
		_ = os.Remove(logs.Name())
	} else {
		fmt.Printf("the stack's logs are kept in %s\n", logs.Name())
	}
	os.Exit(code)
}

// keepLogsEnv keeps the stack's logs of a run that passed, for reading.
const keepLogsEnv = "LOCALSTACK_TEST_KEEP_LOGS"

// logsKeep reads the whole run's logs, every function's, the engine's and
// the sandbox's, and reports whether none of them holds a customer's email
// address or a key; it prints each line that does.
func logsKeep(logs *os.File, secrets []string) bool {
	raw, err := os.ReadFile(logs.Name())
	if err != nil {
		fmt.Println("logs:", err)
		return false
	}
	if len(raw) == 0 {
		fmt.Println("logs: the stack logged nothing, so they prove nothing")
		return false
	}
	clean := true
	for line := range bytes.Lines(raw) {
		for _, secret := range secrets {
			if secret != "" && bytes.Contains(line, []byte(secret)) {
				fmt.Printf("FAIL: a log line holds %q: %s", secret, line)
				clean = false
			}
		}
	}
	return clean
}

func loadOpenAPI() (validator.Validator, error) {
	file, err := repo.Path("docs", "openapi.yaml")
	if err != nil {
		return nil, err
	}
	spec, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%v", errs)
	}
	if ok, problems := v.ValidateDocument(); !ok {
		return nil, fmt.Errorf("the document itself is invalid: %v", problems[0])
	}
	return v, nil
}

// answer is a response read in full.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
	// Mismatches lists where the answer departs from the OpenAPI document.
	Mismatches []string
	// Took is from sending the request to reading the whole answer.
	Took time.Duration
}

func (a answer) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(a.Body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %s", a.Body)
	}
	return v
}

// problemCode reads a problem+json answer's code.
func (a answer) problemCode(t testing.TB) string {
	t.Helper()
	if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, a.Body)
	}
	code, _ := a.json(t)["code"].(string)
	return code
}

// request describes one call; Key defaults to the POS key.
type request struct {
	Method, Path string
	Key          string
	Body         string
	Headers      map[string]string
	// NoKey sends no Authorization header at all.
	NoKey bool
	// Undocumented marks a request to a route the API does not have, whose
	// answer the OpenAPI document cannot describe.
	Undocumented bool
}

var keySeq atomic.Int64

// newIdempotencyKey gives each POST its own key unless a test reuses one on purpose.
func newIdempotencyKey() string {
	return fmt.Sprintf("test-%d-%d", time.Now().UnixNano(), keySeq.Add(1))
}

// call sends the request and checks the answer against the OpenAPI document.
func call(t testing.TB, r request) answer {
	t.Helper()
	a, err := exchange(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, mismatch := range a.Mismatches {
		t.Errorf("%s %s → %d does not match the OpenAPI document: %s", r.Method, r.Path, a.Status, mismatch)
	}
	return a
}

// exchange sends the request and reads the answer in full; it does not touch
// a testing.T, so a test may run it on another goroutine.
func exchange(r request) (answer, error) {
	var body io.Reader
	if r.Body != "" {
		body = strings.NewReader(r.Body)
	}
	req, err := http.NewRequest(r.Method, stack.GatewayURL+r.Path, body)
	if err != nil {
		return answer{}, err
	}
	if r.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if !r.NoKey {
		req.Header.Set("Authorization", "Bearer "+cmpOr(r.Key, stack.POSKey))
	}
	if r.Method == http.MethodPost {
		req.Header.Set("Idempotency-Key", newIdempotencyKey())
	}
	for k, v := range r.Headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	began := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{Status: resp.StatusCode, Header: resp.Header, Body: raw, Took: time.Since(began)}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	if ok, problems := openAPI.ValidateHttpResponse(req, resp); !ok && !r.Undocumented {
		for _, p := range problems {
			a.Mismatches = append(a.Mismatches, p.Message+" "+p.Reason)
			for _, se := range p.SchemaValidationErrors {
				a.Mismatches = append(a.Mismatches, se.FieldPath+": "+se.Reason)
			}
		}
	}
	return a, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func seed() leatsandbox.Seed { return stack.Sandbox.Seed() }

// card finds a seeded loyalty card.
func card(t testing.TB, match func(leatsandbox.SeedLoyaltyCard) bool) leatsandbox.SeedLoyaltyCard {
	t.Helper()
	i := slices.IndexFunc(seed().LoyaltyCards, match)
	if i < 0 {
		t.Fatal("no such card in the seed")
	}
	return seed().LoyaltyCards[i]
}

func contactByEmail(t testing.TB, email string) leatsandbox.SeedContact {
	t.Helper()
	i := slices.IndexFunc(seed().Contacts, func(c leatsandbox.SeedContact) bool { return c.Email == email })
	if i < 0 {
		t.Fatalf("no contact %s in the seed", email)
	}
	return seed().Contacts[i]
}

// richest is the seeded contact with the most points.
func richest(t testing.TB) leatsandbox.SeedContact {
	t.Helper()
	return slices.MaxFunc(seed().Contacts, func(a, b leatsandbox.SeedContact) int { return int(a.Points - b.Points) })
}
