package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// asMainEnv makes this test binary run main, as `make run` would.
const asMainEnv = "LOCALSTACK_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSignalToTheProcessGroupStopsEverything starts the local stack as a
// terminal would, sends the signal Ctrl-C or a supervisor sends to its process
// group, and checks that every process it started is gone, DynamoDB Local's
// JVM included, and that nothing still listens on its ports.
func TestSignalToTheProcessGroupStopsEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a whole local stack")
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is not installed")
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to find the processes the stack started")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			stack := exec.Command(os.Args[0], "-test.run=^$", "-addr", "127.0.0.1:0", "-sandbox-addr", "127.0.0.1:0", "-sfn-addr", "127.0.0.1:0")
			stack.Env = append(os.Environ(), asMainEnv+"=1")
			stack.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			out, err := stack.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := stack.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = syscall.Kill(-stack.Process.Pid, syscall.SIGKILL) }()
			addresses := readAddresses(t, bufio.NewScanner(out))
			started := descendants(stack.Process.Pid)
			if !anyIsJava(started) {
				t.Fatalf("no JVM among the stack's processes %v; the test would prove nothing", started)
			}

			if err := syscall.Kill(-stack.Process.Pid, sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- stack.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("the stack did not stop cleanly: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the stack did not stop within 20 s")
			}
			deadline := time.Now().Add(10 * time.Second)
			for _, pid := range started {
				for syscall.Kill(pid, 0) == nil {
					if time.Now().After(deadline) {
						t.Fatalf("process %d (%s) outlived the stack", pid, command(pid))
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
			for _, address := range addresses {
				if listening(address) {
					t.Errorf("%s still listens after the stack stopped", address)
				}
			}
		})
	}
}

// readAddresses reads the printed settings up to the last one and returns the
// host:port of every URL among them.
func readAddresses(t *testing.T, lines *bufio.Scanner) []string {
	t.Helper()
	var addresses []string
	for lines.Scan() {
		name, value, _ := strings.Cut(lines.Text(), "=")
		if rest, ok := strings.CutPrefix(value, "http://"); ok {
			host, _, _ := strings.Cut(rest, "/")
			addresses = append(addresses, host)
		}
		if name == "STEPFUNCTIONS_URL" {
			return addresses
		}
	}
	t.Fatalf("the stack ended before printing its settings: %v", lines.Err())
	return nil
}

// descendants lists every process below pid, from /proc.
func descendants(pid int) []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range stats {
		raw, err := os.ReadFile(stat)
		if err != nil {
			continue // the process ended while we looked
		}
		// The command name may hold spaces; the fields after its closing
		// parenthesis are the state and then the parent's pid.
		fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
		self, err1 := strconv.Atoi(filepath.Base(filepath.Dir(stat)))
		parent, err2 := strconv.Atoi(fields[1])
		if err1 == nil && err2 == nil {
			children[parent] = append(children[parent], self)
		}
	}
	var all []int
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		all = append(all, children[next]...)
		queue = append(queue, children[next]...)
	}
	return all
}

func anyIsJava(pids []int) bool {
	for _, pid := range pids {
		if strings.Contains(command(pid), "java") {
			return true
		}
	}
	return false
}

func command(pid int) string {
	raw, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.ReplaceAll(string(raw), "\x00", " ")
}

func listening(address string) bool {
	conn, err := (&net.Dialer{Timeout: time.Second}).Dial("tcp", address)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
