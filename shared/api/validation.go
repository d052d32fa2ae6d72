package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// ValidationError lists what is wrong with a request, field by field.
type ValidationError struct {
	Detail string
	Fields []FieldError
	// malformed: the body is not the JSON object the route takes at all.
	malformed   bool
	unsupported bool
	tooLarge    bool
}

func (e *ValidationError) Error() string {
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	if len(parts) == 0 {
		return "api: invalid request: " + e.Detail
	}
	return "api: invalid request: " + strings.Join(parts, "; ")
}

func (e *ValidationError) status() int {
	switch {
	case e.unsupported:
		return http.StatusUnsupportedMediaType
	case e.tooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func (e *ValidationError) code() string {
	switch {
	case e.unsupported:
		return CodeUnsupportedMediaType
	case e.tooLarge:
		return CodePayloadTooLarge
	case e.malformed:
		return CodeMalformedBody
	}
	return CodeValidationFailed
}

// Invalid reports one field at fault, for checks a handler makes itself
// (headers, path parameters).
func Invalid(field, code, message string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code, Message: message}}}
}

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON names, as the client wrote them.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// Leat's own examples use short placeholder ids, so only length and
	// alphabet are checked, not UUID syntax.
	if err := v.RegisterValidation("leat_id", func(fl validator.FieldLevel) bool { return isLeatID(fl.Field().String()) }); err != nil {
		panic(err)
	}
	return v
}

func isLeatID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// decodeJSON reads a JSON object into dst strictly (unknown fields are errors,
// so a misspelt field never silently does nothing) and validates it.
func decodeJSON(body []byte, contentType string, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return &ValidationError{Detail: "the request needs a JSON body", malformed: true}
	}
	if mt, _, _ := strings.Cut(contentType, ";"); contentType != "" && !strings.EqualFold(strings.TrimSpace(mt), "application/json") {
		return &ValidationError{Detail: "send the body as application/json", unsupported: true}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &ValidationError{Detail: "the body holds more than one JSON value", malformed: true}
	}
	return Validate(dst)
}

func jsonProblem(err error) *ValidationError {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			return &ValidationError{Detail: "the body must be a JSON object", malformed: true}
		}
		return Invalid(field, "type", fmt.Sprintf("must be a %s", jsonKind(typeErr.Type)))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field := strings.Trim(name, `"`)
		return Invalid(field, "unknown_field", "is not a field of this request")
	}
	return &ValidationError{Detail: "the body is not valid JSON: " + err.Error(), malformed: true}
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number"
	case reflect.Slice, reflect.Array:
		return "list"
	}
	return "object"
}

// Validate checks a command struct's `validate` tags and reports each failure
// with its JSON path and a stable code (the validator tag that failed).
func Validate(v any) error {
	err := validate.Struct(v)
	var failures validator.ValidationErrors
	if !errors.As(err, &failures) {
		return err
	}
	out := &ValidationError{}
	for _, f := range failures {
		out.Fields = append(out.Fields, FieldError{Field: fieldPath(f.Namespace()), Code: f.Tag(), Message: message(f)})
	}
	return out
}

// fieldPath drops the struct's own name: "identifyRequest.items[0].sku" → "items[0].sku".
func fieldPath(ns string) string {
	_, path, found := strings.Cut(ns, ".")
	if !found {
		return ns
	}
	return path
}

func message(f validator.FieldError) string {
	switch f.Tag() {
	case "required":
		return "is required"
	case "required_without":
		return "is required unless " + jsonName(f.Param()) + " is given"
	case "required_without_all":
		return "is required unless one of " + jsonNames(f.Param()) + " is given"
	case "required_if":
		field, value, _ := strings.Cut(f.Param(), " ")
		return "is required when " + jsonName(field) + " is " + value
	case "excluded_if":
		field, value, _ := strings.Cut(f.Param(), " ")
		return "cannot be given when " + jsonName(field) + " is " + value
	case "excluded_without":
		return "can only be given with " + jsonNames(f.Param())
	case "excluded_with":
		return "cannot be combined with " + jsonNames(f.Param())
	case "email":
		return "must be an email address"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(f.Param(), " ", ", ")
	case "max":
		return "must be at most " + f.Param() + lengthUnit(f)
	case "min":
		return "must be at least " + f.Param() + lengthUnit(f)
	case "gt":
		return "must be greater than " + f.Param()
	case "gte":
		return "must be at least " + f.Param()
	case "printascii":
		return "must be printable ASCII"
	case "leat_id":
		return "must be a Leat id (letters, digits and '-')"
	}
	return "is invalid (" + f.Tag() + ")"
}

func lengthUnit(f validator.FieldError) string {
	if f.Kind() == reflect.String {
		return " characters"
	}
	if f.Kind() == reflect.Slice {
		return " items"
	}
	return ""
}

// jsonNames turns a validator parameter naming several Go fields into their
// JSON names ("Email ContactUUID" → "email, contact_uuid").
func jsonNames(goNames string) string {
	names := strings.Fields(goNames)
	for i, n := range names {
		names[i] = jsonName(n)
	}
	return strings.Join(names, ", ")
}

// jsonName turns a Go field name in a validator parameter into the JSON name
// clients know ("ContactUUID" → "contact_uuid").
func jsonName(goName string) string {
	var b strings.Builder
	runes := []rune(goName)
	for i, r := range runes {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := runes[i-1] >= 'a' && runes[i-1] <= 'z'
			nextLower := i+1 < len(runes) && runes[i+1] >= 'a' && runes[i+1] <= 'z'
			if prevLower || nextLower {
				b.WriteByte('_')
			}
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}
