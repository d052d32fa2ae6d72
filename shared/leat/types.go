package leat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Shop is a shop (Leat is renaming them "business profiles"), as listed and as embedded in
// transactions, sessions and orders. Embedded shops may carry only some fields.
type Shop struct {
	ID        int64  `json:"id"`
	UUID      string `json:"uuid"`
	Name      string `json:"name"`
	Type      string `json:"type"` // "physical" or "web"
	Reference string `json:"reference"`
}

// ContactSummary is the short form of a contact embedded in other objects.
type ContactSummary struct {
	UUID  string `json:"uuid"`
	Email string `json:"email"`
	// CreditBalance is present in reward receptions and collectable rewards, where it is
	// the balance after the operation.
	CreditBalance *CreditBalance `json:"credit_balance,omitempty"`
}

// CreditBalance is a loyalty points balance.
type CreditBalance struct {
	Balance int64 `json:"balance"`
}

// PrepaidBalance is a prepaid money balance.
type PrepaidBalance struct {
	BalanceInCents int64 `json:"balance_in_cents"`
}

// Media is an image attached to a reward, tier or promotion.
type Media struct {
	Type  string `json:"type"`
	Value string `json:"value"` // URL
}

// Ref names a Leat object by uuid.
type Ref struct {
	UUID string `json:"uuid"`
}

// ExternalRef names an object by the identifier the POS gave it.
type ExternalRef struct {
	ExternalIdentifier string `json:"external_identifier"`
}

// Attributes holds custom attribute values by attribute name. Leat sends values as strings,
// numbers, booleans or null; they are kept as text: numbers and booleans as written in the
// JSON (1.5, true), null as "".
type Attributes map[string]string

// UnmarshalJSON accepts an object, null, or the empty array PHP writes for an empty map.
func (a *Attributes) UnmarshalJSON(data []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		var list []json.RawMessage
		if json.Unmarshal(data, &list) == nil && len(list) == 0 {
			*a = nil
			return nil
		}
		return err
	}
	*a = nil
	for name, raw := range members {
		a.set(name, raw)
	}
	return nil
}

func (a *Attributes) set(name string, raw json.RawMessage) {
	if *a == nil {
		*a = Attributes{}
	}
	var text string
	if json.Unmarshal(raw, &text) != nil {
		var compact bytes.Buffer
		if json.Compact(&compact, raw) == nil {
			text = compact.String()
		}
	}
	(*a)[name] = text
}

// decodeFlat decodes data into known, a pointer to a struct, and returns as Attributes the
// top-level members that neither a field of known nor ignore names: Leat flattens custom
// attributes into some objects (rewards) next to the regular fields.
func decodeFlat(data []byte, known any, ignore ...string) (Attributes, error) {
	if err := json.Unmarshal(data, known); err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, err
	}
	fields := jsonFieldNames(reflect.TypeOf(known).Elem())
	var extra Attributes
	for name, raw := range members {
		if !fields[name] && !slices.Contains(ignore, name) {
			extra.set(name, raw)
		}
	}
	return extra, nil
}

func jsonFieldNames(t reflect.Type) map[string]bool {
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		field := t.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		switch name {
		case "-":
		case "":
			names[field.Name] = true
		default:
			names[name] = true
		}
	}
	return names
}

// flexInt accepts a JSON number, a numeric string or null: Laravel's paginator sends
// per_page as "30".
type flexInt int64

func (n *flexInt) UnmarshalJSON(data []byte) error {
	text := strings.Trim(string(data), `"`)
	if text == "null" || text == "" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %s", data)
	}
	*n = flexInt(v)
	return nil
}
