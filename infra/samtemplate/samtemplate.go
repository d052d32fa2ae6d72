// Package samtemplate reads the parts of template.yaml the local stack needs:
// functions and their HTTP routes, the HTTP API's authorizer, state machines
// with their definition substitutions, and the table definition. Reading the
// real template keeps the local stack from drifting away from what deploys.
package samtemplate

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Value is a property that may be an intrinsic function (!Ref, !GetAtt, !Sub)
// or a literal.
type Value struct {
	// Intrinsic is "Ref", "GetAtt", "Sub" or "" for a literal.
	Intrinsic string
	Text      string
}

// UnmarshalYAML reads both the short (!Ref X) and long ({Ref: X}) forms.
func (v *Value) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		name := strings.TrimPrefix(n.Content[0].Value, "Fn::")
		switch name {
		case "Ref", "GetAtt", "Sub":
			*v = Value{Intrinsic: name, Text: scalarOrJoined(n.Content[1])}
			return nil
		}
	}
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a scalar or an intrinsic function", n.Line)
	}
	*v = Value{Text: n.Value}
	if strings.HasPrefix(n.Tag, "!") {
		v.Intrinsic = strings.TrimPrefix(n.Tag, "!")
	}
	return nil
}

// GetAtt's long form is a list [LogicalId, Attribute].
func scalarOrJoined(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		parts := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ".")
	}
	return n.Value
}

// Template is the parsed template.
type Template struct {
	// FunctionTimeout is Globals.Function.Timeout, in seconds.
	FunctionTimeout int
	Functions       []Function
	StateMachines   []StateMachine
	Tables          []Table
	HTTPAPIs        []HTTPAPI
}

// Function is an AWS::Serverless::Function.
type Function struct {
	LogicalID string
	// Name is the function's directory under functions/: its logical id in
	// kebab case without "Function", as the Makefile's build-<LogicalId>
	// targets read it (IdentifyCustomerFunction is identify-customer).
	Name   string
	Routes []Route
}

// Route is an HttpApi event of a function.
type Route struct {
	Method string
	Path   string
	API    string
	// Unauthenticated routes set Auth.Authorizer: NONE.
	Unauthenticated bool
}

// HTTPAPI is an AWS::Serverless::HttpApi with its Lambda authorizer.
type HTTPAPI struct {
	LogicalID string
	// AuthorizerFunction is the logical id of the default authorizer's function.
	AuthorizerFunction string
	// AuthorizerCache is how long API Gateway keeps an authorizer's answer
	// for the same identity (ReauthorizeEvery); zero keeps none.
	AuthorizerCache time.Duration
}

// StateMachine is an AWS::Serverless::StateMachine.
type StateMachine struct {
	LogicalID     string
	DefinitionURI string
	Substitutions map[string]Value
}

// Table is an AWS::DynamoDB::Table.
type Table struct {
	LogicalID            string
	AttributeDefinitions []AttributeDefinition
	KeySchema            []KeyElement
	GlobalIndexes        []GlobalIndex
	TTLAttribute         string
}

// AttributeDefinition is a key attribute and its type (S, N, B).
type AttributeDefinition struct {
	AttributeName string `yaml:"AttributeName"`
	AttributeType string `yaml:"AttributeType"`
}

// KeyElement is part of a key schema (HASH or RANGE).
type KeyElement struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

// GlobalIndex is a global secondary index.
type GlobalIndex struct {
	IndexName      string       `yaml:"IndexName"`
	KeySchema      []KeyElement `yaml:"KeySchema"`
	ProjectionType string
}

type document struct {
	Globals struct {
		Function struct {
			Timeout int `yaml:"Timeout"`
		} `yaml:"Function"`
	} `yaml:"Globals"`
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
}

type functionProps struct {
	Events map[string]struct {
		Type       string `yaml:"Type"`
		Properties struct {
			Path   string `yaml:"Path"`
			Method string `yaml:"Method"`
			APIID  Value  `yaml:"ApiId"`
			Auth   struct {
				Authorizer string `yaml:"Authorizer"`
			} `yaml:"Auth"`
		} `yaml:"Properties"`
	} `yaml:"Events"`
}

type httpAPIProps struct {
	Auth struct {
		DefaultAuthorizer string `yaml:"DefaultAuthorizer"`
		Authorizers       map[string]struct {
			FunctionArn Value `yaml:"FunctionArn"`
			Identity    struct {
				ReauthorizeEvery int `yaml:"ReauthorizeEvery"`
			} `yaml:"Identity"`
		} `yaml:"Authorizers"`
	} `yaml:"Auth"`
}

type stateMachineProps struct {
	DefinitionURI string           `yaml:"DefinitionUri"`
	Substitutions map[string]Value `yaml:"DefinitionSubstitutions"`
}

