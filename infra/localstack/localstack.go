// Package localstack runs the whole gateway on localhost with no AWS account:
// DynamoDB Local with the template's table, the Leat sandbox (or a real Leat
// account), the emulated API Gateway in front of the functions' own handlers,
// and a demo tenant with one API key per scope.
package localstack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/leatpos/gateway/infra/apigw"
	"github.com/leatpos/gateway/infra/ddblocal"
	"github.com/leatpos/gateway/infra/leatsandbox"
	"github.com/leatpos/gateway/infra/localsfn"
	"github.com/leatpos/gateway/infra/pos"
	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/infra/samtemplate"
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/bootstrap"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/ledger"
	"github.com/leatpos/gateway/shared/tenancy"
)

// Options choose what the stack starts and what it reuses.
type Options struct {
	// GatewayAddr is where the API listens; empty picks a free loopback port.
	GatewayAddr string
	// SandboxAddr is where the Leat sandbox listens; empty picks a free port.
	SandboxAddr string
	// DynamoDBEndpoint reuses a running DynamoDB Local; empty starts one.
	DynamoDBEndpoint string
	// TableName defaults to "leat-pos-gateway-local".
	TableName string
	// StepFunctionsAddr is where the Step Functions API listens; empty picks a free port.
	StepFunctionsAddr string
	// LeatAPIURL and LeatAPIToken point the stack at a real Leat account
	// instead of the sandbox.
	LeatAPIURL, LeatAPIToken string
	// LeatAccountSecret and LeatPortalURL, with a real Leat, sign and host
	// the demo tenant's receipt claim links; the sandbox has its own.
	LeatAccountSecret, LeatPortalURL string
	// LeatAttemptTimeout bounds one call to Leat; zero means the functions' default.
	LeatAttemptTimeout time.Duration
	// SkipDelays makes the state machines' Retry intervals and Wait states
	// take no time, for tests.
	SkipDelays bool
	// RetryInterval, with SkipDelays, is how long each Retry waits instead.
	RetryInterval time.Duration
	// DynamoDBOnDisk keeps the data of the DynamoDB Local the stack starts
	// on disk, so RestartDynamoDB loses nothing.
	DynamoDBOnDisk bool
	// StepLease is how long a saga step's intent keeps other invocations
	// from reconciling it, IdempotencyLease how long a request holds its
	// Idempotency-Key; zero means the functions' defaults.
	StepLease, IdempotencyLease time.Duration
	// Crashes, when set, kills a share of the sagas' step invocations
	// between a Leat write's intent and its result.
	Crashes *Crashes
	Logger  *slog.Logger
}

// Stack is a running local gateway.
type Stack struct {
	GatewayURL    string
	POSKey        string
	BackofficeKey string
	OpsKey        string
	LeatAPIURL    string
	LeatAPIToken  string
	// StepFunctionsURL is the local Step Functions API, running the
	// template's state machines.
	StepFunctionsURL string
	// Sandbox is the Leat sandbox, nil when the stack talks to a real Leat.
	Sandbox *leatsandbox.Sandbox
	// Tenant is the demo tenant the keys belong to.
	Tenant tenancy.Tenant
	// Directory holds tenants and keys, for tools and tests that add more.
	Directory tenancy.Directory
	// Ledger holds the checkouts, for tests that play a crashed function.
	Ledger ledger.Store
	// EventSink holds the events the sagas published.
	EventSink *EventSink

	leatAccountSecret, leatPortalURL string

	crashes *Crashes
	// db is the DynamoDB Local the stack started, nil when it reuses one.
	db *ddblocal.Server
	// Usage counts the functions' invocations and AWS calls.
	Usage *Usage
	// sandboxServer serves the sandbox, so it can be restarted.
	sandboxServer *server

	stops []func() error
}

// DemoTenant is the tenant the local stack creates.
const DemoTenant tenancy.TenantID = "demo"

