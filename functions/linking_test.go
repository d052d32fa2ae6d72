package functions_test

import (
	"debug/elf"
	"debug/gosym"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/infra/samtemplate"
)

// functionsOf lists the functions a Go binary holds, read from its
// pclntab, which a stripped binary keeps.
func functionsOf(t *testing.T, bin *elf.File) map[string]bool {
	t.Helper()
	pclntab, text := bin.Section(".gopclntab"), bin.Section(".text")
	if pclntab == nil || text == nil {
		t.Fatal("no .gopclntab or .text section")
	}
	data, err := pclntab.Data()
	if err != nil {
		t.Fatal(err)
	}
	table, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, fn := range table.Funcs {
		held[fn.Name] = true
	}
	return held
}

// holdsPackage reports whether any of the functions is of package pkg.
func holdsPackage(held map[string]bool, pkg string) bool {
	for name := range held {
		if strings.HasPrefix(name, pkg+".") {
			return true
		}
	}
	return false
}

// keyStoreOnly are the packages the authorizer must not link: it answers
// before every request, so it holds no Leat client, request validation or
// saga, nor the clients of Secrets Manager, Step Functions and EventBridge.
var keyStoreOnly = []string{
	"github.com/leatpos/gateway/shared/leat",
	"github.com/leatpos/gateway/shared/api",
	"github.com/leatpos/gateway/shared/checkout",
	"github.com/go-playground/validator/v10",
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager",
	"github.com/aws/aws-sdk-go-v2/service/sfn",
	"github.com/aws/aws-sdk-go-v2/service/eventbridge",
}

// TestSamBuildsEveryFunctionLean runs what `sam build` runs for each
// function of template.yaml, make build-<LogicalId> with ARTIFACTS_DIR, and
// reads the arm64 bootstrap it leaves there: each holds its own builder and
// no other, so it carries only the dependencies its builder reaches; the
// authorizer holds none of keyStoreOnly, which start-checkout shows the
// check can see.
func TestSamBuildsEveryFunctionLean(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every function")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root, err := repo.Root()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	builders := map[string]string{}
	for name, build := range localstack.ContainerFunctions() {
		builders[name] = runtime.FuncForPC(reflect.ValueOf(build).Pointer()).Name()
	}
	for name, build := range localstack.Functions() {
		builders[name] = runtime.FuncForPC(reflect.ValueOf(build).Pointer()).Name()
	}
	if len(tmpl.Functions) == 0 || len(tmpl.Functions) != len(builders) {
		t.Fatalf("template.yaml deploys %d functions, the local stack builds %d", len(tmpl.Functions), len(builders))
	}
	for _, fn := range tmpl.Functions {
		t.Run(fn.LogicalID, func(t *testing.T) {
			t.Parallel()
			artifacts := t.TempDir()
			cmd := exec.Command("make", "-s", "build-"+fn.LogicalID, "ARTIFACTS_DIR="+artifacts)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("make build-%s: %v\n%s", fn.LogicalID, err, out)
			}
			bin, err := elf.Open(filepath.Join(artifacts, "bootstrap"))
			if err != nil {
				t.Fatalf("no bootstrap executable: %v", err)
			}
			defer bin.Close()
			if bin.Machine != elf.EM_AARCH64 || bin.Type != elf.ET_EXEC {
				t.Errorf("bootstrap is %v %v, want an arm64 executable", bin.Machine, bin.Type)
			}
			held := functionsOf(t, bin)
			for other, builder := range builders {
				if held[builder] != (other == fn.Name) {
					t.Errorf("holds %s: %v", builder, held[builder])
				}
			}
			for _, pkg := range keyStoreOnly {
				switch fn.Name {
				case "authorizer":
					if holdsPackage(held, pkg) {
						t.Errorf("holds code of %s", pkg)
					}
				case "start-checkout":
					if !holdsPackage(held, pkg) {
						t.Errorf("holds no code of %s", pkg)
					}
				}
			}
		})
	}
}
