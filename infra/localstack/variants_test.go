package localstack_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/leatpos/gateway/infra/leatsandbox"
)

// The saga scenarios run under every sandbox variant, and each variant's run
// is a process of its own, with a stack of its own, beside this one: most of
// a scenario's time is waiting (payment deadlines, Retry-After, the engine),
// which the runs then share instead of adding up.

// variantEnv names the one variant a child run of the test binary serves,
// as "name=value"; unset in the parent, which serves the defaults.
const variantEnv = "LOCALSTACK_TEST_VARIANT"

// variantTests are the tests that run under every variant.
var variantTests = []string{"TestCheckoutSaga", "TestCheckoutLostAnswers", "TestReturns", "TestChaos"}

// variants are the sandbox behaviours this run serves: the defaults in the
// parent, its one variant in a child.
func variants() []map[string]string {
	name, value, found := strings.Cut(os.Getenv(variantEnv), "=")
	if !found {
		return []map[string]string{{}}
	}
	return []map[string]string{{name: value}}
}

// variantRun is a child run of the test binary under one variant.
type variantRun struct {
	variant string
	cmd     *exec.Cmd
	out     bytes.Buffer
}

// startVariantRuns starts a child run for every variant but the defaults,
// unless this is a child, or the tests asked for (-run) include none of
// the variant tests.
func startVariantRuns() ([]*variantRun, error) {
	if os.Getenv(variantEnv) != "" || restarting() {
		return nil, nil
	}
	pattern := flag.Lookup("test.run").Value.String()
	if pattern != "" && !slices.ContainsFunc(variantTests, func(name string) bool { return strings.Contains(pattern, name) }) {
		return nil, nil
	}
	if pattern == "" {
		pattern = "^(" + strings.Join(variantTests, "|") + ")$"
	}
	var runs []*variantRun
	for name, values := range leatsandbox.VariantChoices() {
		for _, value := range values[1:] {
			r, err := startChildRun(name+"="+value, variantEnv+"="+name+"="+value, pattern)
			if err != nil {
				return nil, err
			}
			runs = append(runs, r)
		}
	}
	slices.SortFunc(runs, func(a, b *variantRun) int { return strings.Compare(a.variant, b.variant) })
	return runs, nil
}

// startRestartsRun starts the chaos run with restarts and killed
// invocations, when the tests asked for include the chaos run. It runs after
// the others, alone: a restart of DynamoDB Local on a machine busy with five
// stacks takes many times longer than on one with a single stack, which
// would test a longer outage than the retries are meant to outlast.
func startRestartsRun() (*variantRun, error) {
	if os.Getenv(variantEnv) != "" || restarting() {
		return nil, nil
	}
	if pattern := flag.Lookup("test.run").Value.String(); pattern != "" && !strings.Contains(pattern, "TestChaos") {
		return nil, nil
	}
	return startChildRun("defaults, with restarts and killed invocations", restartsEnv+"=1", "^TestChaos$")
}

// startChildRun runs the tests matching pattern in a child process with env
// added, passing the chaos run's settings on.
func startChildRun(variant, env, pattern string) (*variantRun, error) {
	r := &variantRun{variant: variant}
	args := []string{"-test.run=" + pattern, "-test.count=1", "-test.v=" + flag.Lookup("test.v").Value.String()}
	for _, name := range []string{"chaos.runs", "chaos.faults", "chaos.workers", "chaos.seed"} {
		args = append(args, "-"+name+"="+flag.Lookup(name).Value.String())
	}
	r.cmd = exec.Command(os.Args[0], args...)
	r.cmd.Env = append(os.Environ(), env)
	r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.out
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	return r, nil
}

// waitVariantRuns waits for every child run and reports each: its output
// when it failed or when -v asked for it. It answers whether all passed.
func waitVariantRuns(runs []*variantRun) bool {
	passed := true
	verbose := flag.Lookup("test.v").Value.String() == "true"
	for _, r := range runs {
		err := r.cmd.Wait()
		if err != nil || verbose {
			fmt.Printf("--- variant %s:\n%s", r.variant, r.out.String())
		}
		if err != nil {
			fmt.Printf("FAIL: the run under sandbox variant %s: %v\n", r.variant, err)
			passed = false
		}
	}
	return passed
}

// stopVariantRuns ends the child runs of a parent that cannot run itself.
func stopVariantRuns(runs []*variantRun) {
	for _, r := range runs {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}