// Start brings the stack up; Close takes it down again.
func Start(ctx context.Context, opts Options) (s *Stack, err error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.TableName == "" {
		opts.TableName = "leat-pos-gateway-local"
	}
	// A start that fails stops what it had started; s is nil by then.
	started := &Stack{}
	s = started
	defer func() {
		if err != nil {
			_ = started.Close()
		}
	}()
	templateFile, err := repo.Path("template.yaml")
	if err != nil {
		return nil, err
	}
	tmpl, err := samtemplate.Load(templateFile)
	if err != nil {
		return nil, err
	}
	endpoint, err := s.dynamoDB(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := s.leat(opts); err != nil {
		return nil, err
	}
	awsCfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
	envOpts := []app.Option{app.WithLeatAccounts(leat.SchemeResolver{"env": leat.EnvAccounts(s.leatEnv)}), app.WithLeases(opts.StepLease, opts.IdempotencyLease)}
	s.Usage = newUsage()
	var awsCalls http.RoundTripper = http.DefaultTransport
	if opts.Crashes != nil {
		awsCalls = awsTransport{next: awsCalls}
		envOpts = append(envOpts, app.WithLeatHTTPClient(&http.Client{Transport: leatTransport{next: http.DefaultTransport}}))
	}
	awsCfg.HTTPClient = &http.Client{Transport: countedTransport{usage: s.Usage, next: awsCalls}}
	client := dynamodb.NewClient(awsCfg, endpoint)
	if err := ddblocal.CreateTable(ctx, client, opts.TableName, tmpl.Tables[0]); err != nil {
		return nil, err
	}
	engine, err := localsfn.New(localsfn.Options{
		Addr: opts.StepFunctionsAddr, Region: apigw.Region, AccountID: apigw.AccountID,
		SkipDelays: opts.SkipDelays, RetryInterval: opts.RetryInterval, Logger: opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, engine.Close)
	s.StepFunctionsURL = engine.URL()
	s.EventSink = &EventSink{log: opts.Logger.With("component", "eventbridge")}
	eventsURL, err := s.serve("", s.EventSink)
	if err != nil {
		return nil, err
	}
	cfg := bootstrap.Config{
		TableName: opts.TableName, DynamoDBEndpoint: endpoint, LogLevel: slog.LevelInfo,
		LeatAttemptTimeout:      cmp.Or(opts.LeatAttemptTimeout, 4*time.Second),
		CheckoutStateMachineARN: engine.StateMachineARN(checkoutStateMachine), ReturnStateMachineARN: engine.StateMachineARN(returnStateMachine),
		StepFunctionsEndpoint: engine.URL(),
		EventBusName:          eventBusName, EventBridgeEndpoint: eventsURL,
	}
	container, err := bootstrap.NewContainer(cfg, awsCfg, opts.Logger)
	if err != nil {
		return nil, err
	}
	env := app.NewEnv(container, envOpts...)
	s.Directory = env.Directory()
	table, err := dynamodb.NewTable(client, opts.TableName)
	if err != nil {
		return nil, err
	}
	s.Ledger = dynamodb.NewLedgerStore(table)
	if err := s.provision(ctx, s.Directory); err != nil {
		return nil, err
	}
	handlers := map[string]any{}
	for name, build := range ContainerFunctions() {
		if handlers[name], err = build(container); err != nil {
			return nil, fmt.Errorf("localstack: build %s: %w", name, err)
		}
	}
	for name, build := range Functions() {
		if handlers[name], err = build(env); err != nil {
			return nil, fmt.Errorf("localstack: build %s: %w", name, err)
		}
	}
	if s.crashes = opts.Crashes; s.crashes != nil {
		for name, h := range handlers {
			handlers[name] = opts.Crashes.wrap(name, h)
		}
	}
	for name, h := range handlers {
		handlers[name] = s.Usage.wrap(name, h)
	}
	if err := s.stepFunctions(engine, opts, tmpl, handlers); err != nil {
		return nil, err
	}
	gateway, err := apigw.New(tmpl, handlers, opts.Logger)
	if err != nil {
		return nil, err
	}
	site, err := pos.Handler()
	if err != nil {
		return nil, fmt.Errorf("localstack: the reference POS (run npm ci in infra): %w", err)
	}
	// The reference POS shares the API's origin; API Gateway answers every
	// /v1 path, as it would in AWS.
	front := http.NewServeMux()
	front.Handle("/v1/", gateway)
	front.Handle("/", site)
	if s.GatewayURL, err = s.serve(opts.GatewayAddr, front); err != nil {
		return nil, err
	}
	return s, nil
}

// eventBusName is the local stack's event bus.
const eventBusName = "leat-pos-gateway-local"

// checkoutStateMachine and returnStateMachine are the sagas' logical ids in
// template.yaml, which the local engine names them by.
const (
	checkoutStateMachine = "CheckoutStateMachine"
	returnStateMachine   = "ReturnStateMachine"
)

// stepFunctions runs the template's state machines on the local engine, with
// every function's handler in-process and the template's substitutions
// resolved to the local resources.
func (s *Stack) stepFunctions(engine *localsfn.Engine, opts Options, tmpl *samtemplate.Template, handlers map[string]any) (err error) {
	for name, h := range handlers {
		if err := engine.RegisterFunction(name, h); err != nil {
			return err
		}
	}
	for _, sm := range tmpl.StateMachines {
		subs := map[string]string{}
		for key, v := range sm.Substitutions {
			if subs[key], err = resolve(tmpl, v, opts.TableName); err != nil {
				return fmt.Errorf("localstack: %s substitution %s: %w", sm.LogicalID, key, err)
			}
		}
		file, err := repo.Path(sm.DefinitionURI)
		if err != nil {
			return err
		}
		if _, err := engine.RegisterStateMachineFile(sm.LogicalID, file, subs); err != nil {
			return err
		}
	}
	return nil
}

// resolve gives a template value its local meaning: a function's ARN for
// !GetAtt Function.Arn, the table's name for !Ref of the table, a literal as is.
func resolve(tmpl *samtemplate.Template, v samtemplate.Value, tableName string) (string, error) {
	switch v.Intrinsic {
	case "":
		return v.Text, nil
	case "GetAtt":
		logicalID, attr, _ := strings.Cut(v.Text, ".")
		if fn, ok := tmpl.Function(logicalID); ok && attr == "Arn" {
			return apigw.FunctionARN(fn.Name), nil
		}
	case "Ref":
		for _, t := range tmpl.Tables {
			if t.LogicalID == v.Text {
				return tableName, nil
			}
		}
	}
	return "", fmt.Errorf("!%s %s has no local meaning", v.Intrinsic, v.Text)
}

func (s *Stack) dynamoDB(ctx context.Context, opts Options) (string, error) {
	if opts.DynamoDBEndpoint != "" {
		return opts.DynamoDBEndpoint, nil
	}
	start := ddblocal.Start
	if opts.DynamoDBOnDisk {
		dataDir, err := os.MkdirTemp("", "dynamodb-local-data-")
		if err != nil {
			return "", err
		}
		s.stops = append(s.stops, func() error { return os.RemoveAll(dataDir) })
		start = func(ctx context.Context, logs io.Writer) (*ddblocal.Server, error) {
			return ddblocal.StartOnDisk(ctx, dataDir, logs)
		}
	}
	db, err := start(ctx, nil)
	if err != nil {
		return "", err
	}
	s.db = db
	s.stops = append(s.stops, db.Stop)
	return db.Endpoint, nil
}

// Crashes is the stack's crash injection, nil unless Options set it.
func (s *Stack) Crashes() *Crashes { return s.crashes }

// RestartDynamoDB stops the stack's DynamoDB Local and starts it again on
// the same endpoint; requests in between fail as they would against a
// database that went away. Only a stack started with DynamoDBOnDisk can.
func (s *Stack) RestartDynamoDB(ctx context.Context) error {
	if s.db == nil {
		return errors.New("localstack: this stack reuses a DynamoDB Local it cannot restart")
	}
	return s.db.Restart(ctx)
}

// RestartSandbox takes the Leat sandbox off the network for downtime,
// dropping the requests it is serving, and serves it again on the same
// address with everything it held, as a restarted Leat front end would.
func (s *Stack) RestartSandbox(downtime time.Duration) error {
	if s.sandboxServer == nil {
		return errors.New("localstack: this stack talks to a real Leat")
	}
	return s.sandboxServer.restart(downtime)
}

// LeatConnections counts the connections the gateway opened to the sandbox
// so far; 0 when the stack talks to a real Leat.
func (s *Stack) LeatConnections() int64 {
	if s.sandboxServer == nil {
		return 0
	}
	return s.sandboxServer.opened.Load()
}

func (s *Stack) leat(opts Options) error {
	if opts.LeatAPIURL != "" || opts.LeatAPIToken != "" {
		if opts.LeatAPIURL == "" || opts.LeatAPIToken == "" {
			return errors.New("localstack: a real Leat needs both LEAT_API_URL and LEAT_API_TOKEN")
		}
		s.LeatAPIURL, s.LeatAPIToken = opts.LeatAPIURL, opts.LeatAPIToken
		s.leatAccountSecret, s.leatPortalURL = opts.LeatAccountSecret, opts.LeatPortalURL
		return nil
	}
	sandbox, err := leatsandbox.New(leatsandbox.Options{Logger: opts.Logger.With("component", "leat-sandbox")})
	if err != nil {
		return err
	}
	s.sandboxServer, err = s.serveRestartable(opts.SandboxAddr, sandbox)
	if err != nil {
		return err
	}
	url := s.sandboxServer.url
	s.Sandbox, s.LeatAPIURL, s.LeatAPIToken = sandbox, url, sandbox.Token()
	// The sandbox serves the claim page of loyalty token URLs itself.
	s.leatAccountSecret, s.leatPortalURL = sandbox.Seed().Account.AccountSecret, url
	return nil
}

// leatEnv serves the demo tenant's "env:LEAT" credentials reference.
func (s *Stack) leatEnv(name string) string {
	switch name {
	case "LEAT_API_URL":
		return s.LeatAPIURL
	case "LEAT_API_TOKEN":
		return s.LeatAPIToken
	case "LEAT_ACCOUNT_SECRET":
		return s.leatAccountSecret
	}
	return ""
}

// provision creates the demo tenant with one location per Leat shop and a
// key per scope. Keys are new on every start, and only their hashes are stored.
func (s *Stack) provision(ctx context.Context, dir tenancy.Directory) error {
	client, err := leat.New(leat.Config{BaseURL: s.LeatAPIURL, Credentials: leat.PersonalAccessToken(s.LeatAPIToken)})
	if err != nil {
		return err
	}
	shops, err := client.ListShops(ctx)
	if err != nil {
		return fmt.Errorf("localstack: list the Leat account's shops: %w", err)
	}
	if len(shops) == 0 {
		return errors.New("localstack: the Leat account has no shops")
	}
	t := tenancy.Tenant{
		ID: DemoTenant, Name: "Demo tenant", LeatCredentials: "env:LEAT", Currency: "EUR", AttributePrefix: "pos_",
		RewardStrategy: tenancy.RewardRedeemReverse, VoucherStrategy: tenancy.VoucherLockRedeem,
		PortalURL: s.leatPortalURL,
	}
	for i, shop := range shops {
		t.Locations = append(t.Locations, tenancy.Location{ID: tenancy.LocationID(fmt.Sprintf("shop-%d", i+1)), Name: shop.Name, ShopUUID: shop.UUID})
	}
	t.DefaultLocation = t.Locations[0].ID
	err = dir.CreateTenant(ctx, t)
	if errors.Is(err, tenancy.ErrTenantExists) {
		err = dir.UpdateTenant(ctx, t)
	}
	if err != nil {
		return err
	}
	s.Tenant = t
	keys := []struct {
		into      *string
		name      string
		scope     tenancy.Scope
		locations []tenancy.LocationID
	}{
		{&s.POSKey, "demo till", tenancy.ScopePOS, []tenancy.LocationID{t.Locations[0].ID}},
		{&s.BackofficeKey, "demo back office", tenancy.ScopeBackend, nil},
		{&s.OpsKey, "demo operator", tenancy.ScopeOps, nil},
	}
	for _, k := range keys {
		raw, key, err := tenancy.IssueAPIKey(t, k.name, []tenancy.Scope{k.scope}, k.locations, time.Now())
		if err != nil {
			return err
		}
		if err := dir.SaveAPIKey(ctx, key); err != nil {
			return err
		}
		*k.into = raw
	}
	return nil
}

// serve listens on addr (a free loopback port when empty) and returns the base URL.
func (s *Stack) serve(addr string, h http.Handler) (string, error) {
	srv, err := s.serveRestartable(addr, h)
	if err != nil {
		return "", err
	}
	return srv.url, nil
}

// serveRestartable serves h on addr (a free loopback port when empty) until
// the stack closes.
func (s *Stack) serveRestartable(addr string, h http.Handler) (*server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &server{handler: h, url: "http://" + l.Addr().String()}
	srv.start(l)
	s.stops = append(s.stops, srv.stop)
	return srv, nil
}

// server is an HTTP server of the stack that can be taken down and brought
// back on the same address.
type server struct {
	handler http.Handler
	url     string
	// opened counts the connections clients opened to it.
	opened atomic.Int64

	mu  sync.Mutex
	srv *http.Server
}

func (s *server) start(l net.Listener) {
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ConnState: func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.opened.Add(1)
		}
	}}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

func (s *server) stop() error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// restart closes the server at once, connections in flight included, and
// listens again after downtime.
func (s *server) restart(downtime time.Duration) error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if err := srv.Close(); err != nil {
		return err
	}
	time.Sleep(downtime)
	l, err := net.Listen("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		return err
	}
	s.start(l)
	return nil
}

// PrintEnv writes the variables scripts read, one per line.
func (s *Stack) PrintEnv(w io.Writer) {
	fmt.Fprintf(w, "GATEWAY_URL=%s\nPOS_API_KEY=%s\nBACKOFFICE_API_KEY=%s\nOPS_API_KEY=%s\nLEAT_API_URL=%s\nLEAT_API_TOKEN=%s\nSTEPFUNCTIONS_URL=%s\n",
		s.GatewayURL, s.POSKey, s.BackofficeKey, s.OpsKey, s.LeatAPIURL, s.LeatAPIToken, s.StepFunctionsURL)
}

// Close stops everything Start started, newest first.
func (s *Stack) Close() error {
	var errs []error
	for i := len(s.stops) - 1; i >= 0; i-- {
		errs = append(errs, s.stops[i]())
	}
	s.stops = nil
	return errors.Join(errs...)
}
