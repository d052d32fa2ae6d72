package localsfn

import (
	"encoding/base64"
	"sync"
)

// taskTokenBytes is the size of the random tokens the runner mints (see runner/run.mjs).
const taskTokenBytes = 48

// taskTokens tracks the task token of every .waitForTaskToken attempt, from its start until it ends. Ended tokens are kept, so
// that a late SendTaskSuccess is told TaskTimedOut, as on AWS, rather than TaskDoesNotExist.
type taskTokens struct {
	mu     sync.Mutex
	tokens map[string]*taskToken
}

type taskToken struct {
	// outcome receives the first SendTaskSuccess or SendTaskFailure; later ones are refused.
	outcome chan outcome
	// heartbeats signals SendTaskHeartbeat; a heartbeat arriving before the last was noticed adds nothing.
	heartbeats chan struct{}
	// executionClosed ends the token together with its execution, before its task has noticed.
	executionClosed <-chan struct{}
	closed          bool
}

func newTaskTokens() *taskTokens {
	return &taskTokens{tokens: map[string]*taskToken{}}
}

// open starts accepting calls for token, until its task ends or executionClosed is closed.
func (t *taskTokens) open(token string, executionClosed <-chan struct{}) *taskToken {
	t.mu.Lock()
	defer t.mu.Unlock()
	tt := &taskToken{
		outcome:         make(chan outcome, 1),
		heartbeats:      make(chan struct{}, 1),
		executionClosed: executionClosed,
	}
	t.tokens[token] = tt
	return tt
}

// end stops accepting calls for tt: its task has ended, one way or another. An outcome that was delivered
// meanwhile is returned, because whoever sent it was told it had arrived.
func (t *taskTokens) end(tt *taskToken) (outcome, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tt.closed = true
	select {
	case o := <-tt.outcome:
		return o, true
	default:
		return outcome{}, false
	}
}

// complete delivers the outcome of SendTaskSuccess or SendTaskFailure.
func (t *taskTokens) complete(token string, o outcome) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	tt, err := t.find(token)
	if err != nil {
		return err
	}
	tt.closed = true
	tt.outcome <- o
	return nil
}

// heartbeat delivers SendTaskHeartbeat.
func (t *taskTokens) heartbeat(token string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	tt, err := t.find(token)
	if err != nil {
		return err
	}
	select {
	case tt.heartbeats <- struct{}{}:
	default:
	}
	return nil
}

// find returns the open task of token, or the error AWS answers. The caller holds t.mu.
func (t *taskTokens) find(token string) (*taskToken, error) {
	if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != taskTokenBytes {
		return nil, apiErrorf(errInvalidToken, "Invalid Token: '%s'", token)
	}
	tt, ok := t.tokens[token]
	if !ok {
		return nil, apiErrorf(errTaskDoesNotExist, "Task Does Not Exist: '%s'", token)
	}
	select {
	case <-tt.executionClosed:
		tt.closed = true
	default:
	}
	if tt.closed {
		return nil, apiErrorf(errTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return tt, nil
}
