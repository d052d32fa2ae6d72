package ddblocal

import (
	"bufio"
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// orphanEnv makes this test binary a parent that starts DynamoDB Local,
// prints the JVM's pid and waits to be killed.
const orphanEnv = "DDBLOCAL_TEST_PARENT"

func TestMain(m *testing.M) {
	if os.Getenv(orphanEnv) != "" {
		s, err := Start(context.Background(), nil)
		if err != nil {
			os.Exit(1)
		}
		os.Stdout.WriteString(strconv.Itoa(s.cmd.Process.Pid) + "\n")
		select {}
	}
	os.Exit(m.Run())
}

// TestJVMDiesWithItsParent kills a process that started DynamoDB Local the
// hard way: its JVM goes too, instead of listening on for ever.
func TestJVMDiesWithItsParent(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is not installed")
	}
	parent := exec.Command(os.Args[0], "-test.run=^$")
	parent.Env = append(os.Environ(), orphanEnv+"=1")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = parent.Process.Kill()
		t.Fatalf("the parent did not start DynamoDB Local: %v", err)
	}
	jvm, err := strconv.Atoi(line[:len(line)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = parent.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(jvm, 0) == nil {
		if time.Now().After(deadline) {
			_ = syscall.Kill(jvm, syscall.SIGKILL)
			t.Fatalf("DynamoDB Local (pid %d) outlived the process that started it", jvm)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestListensOnLoopbackOnly dials the engine's port on every other address of
// this machine: none may answer, since the engine itself would bind them all.
func TestListensOnLoopbackOnly(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is not installed")
	}
	others := nonLoopbackAddresses(t)
	if len(others) == 0 {
		t.Skip("this machine has no address besides the loopback")
	}
	s, err := Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	endpoint, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if conn, err := net.DialTimeout("tcp", endpoint.Host, time.Second); err != nil {
		t.Fatalf("the loopback address does not answer: %v", err)
	} else {
		conn.Close()
	}
	for _, ip := range others {
		address := net.JoinHostPort(ip.String(), endpoint.Port())
		if conn, err := net.DialTimeout("tcp", address, time.Second); err == nil {
			conn.Close()
			t.Errorf("DynamoDB Local answers on %s", address)
		}
	}
}

func nonLoopbackAddresses(t *testing.T) []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	var ips []net.IP
	for _, addr := range addrs {
		if ipNet, ok := addr.(*net.IPNet); ok && !ipNet.IP.IsLoopback() && !ipNet.IP.IsLinkLocalUnicast() {
			ips = append(ips, ipNet.IP)
		}
	}
	return ips
}

// TestRestartKeepsDataOnDisk restarts an engine on disk: it answers on the
// same endpoint with the table and item it held.
func TestRestartKeepsDataOnDisk(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is not installed")
	}
	ctx := context.Background()
	s, err := StartOnDisk(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	client := awsdynamodb.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")},
		func(o *awsdynamodb.Options) { o.BaseEndpoint = aws.String(s.Endpoint) })
	def, err := LedgerTable()
	if err != nil {
		t.Fatal(err)
	}
	if err := CreateTable(ctx, client, "restarted", def); err != nil {
		t.Fatal(err)
	}
	item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}, "sk": &types.AttributeValueMemberS{Value: "b"}}
	if _, err := client.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String("restarted"), Item: item}); err != nil {
		t.Fatal(err)
	}
	if err := s.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := client.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String("restarted"), Key: item})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Item) == 0 {
		t.Fatal("the item is gone after the restart")
	}

	inMemory, err := Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer inMemory.Stop()
	if err := inMemory.Restart(ctx); err == nil {
		t.Error("an engine in memory restarted, losing its data")
	}
}
