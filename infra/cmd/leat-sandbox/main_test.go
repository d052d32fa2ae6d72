package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leatpos/gateway/infra/repo"
)

// TestSandboxCommandServesTheDemo runs the command as `make sandbox` does,
// reads the two printed settings, finds the demo contact by card as the README
// shows with curl, and runs the demo script against it.
func TestSandboxCommandServesTheDemo(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing", tool)
			}
			t.Skipf("%s is missing", tool)
		}
	}
	root, err := repo.Root()
	if err != nil {
		t.Fatal(err)
	}
	url, token := startCommand(t, buildCommand(t))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/api/v3/oauth/clients/contact-identifiers/find?contact_identifier_value=LEAT-1001", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "anna.jansen@example.com") {
		t.Fatalf("demo card lookup: %d %s", resp.StatusCode, body)
	}

	demo := exec.CommandContext(ctx, "bash", filepath.Join(root, "infra", "sandbox-demo.sh"))
	demo.Env = append(os.Environ(), "LEAT_API_URL="+url, "LEAT_API_TOKEN="+token)
	out, err := demo.CombinedOutput()
	if err != nil {
		t.Fatalf("demo script: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "refused: Leat error 5003") {
		t.Fatalf("demo script did not show the overspend refusal:\n%s", out)
	}
}

// TestSandboxCommandTakesVariants starts the command with -variant flags and reads them back from the
// control API; a variant the sandbox does not know stops it.
func TestSandboxCommandTakesVariants(t *testing.T) {
	bin := buildCommand(t)
	url, token := startCommand(t, bin, "-variant", "second_reverse=apply", "-variant", "order_duplicate=accept")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/_sandbox/variants", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var listed struct{ Variants map[string]string }
	if err := json.NewDecoder(resp.Body).Decode(&listed); err != nil {
		t.Fatal(err)
	}
	if listed.Variants["second_reverse"] != "apply" || listed.Variants["order_duplicate"] != "accept" ||
		listed.Variants["stale_release_key"] != "works" {
		t.Fatalf("variants %v", listed.Variants)
	}

	for _, bad := range []string{"second_reverse=twice", "no_such_variant=apply", "second_reverse"} {
		// A sandbox that accepted the variant would serve until killed.
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		out, err := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-variant", bad).CombinedOutput()
		cancel()
		if err == nil || !strings.Contains(string(out), "variant") {
			t.Errorf("-variant %s: %v\n%s", bad, err, out)
		}
	}
}

// buildCommand builds the command into a directory the test removes.
func buildCommand(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "leat-sandbox")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startCommand runs the command bin with args on a free port until the test ends and returns the two
// settings it prints.
func startCommand(t *testing.T, bin string, args ...string) (url, token string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	settings := map[string]string{}
	lines := bufio.NewScanner(stdout)
	for len(settings) < 2 && lines.Scan() {
		name, value, ok := strings.Cut(lines.Text(), "=")
		if !ok {
			t.Fatalf("unexpected line %q", lines.Text())
		}
		settings[name] = value
	}
	url, token = settings["LEAT_API_URL"], settings["LEAT_API_TOKEN"]
	if url == "" || token == "" {
		t.Fatalf("printed %v, want LEAT_API_URL and LEAT_API_TOKEN", settings)
	}
	return url, token
}
