package localsfn

// RunnerPID is the process ID of the engine's latest runner process, or zero before the first.
func RunnerPID(e *Engine) int {
	if p := latestRunner(e); p != nil {
		return p.cmd.Process.Pid
	}
	return 0
}

// RunnerWork counts the executions and validations that the engine's latest runner process has not finished.
func RunnerWork(e *Engine) int {
	p := latestRunner(e)
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.clients)
}

func latestRunner(e *Engine) *runnerProcess {
	e.runner.mu.Lock()
	defer e.runner.mu.Unlock()
	return e.runner.process
}
