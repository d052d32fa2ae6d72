package localstack_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leatpos/gateway/infra/repo"
)

// TestReadmeCurlCallsWork runs the README's "Try it" commands against the
// stack, as a newcomer would paste them after `make run`.
func TestReadmeCurlCallsWork(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing", tool)
			}
			t.Skipf("%s is missing", tool)
		}
	}
	// The walk-through spends Anna's points and voucher; later tests expect the seed.
	t.Cleanup(stack.Sandbox.Reset)
	readme, err := repo.Path("README.md")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, tryIt, _ := strings.Cut(string(raw), "## Try it")
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(tryIt)
	if block == nil || !strings.Contains(block[1], "build/localstack.env") {
		t.Fatal(`README's "Try it" has no sh block sourcing build/localstack.env`)
	}
	dir := t.TempDir()
	envFile, err := os.Create(filepath.Join(dir, "localstack.env"))
	if err != nil {
		t.Fatal(err)
	}
	stack.PrintEnv(envFile)
	envFile.Close()
	script := strings.ReplaceAll(block[1], "build/localstack.env", envFile.Name())

	out, err := exec.Command("bash", "-euo", "pipefail", "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("README commands failed: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "/problems/") || strings.Contains(string(out), `"message"`) {
		t.Fatalf("README commands were refused:\n%s", out)
	}
	for _, want := range []string{
		`"identifier":{"value":"LEAT-1001"`, `"rewards":[`, `"voucher":{`, `"usable":true`, `"giftcard":{`,
		`"status":"awaiting_payment"`, `"status":"completed"`, `"points_earned":`,
		`"giftcards_sold":[{"source":"giftcard_sales[0]","code":"GC-0000-0002","balance":2000`, `"due":2000`,
		`"return_id":"RET-1"`, `"refunds":[{"tender":"tenders[0]","amount":1000,"method":"reverse","state":"done"},{"tender":"tenders[1]","amount":450,"method":"reverse","state":"done"}]`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("README commands did not answer %s:\n%s", want, out)
		}
	}
}
