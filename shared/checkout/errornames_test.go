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
// aws-lambda-go reports as errorType), so the state machines' Retry rules
// must name exactly the saga's retryable error types; and every Task must
// retry a function that died mid-call, under each name Lambda reports it
// by, since the retry reconciles whatever the dead invocation left.
func TestRetryRulesNameTheSagasErrorTypes(t *testing.T) {
	for _, machine := range []string{"checkout.asl.json", "return.asl.json"} {
		t.Run(machine, func(t *testing.T) { checkRetryRules(t, machine) })
	}
}

// functionDied names what Step Functions reports when the function's
// process ended before it answered: killed, out of memory, or timed out.
var functionDied = []string{"Lambda.Unknown", "Sandbox.Timedout", "Runtime.ExitError"}

func checkRetryRules(t *testing.T, machine string) {
	retryable := map[string]bool{}
	for _, err := range []error{
		&checkout.LeatUnavailableError{}, &checkout.OutcomeUnknownError{},
		&checkout.StepInFlightError{}, &checkout.StoreUnavailableError{}, &checkout.EventsUnavailableError{},
	} {
		retryable[reflect.TypeOf(err).Elem().Name()] = false
	}
	file, err := repo.Path("statemachines", machine)
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
			if v["Type"] == "Task" {
				retried := map[string]bool{}
				rules, _ := v["Retry"].([]any)
				for _, rule := range rules {
					for _, name := range rule.(map[string]any)["ErrorEquals"].([]any) {
						retried[name.(string)] = true
					}
				}
				for _, name := range functionDied {
					if !retried[name] {
						t.Errorf("a Task (%v) does not retry %s", v["Resource"], name)
					}
				}
			}
			if rules, ok := v["Retry"].([]any); ok {
				for _, rule := range rules {
					for _, name := range rule.(map[string]any)["ErrorEquals"].([]any) {
						name := name.(string)
						if strings.HasPrefix(name, "States.") || strings.HasPrefix(name, "Lambda.") || slices.Contains(functionDied, name) {
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
