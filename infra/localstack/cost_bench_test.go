package localstack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/leatpos/gateway/infra/apigw"
	"github.com/leatpos/gateway/infra/localstack"
	"github.com/leatpos/gateway/shared/checkout"
	"github.com/leatpos/gateway/shared/ledger"
)

// AWS list prices in us-east-1 on 2026-11-30, in US dollars, that a
// checkout's usage is priced at.
const (
	priceTransition  = 0.025 / 1_000     // Step Functions Standard, per state transition
	priceInvocation  = 0.20 / 1_000_000  // Lambda, per request
	priceGBSecond    = 0.0000133334      // Lambda on arm64, per GB-second
	priceReadUnit    = 0.125 / 1_000_000 // DynamoDB on demand, per read request unit
	priceWriteUnit   = 0.625 / 1_000_000 // DynamoDB on demand, per write request unit
	priceAPIRequest  = 1.00 / 1_000_000  // API Gateway HTTP API, per request
	priceEvent       = 1.00 / 1_000_000  // EventBridge, per custom event
	functionMemoryGB = 0.25              // template.yaml's MemorySize
)

// stateTransitions counts the states an execution entered, which Step
// Functions Standard bills.
func stateTransitions(t testing.TB, executionARN string) int {
	t.Helper()
	client := awssfn.New(awssfn.Options{
		Region: apigw.Region, BaseEndpoint: aws.String(stack.StepFunctionsURL),
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
	entered := 0
	var next *string
	for {
		page, err := client.GetExecutionHistory(context.Background(), &awssfn.GetExecutionHistoryInput{ExecutionArn: &executionARN, NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			if strings.HasSuffix(string(e.Type), "StateEntered") {
				entered++
			}
		}
		if next = page.NextToken; next == nil {
			return entered
		}
	}
}

// used is what the stack billed between two snapshots.
type used struct{ invocations, reads, writes, events float64 }

func usedBetween(before, after localstack.UsageCounts) used {
	var u used
	for fn, count := range after.Invocations {
		u.invocations += float64(count - before.Invocations[fn])
	}
	for op, count := range after.Calls {
		delta := float64(count - before.Calls[op])
		switch {
		case strings.HasSuffix(op, ".GetItem"), strings.HasSuffix(op, ".Query"):
			u.reads += delta
		case strings.HasSuffix(op, ".PutItem"), strings.HasSuffix(op, ".UpdateItem"), strings.HasSuffix(op, ".DeleteItem"):
			u.writes += delta
		case strings.HasSuffix(op, ".PutEvents"):
			u.events += delta
		}
	}
	return u
}

// BenchmarkCheckoutCost prices a typical paid checkout (a reward, a voucher
// and a giftcard tender) from what it used: Step Functions state
// transitions, Lambda invocations and their time, DynamoDB reads and
// writes, API requests and events. A change that makes checkouts dearer
// shows here. DynamoDB is priced at one request unit per request (items of
// at most 1 KB written, 4 KB read), and Lambda time as measured locally.
func BenchmarkCheckoutCost(b *testing.B) {
	var transitions, invocations, reads, writes, events float64
	var busySeconds float64
	n := 0
	for b.Loop() {
		b.StopTimer()
		contact := newCustomer(b, 1000)
		basket := newBasket(contact).reward(rewardUUID(b, rewardFreeCoffee), "").voucher(newVoucher(b, promotionWelcome, contact), "lock_redeem").
			tender("giftcard", newGiftcard(b, 500), 200, false)
		before := stack.Usage.Snapshot()
		b.StartTimer()
		started := startCheckout(b, basket)
		done := report(b, started.CheckoutID, "paid")
		b.StopTimer()
		if done.Status != "completed" {
			b.Fatalf("the checkout is %s", done.Status)
		}
		id, err := ledger.ParseCheckoutID(started.CheckoutID)
		if err != nil {
			b.Fatal(err)
		}
		name := checkout.ExecutionName(stack.Tenant.ID, id)
		if status, _ := describeExecution(b, "CheckoutStateMachine", name); status != "SUCCEEDED" {
			b.Fatalf("the execution is %s", status)
		}
		after := stack.Usage.Snapshot()
		transitions += float64(stateTransitions(b, fmt.Sprintf("arn:aws:states:%s:%s:execution:CheckoutStateMachine:%s", apigw.Region, apigw.AccountID, name)))
		used := usedBetween(before, after)
		invocations, reads, writes, events = invocations+used.invocations, reads+used.reads, writes+used.writes, events+used.events
		busySeconds += (after.Busy - before.Busy).Seconds()
		n++
		b.StartTimer()
	}
	per := func(v float64) float64 { return v / float64(n) }
	const apiRequests = 2 // start and payment
	cost := per(transitions)*priceTransition + per(invocations)*priceInvocation + per(busySeconds)*functionMemoryGB*priceGBSecond +
		per(reads)*priceReadUnit + per(writes)*priceWriteUnit + apiRequests*priceAPIRequest + per(events)*priceEvent
	b.ReportMetric(per(transitions), "state-transitions")
	b.ReportMetric(per(invocations), "lambda-invocations")
	b.ReportMetric(per(reads), "dynamodb-reads")
	b.ReportMetric(per(writes), "dynamodb-writes")
	b.ReportMetric(cost*1_000_000, "usd-per-million-checkouts")
}