type tableProps struct {
	AttributeDefinitions   []AttributeDefinition `yaml:"AttributeDefinitions"`
	KeySchema              []KeyElement          `yaml:"KeySchema"`
	GlobalSecondaryIndexes []struct {
		IndexName  string       `yaml:"IndexName"`
		KeySchema  []KeyElement `yaml:"KeySchema"`
		Projection struct {
			ProjectionType string `yaml:"ProjectionType"`
		} `yaml:"Projection"`
	} `yaml:"GlobalSecondaryIndexes"`
	TimeToLiveSpecification struct {
		AttributeName string `yaml:"AttributeName"`
		Enabled       bool   `yaml:"Enabled"`
	} `yaml:"TimeToLiveSpecification"`
}

// Load reads and parses a template file.
func Load(file string) (*Template, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return Parse(raw)
}

// Parse parses template YAML. Resources come out sorted by logical id.
func Parse(raw []byte) (*Template, error) {
	var doc document
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	ids := make([]string, 0, len(doc.Resources))
	for id := range doc.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	t := &Template{FunctionTimeout: doc.Globals.Function.Timeout}
	for _, id := range ids {
		r := doc.Resources[id]
		var err error
		switch r.Type {
		case "AWS::Serverless::Function":
			err = t.addFunction(id, &r.Properties)
		case "AWS::Serverless::HttpApi":
			err = t.addHTTPAPI(id, &r.Properties)
		case "AWS::Serverless::StateMachine":
			var p stateMachineProps
			if err = r.Properties.Decode(&p); err == nil {
				t.StateMachines = append(t.StateMachines, StateMachine{LogicalID: id, DefinitionURI: p.DefinitionURI, Substitutions: p.Substitutions})
			}
		case "AWS::DynamoDB::Table":
			err = t.addTable(id, &r.Properties)
		}
		if err != nil {
			return nil, fmt.Errorf("samtemplate: %s: %w", id, err)
		}
	}
	return t, nil
}

// FunctionDir is the directory under functions/ of the function logicalID.
func FunctionDir(logicalID string) string {
	var b strings.Builder
	for i, r := range strings.TrimSuffix(logicalID, "Function") {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (t *Template) addFunction(id string, props *yaml.Node) error {
	var p functionProps
	if err := props.Decode(&p); err != nil {
		return err
	}
	f := Function{LogicalID: id, Name: FunctionDir(id)}
	for _, e := range p.Events {
		if e.Type != "HttpApi" {
			continue
		}
		f.Routes = append(f.Routes, Route{
			Method: strings.ToUpper(e.Properties.Method), Path: e.Properties.Path, API: e.Properties.APIID.Text,
			Unauthenticated: e.Properties.Auth.Authorizer == "NONE",
		})
	}
	sort.Slice(f.Routes, func(i, j int) bool { return f.Routes[i].Path+f.Routes[i].Method < f.Routes[j].Path+f.Routes[j].Method })
	t.Functions = append(t.Functions, f)
	return nil
}

func (t *Template) addHTTPAPI(id string, props *yaml.Node) error {
	var p httpAPIProps
	if err := props.Decode(&p); err != nil {
		return err
	}
	api := HTTPAPI{LogicalID: id}
	if def, ok := p.Auth.Authorizers[p.Auth.DefaultAuthorizer]; ok {
		// FunctionArn is !GetAtt <Function>.Arn.
		api.AuthorizerFunction = strings.TrimSuffix(def.FunctionArn.Text, ".Arn")
		api.AuthorizerCache = time.Duration(def.Identity.ReauthorizeEvery) * time.Second
	}
	t.HTTPAPIs = append(t.HTTPAPIs, api)
	return nil
}

func (t *Template) addTable(id string, props *yaml.Node) error {
	var p tableProps
	if err := props.Decode(&p); err != nil {
		return err
	}
	tb := Table{LogicalID: id, AttributeDefinitions: p.AttributeDefinitions, KeySchema: p.KeySchema}
	for _, g := range p.GlobalSecondaryIndexes {
		tb.GlobalIndexes = append(tb.GlobalIndexes, GlobalIndex{IndexName: g.IndexName, KeySchema: g.KeySchema, ProjectionType: g.Projection.ProjectionType})
	}
	if p.TimeToLiveSpecification.Enabled {
		tb.TTLAttribute = p.TimeToLiveSpecification.AttributeName
	}
	t.Tables = append(t.Tables, tb)
	return nil
}

// Function finds a function by logical id.
func (t *Template) Function(logicalID string) (Function, bool) {
	for _, f := range t.Functions {
		if f.LogicalID == logicalID {
			return f, true
		}
	}
	return Function{}, false
}
