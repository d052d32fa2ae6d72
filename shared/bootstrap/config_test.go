package bootstrap_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/leatpos/gateway/shared/bootstrap"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    bootstrap.Config
		wantErr string
	}{
		{"defaults", map[string]string{"TABLE_NAME": "t"}, bootstrap.Config{TableName: "t", LeatAttemptTimeout: 4 * time.Second}, ""},
		{"everything set", map[string]string{"TABLE_NAME": "t", "DYNAMODB_ENDPOINT": "http://127.0.0.1:8000", "LOG_LEVEL": "debug", "LEAT_ATTEMPT_TIMEOUT": "2s"},
			bootstrap.Config{TableName: "t", DynamoDBEndpoint: "http://127.0.0.1:8000", LogLevel: slog.LevelDebug, LeatAttemptTimeout: 2 * time.Second}, ""},
		{"no table", map[string]string{}, bootstrap.Config{}, "TABLE_NAME"},
		{"bad level", map[string]string{"TABLE_NAME": "t", "LOG_LEVEL": "loud"}, bootstrap.Config{}, "LOG_LEVEL"},
		{"bad timeout", map[string]string{"TABLE_NAME": "t", "LEAT_ATTEMPT_TIMEOUT": "-1s"}, bootstrap.Config{}, "LEAT_ATTEMPT_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bootstrap.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
	}
}

// TestLambdaAWSConfig reads the region and the role's credentials Lambda
// sets, and refuses an environment without them.
func TestLambdaAWSConfig(t *testing.T) {
	lambdaEnv := map[string]string{"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token"}
	cfg, err := bootstrap.LambdaAWSConfig(func(k string) string { return lambdaEnv[k] })
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || cfg.Region != "eu-west-1" || creds.AccessKeyID != "AKID" || creds.SecretAccessKey != "secret" || creds.SessionToken != "token" {
		t.Fatalf("config %s, credentials %+v, %v", cfg.Region, creds, err)
	}
	for _, missing := range []string{"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		if _, err := bootstrap.LambdaAWSConfig(func(k string) string {
			if k == missing {
				return ""
			}
			return lambdaEnv[k]
		}); err == nil {
			t.Errorf("an environment without %s was accepted", missing)
		}
	}
}
