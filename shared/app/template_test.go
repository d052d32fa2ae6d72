package app_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/infra/samtemplate"
	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/bootstrap"
)

// TestTemplateAgreesWithTheCode is the one check that what template.yaml
// deploys is what the code builds, runs locally and documents.
func TestTemplateAgreesWithTheCode(t *testing.T) {
	root, tmpl := loadTemplate(t)
	t.Run("functions", func(t *testing.T) { checkFunctions(t, tmpl, root) })
	t.Run("routes", func(t *testing.T) { checkRoutes(t, tmpl, root) })
	t.Run("state machines", func(t *testing.T) { checkStateMachines(t, tmpl, root) })
}

// loadTemplate reads template.yaml at the repository's root.
func loadTemplate(t *testing.T) (root string, tmpl *samtemplate.Template) {
	t.Helper()
	root, err := repo.Root()
	if err != nil {
		t.Fatal(err)
	}
	if tmpl, err = samtemplate.Load(filepath.Join(root, "template.yaml")); err != nil {
		t.Fatal(err)
	}
	return root, tmpl
}

// checkFunctions: every deployed function's main starts, under its own name,
// the builder the local stack runs for it; the local stack runs nothing that
// is not deployed, and functions/ holds nothing that is not deployed.
func checkFunctions(t *testing.T, tmpl *samtemplate.Template, root string) {
	local := localstack.BuilderNames()
	var deployed []string
	for _, fn := range tmpl.Functions {
		deployed = append(deployed, fn.Name)
		file := filepath.Join("functions", fn.Name, "main.go")
		name, builder, err := startCall(filepath.Join(root, file))
		if err != nil {
			t.Errorf("%s (%s): %v", file, fn.LogicalID, err)
			continue
		}
		if name != fn.Name {
			t.Errorf("%s starts as %q, want %q", file, name, fn.Name)
		}
		got, ok := local[fn.Name]
		if !ok {
			t.Errorf("%s (CodeUri functions/%s) is not in the local stack's tables", fn.LogicalID, fn.Name)
			continue
		}
		if got != builder {
			t.Errorf("%s starts %s, but the local stack runs %s for %q", file, builder, got, fn.Name)
		}
	}
	for name := range local {
		if !slices.Contains(deployed, name) {
			t.Errorf("the local stack runs %q, which template.yaml does not deploy", name)
		}
	}
	dirs, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !slices.Contains(deployed, d.Name()) {
			t.Errorf("functions/%s is not deployed by template.yaml", d.Name())
		}
	}
}

// startCall finds the one Start(name, builder) call of a main.go, of package
// app or bootstrap, with a builder of a wiring package, and returns the name
// and the builder's full name.
func startCall(file string) (name, builder string, err error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return "", "", err
	}
	appPath, bootstrapPath := reflect.TypeFor[app.Env]().PkgPath(), reflect.TypeFor[bootstrap.Container]().PkgPath()
	starters := []string{appPath, bootstrapPath}
	wiring := []string{appPath, bootstrapPath, appPath + "/httpapi", appPath + "/closing"}
	imported := map[string]string{} // local name → path, of the wiring packages
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if !slices.Contains(wiring, p) {
			continue
		}
		local := path.Base(p)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		imported[local] = p
	}
	var calls []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			for local, p := range imported {
				if fn, ok := selectorOf(call.Fun, local); ok && fn == "Start" && slices.Contains(starters, p) {
					calls = append(calls, call)
				}
			}
		}
		return true
	})
	if len(calls) != 1 {
		return "", "", fmt.Errorf("calls Start of %s %d times, want once", strings.Join(starters, " or "), len(calls))
	}
	args := calls[0].Args
	if len(args) != 2 {
		return "", "", fmt.Errorf("Start is given %d arguments, want a name and a builder", len(args))
	}
	lit, ok := args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", "", fmt.Errorf("Start's name is not a string literal")
	}
	for local, p := range imported {
		if builderName, ok := selectorOf(args[1], local); ok {
			name, err = strconv.Unquote(lit.Value)
			return name, p + "." + builderName, err
		}
	}
	return "", "", fmt.Errorf("Start is not given a builder of %s", strings.Join(wiring, ", "))
}

// selectorOf returns Name of an expression pkg.Name.
func selectorOf(e ast.Expr, pkg string) (string, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	x, ok := sel.X.(*ast.Ident)
	return sel.Sel.Name, ok && x.Name == pkg
}

