package localsfn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/leatpos/gateway/infra/repo"
)

// runner keeps the engine's Node.js process that interprets definitions (runner/run.mjs). Starting one takes
// about a second, so a single process serves every execution and validation of the engine: it is started when
// first needed, and again when the last one has died.
type runner struct {
	node string // the Node.js executable
	dir  string // the directory holding run.mjs and polyfill.mjs

	mu      sync.Mutex
	process *runnerProcess // the latest process started; nil before the first
	closed  bool
}

func findRunner(node, dir string) (*runner, error) {
	node, err := exec.LookPath(valueOr(node, "node"))
	if err != nil {
		return nil, fmt.Errorf("%w: install Node.js 20 or later: %w", ErrInterpreterUnavailable, err)
	}
	if dir == "" {
		if dir, err = repo.Path("infra", "localsfn", "runner"); err != nil {
			return nil, fmt.Errorf("local Step Functions runner: %w", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "run.mjs")); err != nil {
		return nil, fmt.Errorf("local Step Functions runner: %w", err)
	}
	if !resolvable(dir, "aws-local-stepfunctions") {
		return nil, fmt.Errorf("%w: aws-local-stepfunctions is not installed; run `npm ci` in infra", ErrInterpreterUnavailable)
	}
	return &runner{node: node, dir: dir}, nil
}

// resolvable reports whether Node.js would find the npm package from dir: in the node_modules of dir or of
// one of its parents.
func resolvable(dir, npmPackage string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", npmPackage, "package.json")); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// runnerRequest is a line the engine writes. Exec names the execution or validation it is about, and exactly
// one other field is set.
type runnerRequest struct {
	Exec     int64           `json:"exec"`
	Validate json.RawMessage `json:"validate,omitempty"`
	Run      *runRequest     `json:"run,omitempty"`
	Stop     bool            `json:"stop,omitempty"`
}

// runRequest asks a runner to interpret an execution.
type runRequest struct {
	Definition             json.RawMessage  `json:"definition"`
	Input                  json.RawMessage  `json:"input"`
	Context                executionContext `json:"context"`
	TaskStates             []string         `json:"taskStates"`
	WaitTimeOverrides      map[string]int   `json:"waitTimeOverrides,omitempty"`
	RetryIntervalOverrides map[string]int   `json:"retryIntervalOverrides,omitempty"`
}

// executionContext is the part of the context object ($$) that the engine supplies.
type executionContext struct {
	Execution struct {
		ID   string `json:"Id"`
		Name string `json:"Name"`
	} `json:"Execution"`
	StateMachine struct {
		ID   string `json:"Id"`
		Name string `json:"Name"`
	} `json:"StateMachine"`
}

// runnerMessage is one line the runner writes: Exec names what it is about, and exactly one other field is set.
type runnerMessage struct {
	Exec       int64 `json:"exec"`
	Validation *struct {
		Valid  bool   `json:"valid"`
		Errors string `json:"errors"`
	} `json:"validation"`
	Event  *runnerEvent `json:"event"`
	Task   *taskRequest `json:"task"`
	Result *runResult   `json:"result"`
}

// last reports whether the runner is done with the exec the message is about: it writes nothing after a
// validation or a result.
func (m runnerMessage) last() bool {
	return m.Validation != nil || m.Result != nil
}

// taskReply answers a taskRequest with the task's output or its failure.
type taskReply struct {
	Exec    int64           `json:"exec"`
	ID      int64           `json:"id"`
	Output  json.RawMessage `json:"output,omitempty"`
	Failure *failure        `json:"failure,omitempty"`
}

// runnerClient is what a runner process works for: an execution or a validation. The process calls it on the
// goroutine that reads the runner's output, in the order the runner wrote, so it must not block.
type runnerClient interface {
	// receive handles a line about the client.
	receive(p *runnerProcess, message runnerMessage)
	// runnerEnded takes the place of the last line when the process exits before writing it, with the reason.
	runnerEnded(err error)
}

// runnerProcess is one running runner. It exits when killed, and by itself when its stdin closes.
type runnerProcess struct {
	cmd    *exec.Cmd
	kill   context.CancelFunc
	stderr bytes.Buffer
	ended  chan struct{} // closed once the process has exited and its clients have been told

	writing sync.Mutex // serialises lines on stdin
	stdin   io.WriteCloser

	mu       sync.Mutex
	clients  map[int64]runnerClient // by exec; nil once the process has ended
	lastExec int64
	err      error // why the process ended
}

// current returns the running process, starting one if there is none.
func (r *runner) current() (*runnerProcess, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errors.New("the local Step Functions engine is closed")
	}
	if r.process == nil || r.process.hasEnded() {
		p, err := r.start()
		if err != nil {
			return nil, err
		}
		r.process = p
	}
	return r.process, nil
}

// close kills the process and returns once it has exited; nothing starts another.
func (r *runner) close() {
	r.mu.Lock()
	r.closed = true
	p := r.process
	r.mu.Unlock()
	if p != nil {
		p.kill()
		<-p.ended
	}
}

func (r *runner) start() (*runnerProcess, error) {
	ctx, kill := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, r.node, "--import", "./polyfill.mjs", "run.mjs")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "NODE_NO_WARNINGS=1")
	p := &runnerProcess{cmd: cmd, kill: kill, ended: make(chan struct{}), clients: map[int64]runnerClient{}}
	cmd.Stderr = &p.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		kill()
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		kill()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		kill()
		return nil, fmt.Errorf("start the local Step Functions runner: %w", err)
	}
	p.stdin = stdin
	go p.read(stdout)
	return p, nil
}

