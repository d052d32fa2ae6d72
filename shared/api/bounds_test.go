package api

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/leatpos/gateway/infra/repo"
)

// requestBodies are the bodies the API decodes, the types its handlers
// decode into.
var requestBodies = []any{
	checkoutRequest{}, paymentRequest{}, tenderRequest{}, customerRequest{},
	identifyRequest{}, portalSessionRequest{}, returnRequest{},
}

// TestEveryInputIsBounded: every string, list and number a request body
// carries has an upper bound in its validation, so no body, however it is
// built, makes a handler read, store or send more than the API allows.
func TestEveryInputIsBounded(t *testing.T) {
	bounds := []string{"max=", "lte=", "len=", "oneof=", "leat_id", "eq="}
	var check func(typ reflect.Type, path string)
	check = func(typ reflect.Type, path string) {
		for field := range typ.Fields() {
			tag := field.Tag.Get("validate")
			name := path + "." + strings.Split(field.Tag.Get("json"), ",")[0]
			ft := field.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch ft.Kind() {
			case reflect.String, reflect.Int, reflect.Int64:
				if !slices.ContainsFunc(bounds, func(b string) bool { return strings.Contains(tag, b) }) {
					t.Errorf("%s (%s) has no upper bound: validate:%q", name, ft.Kind(), tag)
				}
			case reflect.Slice:
				before, after, _ := strings.Cut(tag, "dive")
				if !strings.Contains(before, "max=") {
					t.Errorf("%s (list) has no maximum length: validate:%q", name, tag)
				}
				switch ft.Elem().Kind() {
				case reflect.String:
					if !strings.Contains(after, "max=") {
						t.Errorf("%s (list of strings) has no bound on its items: validate:%q", name, tag)
					}
				case reflect.Struct:
					check(ft.Elem(), name+"[]")
				}
			case reflect.Struct:
				check(ft, name)
			}
		}
	}
	for _, body := range requestBodies {
		check(reflect.TypeOf(body), reflect.TypeOf(body).Name())
	}
}

// TestOpenAPIBoundsEveryInput: the OpenAPI document states an upper bound
// for every string, list and integer a request may carry, in its bodies and
// parameters, so a POS reads the limits where it reads the API.
func TestOpenAPIBoundsEveryInput(t *testing.T) {
	file, err := repo.Path("docs", "openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	resolve := func(v any) map[string]any {
		m, _ := v.(map[string]any)
		for m != nil && m["$ref"] != nil {
			var target any = doc
			for _, part := range strings.Split(strings.TrimPrefix(m["$ref"].(string), "#/"), "/") {
				target = target.(map[string]any)[part]
			}
			m, _ = target.(map[string]any)
		}
		return m
	}
	checked := 0
	var check func(v any, path string)
	check = func(v any, path string) {
		schema := resolve(v)
		if schema == nil {
			return
		}
		types := []string{}
		switch t := schema["type"].(type) {
		case string:
			types = append(types, t)
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		bounded := func(keys ...string) bool {
			return slices.ContainsFunc(keys, func(k string) bool { return schema[k] != nil })
		}
		switch {
		case slices.Contains(types, "string"):
			checked++
			if !bounded("maxLength", "enum") && schema["format"] != "date-time" && schema["format"] != "date" {
				t.Errorf("%s: a string without maxLength", path)
			}
		case slices.Contains(types, "integer"):
			checked++
			if !bounded("maximum", "enum") {
				t.Errorf("%s: an integer without maximum", path)
			}
		case slices.Contains(types, "array"):
			checked++
			if !bounded("maxItems") {
				t.Errorf("%s: a list without maxItems", path)
			}
			check(schema["items"], path+"[]")
		}
		properties, _ := schema["properties"].(map[string]any)
		for name, p := range properties {
			check(p, path+"."+name)
		}
		for _, combinator := range []string{"oneOf", "anyOf", "allOf"} {
			alternatives, _ := schema[combinator].([]any)
			for _, alt := range alternatives {
				check(alt, path)
			}
		}
	}
	for route, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			operation := resolve(op)
			parameters, _ := operation["parameters"].([]any)
			for _, p := range parameters {
				parameter := resolve(p)
				check(parameter["schema"], method+" "+route+" "+parameter["name"].(string))
			}
			if body := resolve(operation["requestBody"]); body != nil {
				for _, media := range body["content"].(map[string]any) {
					check(media.(map[string]any)["schema"], method+" "+route+" body")
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d inputs checked; the document was not read as expected", checked)
	}
}
