package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/infra/samtemplate"
	"github.com/leatpos/gateway/shared/app"
)

func load(t *testing.T) (*samtemplate.Template, string) {
	t.Helper()
	root, err := repo.Root()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return tmpl, root
}

// TestTemplateMatchesTheFunctionTable keeps template.yaml, functions/ and the
// function table in step: every deployed function has a main that starts its
// own entry of the table, and every entry is deployed.
func TestTemplateMatchesTheFunctionTable(t *testing.T) {
	tmpl, root := load(t)
	var deployed []string
	for _, fn := range tmpl.Functions {
		deployed = append(deployed, fn.Name)
		if _, ok := app.Lookup(fn.Name); !ok {
			t.Errorf("%s (CodeUri functions/%s) has no entry in the function table", fn.LogicalID, fn.Name)
		}
		main, err := os.ReadFile(filepath.Join(root, "functions", fn.Name, "main.go"))
		if err != nil {
			t.Errorf("%s: %v", fn.LogicalID, err)
			continue
		}
		if !strings.Contains(string(main), `app.Start("`+fn.Name+`")`) {
			t.Errorf("functions/%s/main.go does not start %q", fn.Name, fn.Name)
		}
	}
	for _, fn := range app.Functions() {
		if !slices.Contains(deployed, fn.Name) {
			t.Errorf("function %q is in the table but not in template.yaml", fn.Name)
		}
		if fn.Handler == nil {
			t.Errorf("function %q has no handler", fn.Name)
		}
	}
	dirs, _ := os.ReadDir(filepath.Join(root, "functions"))
	for _, d := range dirs {
		if d.IsDir() && !slices.Contains(deployed, d.Name()) {
			t.Errorf("functions/%s is not deployed by template.yaml", d.Name())
		}
	}
}

// TestEveryRouteIsDocumented checks each HTTP route of the template against
// docs/openapi.yaml, and that every POST there demands an Idempotency-Key.
func TestEveryRouteIsDocumented(t *testing.T) {
	tmpl, root := load(t)
	raw, err := os.ReadFile(filepath.Join(root, "docs", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Ref string `yaml:"$ref"`
			} `yaml:"parameters"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	routes := 0
	for _, fn := range tmpl.Functions {
		for _, r := range fn.Routes {
			routes++
			op, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]
			if !ok {
				t.Errorf("%s %s (%s) is not in docs/openapi.yaml", r.Method, r.Path, fn.LogicalID)
				continue
			}
			idempotent := slices.ContainsFunc(op.Parameters, func(p struct {
				Ref string `yaml:"$ref"`
			}) bool {
				return strings.HasSuffix(p.Ref, "/IdempotencyKey")
			})
			if (r.Method == "POST") != idempotent {
				t.Errorf("%s %s: Idempotency-Key documented %v, want it exactly on POSTs", r.Method, r.Path, idempotent)
			}
		}
	}
	documented := 0
	for _, ops := range doc.Paths {
		documented += len(ops)
	}
	if documented != routes {
		t.Errorf("docs/openapi.yaml documents %d operations, template.yaml routes %d", documented, routes)
	}
}

var placeholder = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

// TestStateMachineSubstitutions checks what cfn-lint cannot: each ${Name} in a
// definition file has a DefinitionSubstitutions entry, and each entry is used.
func TestStateMachineSubstitutions(t *testing.T) {
	tmpl, root := load(t)
	for _, sm := range tmpl.StateMachines {
		def, err := os.ReadFile(filepath.Join(root, sm.DefinitionURI))
		if err != nil {
			t.Errorf("%s: %v", sm.LogicalID, err)
			continue
		}
		used := map[string]bool{}
		for _, m := range placeholder.FindAllStringSubmatch(string(def), -1) {
			used[m[1]] = true
			if _, ok := sm.Substitutions[m[1]]; !ok {
				t.Errorf("%s uses ${%s} without a substitution", sm.DefinitionURI, m[1])
			}
		}
		for name := range sm.Substitutions {
			if !used[name] {
				t.Errorf("%s substitutes %s, which %s never uses", sm.LogicalID, name, sm.DefinitionURI)
			}
		}
	}
}