// read hands every line the runner writes to the client it is about, until the output ends. Then it waits for
// the process to exit and tells the clients it was not done with why.
func (p *runnerProcess) read(stdout io.Reader) {
	decoder := json.NewDecoder(stdout)
	var readErr error
	for {
		var message runnerMessage
		if readErr = decoder.Decode(&message); readErr != nil {
			break
		}
		p.deliver(message)
	}
	if errors.Is(readErr, io.EOF) {
		readErr = nil
	} else {
		p.kill() // the runner can no longer be understood: stop it
	}
	cause := errors.Join(readErr, p.cmd.Wait())
	if cause == nil {
		cause = errors.New("exited")
	}
	err := fmt.Errorf("local Step Functions runner: %w: %s", cause, strings.TrimSpace(p.stderr.String()))
	p.mu.Lock()
	clients := p.clients
	p.clients, p.err = nil, err
	p.mu.Unlock()
	for _, c := range clients {
		c.runnerEnded(err)
	}
	p.kill() // releases the context
	close(p.ended)
}

func (p *runnerProcess) deliver(message runnerMessage) {
	p.mu.Lock()
	c, ok := p.clients[message.Exec]
	if message.last() {
		delete(p.clients, message.Exec)
	}
	p.mu.Unlock()
	if ok {
		c.receive(p, message)
	}
}

func (p *runnerProcess) hasEnded() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clients == nil
}

// open sends the request that starts the runner's work for a new client, and returns the client's exec.
func (p *runnerProcess) open(c runnerClient, request runnerRequest) (int64, error) {
	p.mu.Lock()
	if p.clients == nil {
		defer p.mu.Unlock()
		return 0, p.err
	}
	p.lastExec++
	request.Exec = p.lastExec
	p.clients[request.Exec] = c
	p.mu.Unlock()
	if err := p.send(request); err != nil {
		p.forget(request.Exec)
		return 0, err
	}
	return request.Exec, nil
}

// forget drops a client, so that whatever the runner still writes about it is ignored.
func (p *runnerProcess) forget(exec int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.clients, exec)
}

// stop asks the runner to abort its work for exec, unless it has already finished it. The client keeps its exec
// until the runner's last line about it, which the runner writes for an aborted execution too.
func (p *runnerProcess) stop(exec int64) {
	p.mu.Lock()
	_, working := p.clients[exec]
	p.mu.Unlock()
	if working {
		// A runner that cannot read the request is exiting, which ends its work for exec as well.
		p.send(runnerRequest{Exec: exec, Stop: true})
	}
}

// send writes a line to the runner. The goroutine reading the runner's output must never call it: the runner
// stops reading its input while it waits to write.
func (p *runnerProcess) send(message any) error {
	line, err := json.Marshal(message)
	if err != nil {
		return err
	}
	p.writing.Lock()
	defer p.writing.Unlock()
	_, err = p.stdin.Write(append(line, '\n'))
	return err
}

// validDefinitions remembers the definitions the runner has accepted: the answer for a given text never changes.
var validDefinitions sync.Map

// validation receives the runner's verdict on a definition: nil when it is valid.
type validation chan error

func (v validation) receive(_ *runnerProcess, message runnerMessage) {
	switch {
	case message.Validation == nil:
		return // the runner writes nothing but its verdict about a validation
	case message.Validation.Valid:
		v <- nil
	default:
		v <- fmt.Errorf("invalid definition: %s", message.Validation.Errors)
	}
}

func (v validation) runnerEnded(err error) {
	v <- fmt.Errorf("the runner did not validate the definition: %w", err)
}

// validate checks a definition the way the runner's library does, as CreateStateMachine would.
func (r *runner) validate(definition string) error {
	if _, known := validDefinitions.Load(definition); known {
		return nil
	}
	p, err := r.current()
	if err != nil {
		return err
	}
	// The runner sends one verdict, or its end sends one, never both.
	verdict := make(validation, 1)
	exec, err := p.open(verdict, runnerRequest{Validate: json.RawMessage(definition)})
	if err != nil {
		return err
	}
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	select {
	case err = <-verdict:
	case <-timeout.C:
		p.forget(exec)
		return errors.New("the runner did not validate the definition within a minute")
	}
	if err == nil {
		validDefinitions.Store(definition, true)
	}
	return err
}
