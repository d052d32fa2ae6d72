package functions_test

import (
	"bufio"
	"bytes"
	"maps"
	"os/exec"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/leatpos/gateway/infra/localstack"
)

// symbols lists the functions a binary holds.
func symbols(t *testing.T, bin string) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm %s: %v", bin, err)
	}
	held := map[string]bool{}
	lines := bufio.NewScanner(bytes.NewReader(out))
	for lines.Scan() {
		if fields := strings.Fields(lines.Text()); len(fields) == 3 && fields[1] == "T" {
			held[fields[2]] = true
		}
	}
	return held
}

// TestEachBinaryLinksOnlyItsOwnFunction reads the symbols of every bootstrap:
// each holds its own builder and no other, so a function's binary carries only
// the dependencies its builder reaches.
func TestEachBinaryLinksOnlyItsOwnFunction(t *testing.T) {
	builders := map[string]string{}
	for name, build := range localstack.ContainerFunctions() {
		builders[name] = runtime.FuncForPC(reflect.ValueOf(build).Pointer()).Name()
	}
	for name, build := range localstack.Functions() {
		builders[name] = runtime.FuncForPC(reflect.ValueOf(build).Pointer()).Name()
	}
	dir := t.TempDir()
	for name := range builders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			held := symbols(t, build(t, dir, name, "./"+name))
			for other, builder := range builders {
				if held[builder] != (other == name) {
					t.Errorf("holds %s: %v", builder, held[builder])
				}
			}
		})
	}
}

// TestAuthorizerLinksOnlyTheKeyStore: the authorizer answers before every
// request, so its binary holds no code of the Leat client, the request
// validation or the sagas, nor of the clients of Secrets Manager, Step
// Functions and EventBridge. start-checkout shows the check can see each.
func TestAuthorizerLinksOnlyTheKeyStore(t *testing.T) {
	packages := []string{
		"github.com/leatpos/gateway/shared/leat",
		"github.com/leatpos/gateway/shared/api",
		"github.com/leatpos/gateway/shared/checkout",
		"github.com/go-playground/validator/v10",
		"github.com/aws/aws-sdk-go-v2/service/secretsmanager",
		"github.com/aws/aws-sdk-go-v2/service/sfn",
		"github.com/aws/aws-sdk-go-v2/service/eventbridge",
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		function string
		want     bool
	}{{"authorizer", false}, {"start-checkout", true}} {
		held := symbols(t, build(t, dir, tt.function, "./"+tt.function))
		for _, pkg := range packages {
			holds := slices.ContainsFunc(slices.Collect(maps.Keys(held)), func(symbol string) bool { return strings.HasPrefix(symbol, pkg+".") })
			if holds != tt.want {
				t.Errorf("%s holds code of %s: %v, want %v", tt.function, pkg, holds, tt.want)
			}
		}
	}
}
