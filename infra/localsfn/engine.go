package localsfn

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// Options configure an Engine. The zero value is ready to use.
type Options struct {
	// Addr is the address the Step Functions API listens on. Default: a free port on 127.0.0.1.
	Addr string
	// Region and AccountID appear in every ARN the engine hands out. Defaults: us-east-1 and 123456789012.
	Region    string
	AccountID string
	// SkipDelays makes Wait states and Retry intervals take no time, for tests. By default they wait as on AWS.
	SkipDelays bool
	// RetryInterval, with SkipDelays, is how long every Retry waits instead of none: enough for a test whose
	// faults last a while (a restarted database) to see retries outlast them, without AWS's backoff.
	RetryInterval time.Duration
	// Node is the Node.js executable. Default: "node" from PATH.
	Node string
	// RunnerDir is the directory holding run.mjs. Default: infra/localsfn/runner in the repository that holds
	// the working directory.
	RunnerDir string
	// Logger receives structured logs. Default: JSON on standard error.
	Logger *slog.Logger
}

// ErrInterpreterUnavailable means Node.js or the npm packages the runner needs are missing.
var ErrInterpreterUnavailable = errors.New("local Step Functions interpreter unavailable")

// Engine is a local Step Functions service. Create it with New and release it with Close.
type Engine struct {
	region, account string
	skipDelays      bool
	retryInterval   time.Duration
	runner          *runner
	log             *slog.Logger
	listener        net.Listener
	server          *http.Server
	tokens          *taskTokens

	mu             sync.Mutex
	closed         bool
	functions      map[string]any
	machines       map[string]*stateMachine // by ARN
	executions     map[string]*execution    // by ARN
	startedCount   int64
	executionsDone sync.WaitGroup
}

// New starts an engine whose Step Functions API is served at URL.
func New(opts Options) (*Engine, error) {
	r, err := findRunner(opts.Node, opts.RunnerDir)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		region:        valueOr(opts.Region, "us-east-1"),
		account:       valueOr(opts.AccountID, "123456789012"),
		skipDelays:    opts.SkipDelays,
		retryInterval: opts.RetryInterval,
		runner:        r,
		log:           opts.Logger,
		tokens:        newTaskTokens(),
		functions:     map[string]any{},
		machines:      map[string]*stateMachine{},
		executions:    map[string]*execution{},
	}
	if e.log == nil {
		e.log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	e.listener, err = net.Listen("tcp", valueOr(opts.Addr, "127.0.0.1:0"))
	if err != nil {
		return nil, fmt.Errorf("listen for the Step Functions API: %w", err)
	}
	e.server = &http.Server{Handler: e.apiHandler(), ReadHeaderTimeout: 10 * time.Second}
	go e.server.Serve(e.listener)
	e.log.Info("local Step Functions API listening", "url", e.URL())
	return e, nil
}

// URL is the endpoint to give the sfn client as BaseEndpoint.
func (e *Engine) URL() string {
	return "http://" + e.listener.Addr().String()
}

// Close stops every running execution, kills the runner process and shuts the API down. Closing again does
// nothing.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	running := make([]*execution, 0, len(e.executions))
	for _, x := range e.executions {
		running = append(running, x)
	}
	e.mu.Unlock()

	for _, x := range running {
		x.abort("Engine.Closed", "the local Step Functions engine was closed")
	}
	e.runner.close()
	e.executionsDone.Wait()
	return e.server.Shutdown(context.Background())
}

// RegisterFunction makes handler, which may have any shape aws-lambda-go's lambda.Start accepts, callable as the
// Lambda function name: by its ARN (with or without a qualifier) in a Task's Resource, and as FunctionName of
// arn:aws:states:::lambda:invoke.
func (e *Engine) RegisterFunction(name string, handler any) error {
	if name == "" || handler == nil {
		return errors.New("register function: a name and a handler are required")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, taken := e.functions[name]; taken {
		return fmt.Errorf("register function: %q is already registered", name)
	}
	e.functions[name] = handler
	return nil
}

// RegisterStateMachine registers an ASL definition under name, after replacing its ${Placeholder}s with
// substitutions as SAM's DefinitionSubstitutions do at deploy time, and returns the state machine's ARN.
// Like CreateStateMachine it rejects invalid definitions, and also the few features the local engine lacks.
func (e *Engine) RegisterStateMachine(name string, definition []byte, substitutions map[string]string) (string, error) {
	arn := e.arn("stateMachine", name)
	m, err := newStateMachine(name, arn, definition, substitutions)
	if err != nil {
		return "", fmt.Errorf("register state machine %q: %w", name, err)
	}
	if err := e.runner.validate(m.definition); err != nil {
		return "", fmt.Errorf("register state machine %q: %w", name, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, taken := e.machines[arn]; taken {
		return "", fmt.Errorf("register state machine %q: already registered", name)
	}
	e.machines[arn] = m
	return arn, nil
}

// RegisterStateMachineFile is RegisterStateMachine with the definition read from a file.
func (e *Engine) RegisterStateMachineFile(name, path string, substitutions map[string]string) (string, error) {
	definition, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("register state machine %q: %w", name, err)
	}
	return e.RegisterStateMachine(name, definition, substitutions)
}

// arn builds an ARN of the Step Functions service in the engine's region and account.
func (e *Engine) arn(resourceType string, names ...string) string {
	arn := fmt.Sprintf("arn:aws:states:%s:%s:%s", e.region, e.account, resourceType)
	for _, name := range names {
		arn += ":" + name
	}
	return arn
}

func valueOr(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

// newUUID returns a random (version 4) UUID, the form AWS gives execution names and request IDs.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// StateMachineARN is the ARN the state machine registered under name has, or will have.
func (e *Engine) StateMachineARN(name string) string {
	return e.arn("stateMachine", name)
}
