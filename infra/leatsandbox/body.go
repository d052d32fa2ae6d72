package leatsandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const maxBodyBytes = 1 << 20

// readInput turns a request into one generic tree of values, as Laravel's $request->input() does: the query
// string merged with the body, whichever of JSON, urlencoded or multipart it is. Form keys in PHP bracket
// notation ("line_items[0][name]") become nested objects and lists, so handlers never see the encoding.
func readInput(r *http.Request) (map[string]any, error) {
	values := map[string]any{}
	setBracketed(values, r.URL.Query())

	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	switch {
	case strings.HasSuffix(mediaType, "/json") || strings.HasSuffix(mediaType, "+json"): // Laravel's isJson()
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, invalidField("body", "The request body could not be read.")
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			break
		}
		decoder := json.NewDecoder(bytes.NewReader(raw))
		decoder.UseNumber() // keeps integers exact
		var body map[string]any
		if err := decoder.Decode(&body); err != nil {
			return nil, invalidField("body", "The request body must be a JSON object.")
		}
		for key, value := range body {
			values[key] = value
		}
	case mediaType == "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, invalidField("body", "The form body could not be read.")
		}
		setBracketed(values, r.PostForm)
	case mediaType == "multipart/form-data":
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return nil, invalidField("body", "The multipart body could not be read.")
		}
		setBracketed(values, r.MultipartForm.Value)
	}
	return values, nil
}

// setBracketed stores form values under their bracket paths. A repeated plain key keeps its last value and
// "key[]" appends, as in PHP.
func setBracketed(root map[string]any, form url.Values) {
	for key, vals := range form {
		path := bracketPath(key)
		for _, value := range vals {
			setPath(root, path, value)
		}
	}
	for key, value := range root {
		root[key] = listify(value)
	}
}

// bracketPath splits "a[b][0]" into ["a", "b", "0"] and "a[]" into ["a", ""]. A malformed key is a plain
// key, as PHP treats it.
func bracketPath(key string) []string {
	open := strings.IndexByte(key, '[')
	if open <= 0 || !strings.HasSuffix(key, "]") {
		return []string{key}
	}
	path := []string{key[:open]}
	for rest := key[open:]; rest != ""; {
		end := strings.IndexByte(rest, ']')
		if rest[0] != '[' || end < 0 {
			return []string{key}
		}
		path = append(path, rest[1:end])
		rest = rest[end+1:]
	}
	return path
}

func setPath(node map[string]any, path []string, value string) {
	name := path[0]
	if name == "" {
		name = strconv.Itoa(len(node))
	}
	if len(path) == 1 {
		node[name] = value
		return
	}
	child, ok := node[name].(map[string]any)
	if !ok {
		child = map[string]any{}
		node[name] = child
	}
	setPath(child, path[1:], value)
}

// listify turns objects keyed "0", "1", … into lists, which is how PHP encodes such arrays.
func listify(value any) any {
	node, ok := value.(map[string]any)
	if !ok {
		return value
	}
	for key, child := range node {
		node[key] = listify(child)
	}
	list := make([]any, len(node))
	for key, child := range node {
		index, err := strconv.Atoi(key)
		if err != nil || index < 0 || index >= len(list) || strconv.Itoa(index) != key {
			return node
		}
		list[index] = child
	}
	return list
}

// fields reads one object of the input with typed getters. Getters accept what Laravel accepts (numbers as
// JSON numbers or numeric strings, booleans as true/false/1/0/"true"/"false") and record Laravel-style
// messages in a bag shared by the whole request, so one answer lists every bad field, as Leat's does.
type fields struct {
	values  map[string]any
	prefix  string // where this object sits in the request ("line_items.0."), for error keys
	invalid map[string][]string
}

func newFields(values map[string]any) fields {
	return fields{values: values, invalid: map[string][]string{}}
}

// fail records a validation message for key.
func (f fields) fail(key, message string) {
	f.invalid[f.prefix+key] = append(f.invalid[f.prefix+key], message)
}

// label is how Laravel names a field in its messages: "contact_uuid" → "contact uuid".
func (f fields) label(key string) string {
	return strings.ReplaceAll(f.prefix+key, "_", " ")
}

// err is the 1003 answer for everything recorded so far, or nil.
func (f fields) err() error {
	if len(f.invalid) == 0 {
		return nil
	}
	return invalidInput(f.invalid)
}

// lookup finds key; Laravel turns empty strings into null, so "" counts as absent.
func (f fields) lookup(key string) (any, bool) {
	value, ok := f.values[key]
	if !ok || value == nil || value == "" {
		return nil, false
	}
	return value, true
}

func (f fields) has(key string) bool {
	_, ok := f.lookup(key)
	return ok
}

func (f fields) requireField(key string) bool {
	if f.has(key) {
		return true
	}
	f.fail(key, "The "+f.label(key)+" field is required.")
	return false
}

func (f fields) string(key string) string {
	value, ok := f.lookup(key)
	if !ok {
		return ""
	}
	switch v := value.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	}
	f.fail(key, "The "+f.label(key)+" must be a string.")
	return ""
}

func (f fields) requiredString(key string) string {
	if !f.requireField(key) {
		return ""
	}
	return f.string(key)
}

