package functions_test

import (
	"debug/elf"
	"debug/gosym"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	validation,
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager",
	"github.com/aws/aws-sdk-go-v2/service/sfn",
	eventBus,
}

const (
	validation = "github.com/go-playground/validator/v10"
	eventBus   = "github.com/aws/aws-sdk-go-v2/service/eventbridge"
)

// TestSamBuildsEveryFunctionLean runs what `sam build` runs for each
// function of template.yaml, make build-<LogicalId> with ARTIFACTS_DIR, and
// reads the arm64 bootstrap it leaves there: each holds its own builder and
// no other, so it carries only the dependencies its builder reaches; only
// the API's functions hold the request validation, and only the functions
// that close a saga the EventBridge client; the
// authorizer holds none of keyStoreOnly, each of which some other function
// holds, which shows the check can see it.
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
	builders := localstack.BuilderNames()
	if len(tmpl.Functions) == 0 || len(tmpl.Functions) != len(builders) {
		t.Fatalf("template.yaml deploys %d functions, the local stack builds %d", len(tmpl.Functions), len(builders))
	}
	var mu sync.Mutex
	seen := map[string]bool{} // the packages of keyStoreOnly some function holds
	t.Run("functions", func(t *testing.T) {
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
				// Only the API's functions validate requests, and only
				// those that close a saga publish on EventBridge.
				if holds, want := holdsPackage(held, validation), len(fn.Routes) > 0; holds != want {
					t.Errorf("holds code of %s: %v, want %v", validation, holds, want)
				}
				if holds, want := holdsPackage(held, eventBus), strings.Contains(builders[fn.Name], "/app/closing."); holds != want {
					t.Errorf("holds code of %s: %v, want %v", eventBus, holds, want)
				}
				for _, pkg := range keyStoreOnly {
					holds := holdsPackage(held, pkg)
					if holds && fn.Name == "authorizer" {
						t.Errorf("holds code of %s", pkg)
					}
					mu.Lock()
					seen[pkg] = seen[pkg] || holds
					mu.Unlock()
				}
			})
		}
	})
	for _, pkg := range keyStoreOnly {
		if !seen[pkg] {
			t.Errorf("no function holds code of %s; the check cannot see it", pkg)
		}
	}
}
