package secretsmanager_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	awssm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/leatpos/gateway/shared/loyalty"
	"github.com/leatpos/gateway/shared/secretsmanager"
)

// secrets is an in-memory Secrets Manager.
type secrets map[string]*string

func (s secrets) GetSecretValue(_ context.Context, in *awssm.GetSecretValueInput, _ ...func(*awssm.Options)) (*awssm.GetSecretValueOutput, error) {
	v, ok := s[*in.SecretId]
	if !ok {
		return nil, errors.New("ResourceNotFoundException")
	}
	return &awssm.GetSecretValueOutput{SecretString: v}, nil
}

func text(s string) *string { return &s }

func TestLeatAccounts(t *testing.T) {
	store := secrets{
		"leat/pat":     text(`{"api_url":"https://staging.leat.test","personal_access_token":"pat-secret-value"}`),
		"leat/oauth":   text(`{"client_id":"42","client_secret":"client-secret-value"}`),
		"leat/empty":   text(`{"api_url":"https://api.leat.com"}`),
		"leat/garbage": text(`personal_access_token=pat-secret-value`),
		"leat/binary":  nil,
	}
	tests := []struct {
		id      string
		baseURL string
		err     error
	}{
		{"leat/pat", "https://staging.leat.test", nil},
		{"leat/oauth", "https://api.leat.com", nil},
		{"leat/empty", "", loyalty.ErrPlatformCredentials},
		{"leat/garbage", "", loyalty.ErrPlatformCredentials},
		{"leat/binary", "", loyalty.ErrPlatformCredentials},
	}
	accounts := secretsmanager.NewLeatAccounts(store, "https://api.leat.com")
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			acc, err := accounts.Account(context.Background(), tt.id)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				if strings.Contains(err.Error(), "secret-value") {
					t.Fatalf("the error quotes the secret: %v", err)
				}
				return
			}
			if acc.BaseURL != tt.baseURL || acc.Credentials == nil {
				t.Fatalf("account %+v", acc)
			}
		})
	}
	if _, err := accounts.Account(context.Background(), "leat/missing"); err == nil {
		t.Fatal("a missing secret resolved")
	}
}
