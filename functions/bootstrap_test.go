// Package functions_test runs the deployable bootstrap binaries the way Lambda
// does, under AWS's Runtime Interface Emulator, so the one line of each main
// and the configuration it reads are proven, not only the handlers.
package functions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/leatpos/gateway/infra/ddblocal"
	"github.com/leatpos/gateway/infra/ddblocal/ddblocaltest"
	"github.com/leatpos/gateway/shared/dynamodb"
	"github.com/leatpos/gateway/shared/tenancy"
)

const emulator = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// lambdaFunction is a bootstrap binary running under the emulator.
type lambdaFunction struct{ invokeURL string }

func build(t *testing.T, dir, out, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, out)
	// Without DWARF, which no test reads, each link takes a fraction of the time.
	goBuild(t, bin, pkg, "-w")
	return bin
}

// goBuild builds a function's package with the build tags the Makefile
// deploys it with, for this machine unless env names another.
func goBuild(tb testing.TB, bin, pkg, ldflags string, env ...string) {
	tb.Helper()
	cmd := exec.Command("go", "build", "-tags", lambdaTags(tb), "-trimpath", "-ldflags="+ldflags, "-o", bin, pkg)
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
}

// lambdaTags reads the build tags from the Makefile, which sam build runs,
// so the tests build what is deployed.
func lambdaTags(tb testing.TB) string {
	tb.Helper()
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		tb.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^LAMBDA_TAGS := (\S+)$`).FindSubmatch(makefile)
	if m == nil {
		tb.Fatal("the Makefile sets no LAMBDA_TAGS")
	}
	return string(m[1])
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs functions/<name> under the emulator rie as Lambda would, with
// the given table.
func start(t *testing.T, rie, name, table string) lambdaFunction {
	t.Helper()
	bootstrap := build(t, t.TempDir(), "bootstrap", "./"+name)
	invokeAddr := freeAddr(t)
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", invokeAddr, "--runtime-api-address", freeAddr(t), bootstrap)
	cmd.Env = append(os.Environ(),
		"TABLE_NAME="+table, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"AWS_LAMBDA_FUNCTION_NAME="+name, "AWS_LAMBDA_FUNCTION_TIMEOUT=10")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s logs:\n%s", name, logs.String())
		}
	})
	return lambdaFunction{invokeURL: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations"}
}

// invoke sends one event, waiting for the emulator to come up on the first call.
func (f lambdaFunction) invoke(t *testing.T, event, out any) {
	t.Helper()
	payload, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Post(f.invokeURL, "application/json", bytes.NewReader(payload))
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err := json.Unmarshal(body, out); err != nil {
				t.Fatalf("answer %s: %v", body, err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the function never answered: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestBootstrapBinariesAnswerLikeLambda(t *testing.T) {
	if os.Getenv(ddblocal.EndpointEnv) == "" {
		ddblocaltest.Client(t) // skips, or fails in CI
	}
	t.Setenv("DYNAMODB_ENDPOINT", os.Getenv(ddblocal.EndpointEnv))
	table, _, name := ddblocaltest.NewTable(t)
	dir := dynamodb.NewDirectory(table)
	ctx := context.Background()
	acme := tenancy.Tenant{
		ID: "acme", Name: "Acme", LeatCredentials: "secretsmanager:leat/acme", Currency: "EUR", AttributePrefix: "pos_",
		RewardStrategy: tenancy.RewardRedeemReverse, VoucherStrategy: tenancy.VoucherLockRedeem,
		Locations: []tenancy.Location{{ID: "store", ShopUUID: "shop-1"}},
	}
	if err := dir.CreateTenant(ctx, acme); err != nil {
		t.Fatal(err)
	}
	key, stored, err := tenancy.IssueAPIKey(acme, "till", []tenancy.Scope{tenancy.ScopePOS}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.SaveAPIKey(ctx, stored); err != nil {
		t.Fatal(err)
	}

	rie := build(t, t.TempDir(), "aws-lambda-rie", emulator)
	authorizer := start(t, rie, "authorizer", name)
	var auth events.APIGatewayV2CustomAuthorizerSimpleResponse
	authorizer.invoke(t, events.APIGatewayV2CustomAuthorizerV2Request{
		Version: "2.0", Type: "REQUEST", Headers: map[string]string{"authorization": "Bearer " + key},
	}, &auth)
	if !auth.IsAuthorized || auth.Context["authenticated"] != true || auth.Context["tenant"] != "acme" || auth.Context["scopes"] != "pos" {
		t.Fatalf("authorizer answered %+v", auth)
	}

	// An invalid body is answered before anything reaches Leat, so the API
	// function's whole path runs offline: principal, Idempotency-Key, validation.
	identify := start(t, rie, "identify-customer", name)
	var resp events.APIGatewayV2HTTPResponse
	identify.invoke(t, events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /v1/customers/identify", RawPath: "/v1/customers/identify",
		Headers: map[string]string{"content-type": "application/json", "idempotency-key": fmt.Sprint(time.Now().UnixNano())},
		Body:    `{"identifier":"A","email":"a@example.com"}`,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "req-1", HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST"},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: auth.Context},
		},
	}, &resp)
	if resp.StatusCode != http.StatusBadRequest || resp.Headers["Content-Type"] != "application/problem+json" || resp.Headers["X-Request-Id"] != "req-1" {
		t.Fatalf("identify answered %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
}
