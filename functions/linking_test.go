package functions_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"reflect"
	"runtime"
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

// TestAuthorizerLinksNoLeatClient: the authorizer answers before every
// request, so it builds neither Leat clients nor the Secrets Manager client
// that holds their credentials. identify-customer shows the check can see them.
func TestAuthorizerLinksNoLeatClient(t *testing.T) {
	leatClients := []string{
		"github.com/leatpos/gateway/shared/leat.New",
		"github.com/aws/aws-sdk-go-v2/service/secretsmanager.New",
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		function string
		want     bool
	}{{"authorizer", false}, {"identify-customer", true}} {
		held := symbols(t, build(t, dir, tt.function, "./"+tt.function))
		for _, constructor := range leatClients {
			if held[constructor] != tt.want {
				t.Errorf("%s holds %s: %v, want %v", tt.function, constructor, held[constructor], tt.want)
			}
		}
	}
}
