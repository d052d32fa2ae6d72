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

// runner starts the Node.js processes that interpret definitions (runner/run.mjs).
type runner struct {
	node string // the Node.js executable
	dir  string // the directory holding run.mjs and polyfill.mjs
}

func findRunner(node, dir string) (runner, error) {
	node, err := exec.LookPath(valueOr(node, "node"))
	if err != nil {
		return runner{}, fmt.Errorf("%w: install Node.js 20 or later: %w", ErrInterpreterUnavailable, err)
	}
	if dir == "" {
		if dir, err = repo.Path("infra", "localsfn", "runner"); err != nil {
			return runner{}, fmt.Errorf("local Step Functions runner: %w", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "run.mjs")); err != nil {
		return runner{}, fmt.Errorf("local Step Functions runner: %w", err)
	}
	if !resolvable(dir, "aws-local-stepfunctions") {
		return runner{}, fmt.Errorf("%w: aws-local-stepfunctions is not installed; run `npm ci` in infra", ErrInterpreterUnavailable)
	}
	return runner{node: node, dir: dir}, nil
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

// runnerRequest is the first message a runner gets; exactly one field is set.
type runnerRequest struct {
	Validate json.RawMessage `json:"validate,omitempty"`
	Run      *runRequest     `json:"run,omitempty"`
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

// runnerMessage is one line the runner writes; exactly one field is set.
type runnerMessage struct {
	Validation *struct {
		Valid  bool   `json:"valid"`
		Errors string `json:"errors"`
	} `json:"validation"`
	Event  *runnerEvent `json:"event"`
	Task   *taskRequest `json:"task"`
	Result *runResult   `json:"result"`
}

// taskReply answers a taskRequest with the task's output or its failure.
type taskReply struct {
	ID      int64           `json:"id"`
	Output  json.RawMessage `json:"output,omitempty"`
	Failure *failure        `json:"failure,omitempty"`
}

// runnerProcess is one running runner. It dies with ctx, and exits by itself when its stdin closes.
type runnerProcess struct {
	cmd    *exec.Cmd
	stdout *json.Decoder
	stderr bytes.Buffer

	mu    sync.Mutex // serialises lines on stdin
	stdin io.WriteCloser
}

func (r runner) start(ctx context.Context, request runnerRequest) (*runnerProcess, error) {
	cmd := exec.CommandContext(ctx, r.node, "--import", "./polyfill.mjs", "run.mjs")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "NODE_NO_WARNINGS=1")
	p := &runnerProcess{cmd: cmd}
	cmd.Stderr = &p.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the local Step Functions runner: %w", err)
	}
	p.stdin, p.stdout = stdin, json.NewDecoder(stdout)
	if err := p.send(request); err != nil {
		cmd.Cancel()
		cmd.Wait()
		return nil, err
	}
	return p, nil
}

func (p *runnerProcess) send(message any) error {
	line, err := json.Marshal(message)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err = p.stdin.Write(append(line, '\n'))
	return err
}

// receive returns the runner's next message, or io.EOF once it has closed its stdout.
func (p *runnerProcess) receive() (runnerMessage, error) {
	var message runnerMessage
	err := p.stdout.Decode(&message)
	return message, err
}

// wait waits for the process to exit, after its output has been read, and explains an abnormal end.
func (p *runnerProcess) wait() error {
	if err := p.cmd.Wait(); err != nil {
		return fmt.Errorf("local Step Functions runner: %w: %s", err, strings.TrimSpace(p.stderr.String()))
	}
	return nil
}

// validDefinitions remembers the definitions the runner has accepted: asking it takes a Node.js process, and the
// answer for a given text never changes.
var validDefinitions sync.Map

// validate checks a definition the way the runner's library does, as CreateStateMachine would.
func (r runner) validate(definition string) error {
	if _, known := validDefinitions.Load(definition); known {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := r.start(ctx, runnerRequest{Validate: json.RawMessage(definition)})
	if err != nil {
		return err
	}
	message, err := p.receive()
	if waitErr := p.wait(); err != nil || message.Validation == nil {
		return errors.Join(err, waitErr, errors.New("the runner did not validate the definition"))
	}
	if !message.Validation.Valid {
		return fmt.Errorf("invalid definition: %s", message.Validation.Errors)
	}
	validDefinitions.Store(definition, true)
	return nil
}
