// Command leat-sandbox serves the offline Leat sandbox. It prints the two settings a client needs,
// LEAT_API_URL and LEAT_API_TOKEN, on stdout, logs requests as JSON on stderr and stops on SIGINT/SIGTERM.
// Faults (-faults) and behaviour variants (-variant name=value, repeatable) apply from the first request.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8480", "address to listen on")
	faults := flag.String("faults", "", `faults from the start, e.g. "latency=200ms; refuse=1018 POST /reward-receptions x1" or JSON`)
	variants := variantFlag{}
	flag.Var(variants, "variant", "behaviour variant as name=value, repeatable, e.g. second_reverse=apply (see GET /_sandbox/variants)")
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(*addr, *faults, variants, logger); err != nil {
		logger.Error("leat sandbox stopped", "error", err.Error())
		os.Exit(1)
	}
}

// variantFlag collects -variant name=value; the sandbox checks names and values when it starts.
type variantFlag map[string]string

func (v variantFlag) String() string {
	choices := make([]string, 0, len(v))
	for name, value := range v {
		choices = append(choices, name+"="+value)
	}
	slices.Sort(choices)
	return strings.Join(choices, " ")
}

func (v variantFlag) Set(choice string) error {
	name, value, ok := strings.Cut(choice, "=")
	if !ok || name == "" {
		return fmt.Errorf("want name=value, got %q", choice)
	}
	v[name] = value
	return nil
}

func run(addr, faultSpec string, variants map[string]string, logger *slog.Logger) error {
	faults, err := leatsandbox.ParseFaults(faultSpec)
	if err != nil {
		return err
	}
	sandbox, err := leatsandbox.New(leatsandbox.Options{Logger: logger, Faults: faults, Variants: variants})
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("LEAT_API_URL=http://%s\nLEAT_API_TOKEN=%s\n", reachable(listener.Addr()), sandbox.Token())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	server := &http.Server{Handler: sandbox, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil {
		// Requests held by a response_lost fault do not finish on their own.
		_ = server.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("leat sandbox stopped")
	return nil
}

// reachable is the listening address as a client on this machine dials it: a wildcard host becomes
// 127.0.0.1.
func reachable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
