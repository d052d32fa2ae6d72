package checkout_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leatpos/gateway/infra/repo"
	"github.com/leatpos/gateway/shared/checkout"
)

// Step Functions sees a returned Go error by its type's name (what
// aws-lambda-go reports as errorType), so the state machine's Retry rules
// must name exactly the saga's retryable error types.
func TestRetryRulesNameTheSagasErrorTypes(t *testing.T) {
	retryable := map[string]bool{}
	for _, err := range []error{
		&checkout.LeatUnavailableError{}, &checkout.OutcomeUnknownError{},
		&checkout.StepInFlightError{}, &checkout.StoreUnavailableError{},
	} {
		retryable[reflect.TypeOf(err).Elem().Name()] = false
	}
	file, err := repo.Path("statemachines", "checkout.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var definition any
	if err := json.Unmarshal(raw, &definition); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if rules, ok := v["Retry"].([]any); ok {
				for _, rule := range rules {
					for _, name := range rule.(map[string]any)["ErrorEquals"].([]any) {
						name := name.(string)
						if strings.HasPrefix(name, "States.") || strings.HasPrefix(name, "Lambda.") {
							continue
						}
						if _, known := retryable[name]; !known {
							t.Errorf("a Retry rule names %q, which no saga error type is", name)
						}
						retryable[name] = true
					}
				}
			}
			for _, child := range v {
				walk(child)
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	walk(definition)
	var unused []string
	for name, used := range retryable {
		if !used {
			unused = append(unused, name)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("no Retry rule retries %v", unused)
	}
}
