package localsfn

import (
	"encoding/json"
	"testing"
)

func TestReferencePath(t *testing.T) {
	var document any
	if err := json.Unmarshal([]byte(`{"a": {"b": [10, {"c d": 20}]}, "x.y": 30}`), &document); err != nil {
		t.Fatal(err)
	}
	selections := map[string]any{
		"$.a.b[0]":        10.0,
		`$.a.b[1]['c d']`: 20.0,
		`$["x.y"]`:        30.0,
		"$.a.c":           nil,
		"$.a.b[2]":        nil,
		"$.a.b.c":         nil,
		"$.a[0]":          nil,
		"$['x']":          nil,
	}
	for path, want := range selections {
		p, err := parseReferencePath(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if got, found := p.selectIn(document); found != (want != nil) || got != want {
			t.Errorf("%s selects %v (found: %v), want %v", path, got, found, want)
		}
	}
	if p, err := parseReferencePath("$"); err != nil {
		t.Error(err)
	} else if got, found := p.selectIn(document); !found || got == nil {
		t.Error("$ selects nothing")
	}
	for _, path := range []string{"", "a.b", "$$.Execution.Input", "$..a", "$.a.", "$.*", "$.a[*]", "$.a[-1]",
		"$.a[01]", "$.a[0:2]", "$.a[0,1]", "$.a[?(@.b)]", "$.length()", "$['a'", `$['a"]`, "$[a]", "$ .a", "$.c d"} {
		if _, err := parseReferencePath(path); err == nil {
			t.Errorf("%q parsed as a reference path", path)
		}
	}
}
