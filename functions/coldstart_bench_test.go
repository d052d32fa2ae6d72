package functions_test

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// runtimeAPI is a fake Lambda Runtime API that notes when a function first
// asks for an invocation: the end of its cold init.
type runtimeAPI struct {
	addr  string
	ready chan time.Time
}

func newRuntimeAPI(b *testing.B) *runtimeAPI {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	api := &runtimeAPI{addr: l.Addr().String(), ready: make(chan time.Time, 1)}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case api.ready <- time.Now():
		default:
		}
		// The function waits here for an invocation that never comes.
		<-r.Context().Done()
	}), ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(l) }()
	b.Cleanup(func() { _ = srv.Close() })
	return api
}

// coldInit starts bin as Lambda would and answers the time from its start
// to its first request for an invocation.
func coldInit(b *testing.B, bin string, api *runtimeAPI) time.Duration {
	b.Helper()
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"AWS_LAMBDA_RUNTIME_API=" + api.addr, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"TABLE_NAME=bench", "AWS_LAMBDA_FUNCTION_NAME=bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"CHECKOUT_STATE_MACHINE_ARN=arn:aws:states:us-east-1:000000000000:stateMachine:checkout",
		"RETURN_STATE_MACHINE_ARN=arn:aws:states:us-east-1:000000000000:stateMachine:return",
		"EVENT_BUS_NAME=bench", "LEAT_BASE_URL=https://api.leat.com",
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	select {
	case at := <-api.ready:
		return at.Sub(began)
	case <-time.After(10 * time.Second):
		b.Fatalf("%s never asked for an invocation", filepath.Base(bin))
		return 0
	}
}

// BenchmarkFunctions reports, per function, the size of the stripped arm64
// bootstrap Lambda runs and the cold init of the same build for this
// machine: from the process's start to its first request for an
// invocation, against a fake Runtime API. Nothing at init may touch the
// network, so this is the whole cold start but the runtime's own.
func BenchmarkFunctions(b *testing.B) {
	entries, err := os.ReadDir(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		b.Run(name, func(b *testing.B) {
			arm := filepath.Join(dir, name+".arm64")
			goBuild(b, arm, "./"+name, "-s -w", "GOOS=linux", "GOARCH=arm64")
			info, err := os.Stat(arm)
			if err != nil {
				b.Fatal(err)
			}
			host := filepath.Join(dir, name)
			goBuild(b, host, "./"+name, "-s -w")
			api := newRuntimeAPI(b)
			coldInit(b, host, api) // the first start also reads the binary from disk
			var inits []time.Duration
			for b.Loop() {
				api.ready = make(chan time.Time, 1)
				inits = append(inits, coldInit(b, host, api))
			}
			slices.Sort(inits)
			b.ReportMetric(float64(info.Size())/1e6, "arm64-MB")
			b.ReportMetric(float64(inits[len(inits)/2].Microseconds())/1000, "cold-init-ms")
		})
	}
}