// checkRoutes: each HTTP route of the template is in docs/openapi.yaml, and
// exactly the POSTs there demand an Idempotency-Key.
func checkRoutes(t *testing.T, tmpl *samtemplate.Template, root string) {
	raw, err := os.ReadFile(filepath.Join(root, "docs", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	type parameter struct {
		Ref string `yaml:"$ref"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []parameter `yaml:"parameters"`
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
			idempotent := slices.ContainsFunc(op.Parameters, func(p parameter) bool {
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

// checkStateMachines checks what cfn-lint cannot: each ${Name} in a definition
// file has a DefinitionSubstitutions entry, and each entry is used.
func checkStateMachines(t *testing.T, tmpl *samtemplate.Template, root string) {
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

// TestTemplateDeploysLeanAndLeastPrivileged reads template.yaml as
// CloudFormation will: every function is built by the Makefile for
// provided.al2023 on arm64, traced, logging JSON, with its own policies; no
// statement grants a data-plane action on every resource.
func TestTemplateDeploysLeanAndLeastPrivileged(t *testing.T) {
	root, err := repo.Root()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	top := doc.Content[0]
	globals := child(child(top, "Globals"), "Function")
	for key, want := range map[string]string{"Runtime": "provided.al2023", "Handler": "bootstrap", "Tracing": "Active"} {
		if got := scalar(child(globals, key)); got != want {
			t.Errorf("Globals.Function.%s = %q, want %q", key, got, want)
		}
	}
	if archs := child(globals, "Architectures"); archs == nil || len(archs.Content) != 1 || archs.Content[0].Value != "arm64" {
		t.Error("Globals.Function.Architectures is not [arm64]")
	}
	if scalar(child(child(globals, "LoggingConfig"), "LogFormat")) != "JSON" || child(child(globals, "LoggingConfig"), "LogGroup") == nil {
		t.Error("functions do not log JSON to a log group with retention")
	}
	resources := child(top, "Resources")
	functions := 0
	for i := 0; i < len(resources.Content); i += 2 {
		id, res := resources.Content[i].Value, resources.Content[i+1]
		props := child(res, "Properties")
		if scalar(child(res, "Type")) == "AWS::Serverless::Function" {
			functions++
			if scalar(child(child(res, "Metadata"), "BuildMethod")) != "makefile" || scalar(child(props, "CodeUri")) != "." {
				t.Errorf("%s is not built by the Makefile (BuildMethod makefile, CodeUri .)", id)
			}
			if child(props, "Policies") == nil && child(props, "Role") == nil {
				t.Errorf("%s has no policies of its own", id)
			}
		}
		for _, statement := range statements(props) {
			checkStatement(t, id, statement)
		}
	}
	if functions == 0 {
		t.Fatal("template.yaml declares no function; the test read nothing")
	}
}

// dataPlane are the actions that read or change what the gateway keeps or
// sends; each must name its resources.
var dataPlane = []string{"dynamodb:", "secretsmanager:GetSecretValue", "states:StartExecution", "states:SendTask",
	"events:PutEvents", "lambda:InvokeFunction", "sns:Publish", "sqs:", "s3:"}

func checkStatement(t *testing.T, id string, statement *yaml.Node) {
	t.Helper()
	var actions []string
	if a := child(statement, "Action"); a != nil {
		if a.Kind == yaml.SequenceNode {
			for _, n := range a.Content {
				actions = append(actions, n.Value)
			}
		} else {
			actions = append(actions, a.Value)
		}
	}
	resource := child(statement, "Resource")
	everything := resource == nil || resource.Value == "*" ||
		resource.Kind == yaml.SequenceNode && slices.ContainsFunc(resource.Content, func(n *yaml.Node) bool { return n.Value == "*" })
	for _, action := range actions {
		if strings.Contains(action, "*") && !strings.HasSuffix(action, ":*") {
			continue
		}
		if action == "*" || strings.HasSuffix(action, ":*") {
			t.Errorf("%s grants %s: name the actions", id, action)
		}
		if everything && slices.ContainsFunc(dataPlane, func(p string) bool { return strings.HasPrefix(action, p) }) {
			t.Errorf("%s grants %s on every resource", id, action)
		}
	}
}

// statements finds every IAM statement under a resource's properties:
// inline policies, SAM policy statements and topic policies.
func statements(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	var found []*yaml.Node
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			if n.Content[i].Value == "Statement" {
				found = append(found, n.Content[i+1].Content...)
				continue
			}
			found = append(found, statements(n.Content[i+1])...)
		}
	}
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			found = append(found, statements(c)...)
		}
	}
	return found
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}
