package localsfn

import (
	"errors"
	"strconv"
	"strings"
)

// referencePath is an ASL reference path into a state's input, such as $.payment['timeout_seconds'] or $.a[0]:
// a path that can select one node at most, so it has no wildcards, filters, slices, unions or deep scans.
type referencePath struct {
	text string
	// steps are object member names (string) and array indexes (int), from the root down.
	steps []any
}

// The characters that give a JSONPath name step another meaning than a member name.
const jsonPathOperators = "]*?@()',:\" \t\r\n"

var errNotReferencePath = errors.New("must be a reference path into the state's input, such as $.a.b, $['a'] or $.a[0]")

func parseReferencePath(text string) (*referencePath, error) {
	rest, ok := strings.CutPrefix(text, "$")
	if !ok || strings.HasPrefix(rest, "$") {
		return nil, errNotReferencePath
	}
	p := &referencePath{text: text}
	for rest != "" {
		var step any
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[") + 1
			if end == 0 {
				end = len(rest)
			}
			name := rest[1:end]
			if name == "" || strings.ContainsAny(name, jsonPathOperators) {
				return nil, errNotReferencePath
			}
			step, rest = name, rest[end:]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			quote := rest[1:2]
			name, after, ok := strings.Cut(rest[2:], quote+"]")
			if !ok || strings.Contains(name, quote) {
				return nil, errNotReferencePath
			}
			step, rest = name, after
		case rest[0] == '[':
			digits, after, ok := strings.Cut(rest[1:], "]")
			index, err := strconv.Atoi(digits)
			if !ok || err != nil || index < 0 || digits != strconv.Itoa(index) {
				return nil, errNotReferencePath
			}
			step, rest = index, after
		default:
			return nil, errNotReferencePath
		}
		p.steps = append(p.steps, step)
	}
	return p, nil
}

// selectIn returns the node the path selects in document, a value decoded from JSON, and whether there is one.
func (p *referencePath) selectIn(document any) (any, bool) {
	node := document
	for _, step := range p.steps {
		switch step := step.(type) {
		case string:
			object, ok := node.(map[string]any)
			if !ok {
				return nil, false
			}
			if node, ok = object[step]; !ok {
				return nil, false
			}
		case int:
			array, ok := node.([]any)
			if !ok || step >= len(array) {
				return nil, false
			}
			node = array[step]
		}
	}
	return node, true
}