// oneOf reads an optional string that must be one of allowed; "" when absent.
func (f fields) oneOf(key string, allowed ...string) string {
	value := f.string(key)
	if value == "" {
		return ""
	}
	for _, candidate := range allowed {
		if value == candidate {
			return value
		}
	}
	f.fail(key, "The selected "+f.label(key)+" is invalid.")
	return ""
}

func (f fields) requiredOneOf(key string, allowed ...string) string {
	if !f.requireField(key) {
		return ""
	}
	return f.oneOf(key, allowed...)
}

// integer reads an optional whole number; ok is false when it is absent or invalid.
func (f fields) integer(key string) (n int64, ok bool) {
	value, present := f.lookup(key)
	if !present {
		return 0, false
	}
	var text string
	switch v := value.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f.fail(key, "The "+f.label(key)+" must be an integer.")
		return 0, false
	}
	return n, true
}

func (f fields) requiredInteger(key string) int64 {
	if !f.requireField(key) {
		return 0
	}
	n, _ := f.integer(key)
	return n
}

// positiveInteger reads an optional integer of at least 1; fallback when absent.
func (f fields) positiveInteger(key string, fallback int64) int64 {
	n, ok := f.integer(key)
	if !ok {
		return fallback
	}
	if n < 1 {
		f.fail(key, "The "+f.label(key)+" must be at least 1.")
		return fallback
	}
	return n
}

func (f fields) requiredPositiveInteger(key string) int64 {
	if !f.requireField(key) {
		return 0
	}
	return f.positiveInteger(key, 0)
}

// boolean reads an optional boolean; fallback when absent.
func (f fields) boolean(key string, fallback bool) bool {
	value, ok := f.lookup(key)
	if !ok {
		return fallback
	}
	switch v := value.(type) {
	case bool:
		return v
	case string, json.Number:
		switch strings.ToLower(strings.TrimSpace(toText(v))) {
		case "1", "true":
			return true
		case "0", "false":
			return false
		}
	}
	f.fail(key, "The "+f.label(key)+" field must be true or false.")
	return fallback
}

// date reads an optional ISO-8601 timestamp.
func (f fields) date(key string) *time.Time {
	text := f.string(key)
	if text == "" {
		return nil
	}
	t, err := parseTimestamp(text)
	if err != nil {
		f.fail(key, "The "+f.label(key)+" is not a valid date.")
		return nil
	}
	return &t
}

// timeRange is Leat's filter on a timestamp, key[gt], key[gte], key[lt] and key[lte] (leat-api.md §5); an
// absent bound does not limit.
type timeRange struct {
	gt, gte, lt, lte *time.Time
}

func (f fields) timeRange(key string) timeRange {
	bounds := f.object(key)
	return timeRange{gt: bounds.date("gt"), gte: bounds.date("gte"), lt: bounds.date("lt"), lte: bounds.date("lte")}
}

// contains compares at whole seconds, the precision Leat stores and returns timestamps in, so a client that
// filters on a created_at it read back finds that record again.
func (r timeRange) contains(t time.Time) bool {
	t = t.Truncate(time.Second)
	return (r.gt == nil || t.After(*r.gt)) && (r.gte == nil || !t.Before(*r.gte)) &&
		(r.lt == nil || t.Before(*r.lt)) && (r.lte == nil || !t.After(*r.lte))
}

// object reads a nested object; an absent one reads as empty.
func (f fields) object(key string) fields {
	nested := fields{prefix: f.prefix + key + ".", invalid: f.invalid}
	value, ok := f.lookup(key)
	if !ok {
		return nested
	}
	if m, isObject := value.(map[string]any); isObject {
		nested.values = m
		return nested
	}
	f.fail(key, "The "+f.label(key)+" must be an array.")
	return nested
}

// list reads a nested list of objects; nil when absent.
func (f fields) list(key string) []fields {
	value, ok := f.lookup(key)
	if !ok {
		return nil
	}
	items, isList := value.([]any)
	if !isList {
		f.fail(key, "The "+f.label(key)+" must be an array.")
		return nil
	}
	result := make([]fields, 0, len(items))
	for i, item := range items {
		element := fields{prefix: f.prefix + key + "." + strconv.Itoa(i) + ".", invalid: f.invalid}
		m, isObject := item.(map[string]any)
		if !isObject {
			f.fail(key+"."+strconv.Itoa(i), "The "+f.label(key+"."+strconv.Itoa(i))+" must be an array.")
			continue
		}
		element.values = m
		result = append(result, element)
	}
	return result
}

func (f fields) requiredList(key string) []fields {
	if !f.requireField(key) {
		return nil
	}
	return f.list(key)
}

// attributes reads a flat map of custom attribute values, all kept as strings the way Leat returns them.
func (f fields) attributes(key string) map[string]string {
	nested := f.object(key)
	result := make(map[string]string, len(nested.values))
	for name, value := range nested.values {
		switch v := value.(type) {
		case nil:
			result[name] = ""
		case string, json.Number, bool:
			result[name] = toText(v)
		default:
			nested.fail(name, "The "+nested.label(name)+" must be a string.")
		}
	}
	return result
}

func toText(value any) string {
	switch v := value.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}
