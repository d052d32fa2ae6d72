// Package secretsmanager reads tenants' Leat credentials from AWS Secrets
// Manager, so tokens never sit in configuration, environment or logs.
package secretsmanager

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	awssm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/leatpos/gateway/shared/leat"
	"github.com/leatpos/gateway/shared/loyalty"
)

var _ leat.AccountResolver = (*LeatAccounts)(nil)

// API is the part of the Secrets Manager client used here.
type API interface {
	GetSecretValue(ctx context.Context, in *awssm.GetSecretValueInput, opts ...func(*awssm.Options)) (*awssm.GetSecretValueOutput, error)
}

// LeatAccounts resolves a secret id to a Leat account. The secret is a JSON
// object: {"api_url": "...", "personal_access_token": "..."} or, for OAuth
// client credentials, {"api_url": "...", "client_id": "...", "client_secret": "..."},
// with an optional "account_secret" that signs loyalty token URLs. A secret
// without "api_url" uses the deployment's Leat host.
type LeatAccounts struct {
	api         API
	defaultHost string
}

// NewLeatAccounts reads accounts through the client; defaultHost is the
// Leat API host of secrets that name none.
func NewLeatAccounts(api API, defaultHost string) *LeatAccounts {
	return &LeatAccounts{api: api, defaultHost: defaultHost}
}

type leatSecret struct {
	APIURL              string `json:"api_url"`
	PersonalAccessToken string `json:"personal_access_token"`
	ClientID            string `json:"client_id"`
	ClientSecret        string `json:"client_secret"`
	AccountSecret       string `json:"account_secret"`
}

// Account reads and parses the secret.
func (l *LeatAccounts) Account(ctx context.Context, secretID string) (leat.Account, error) {
	out, err := l.api.GetSecretValue(ctx, &awssm.GetSecretValueInput{SecretId: &secretID})
	if err != nil {
		return leat.Account{}, fmt.Errorf("secretsmanager: read %s: %w", secretID, err)
	}
	if out.SecretString == nil {
		return leat.Account{}, fmt.Errorf("%w: secret %s holds no text", loyalty.ErrPlatformCredentials, secretID)
	}
	var s leatSecret
	if err := json.Unmarshal([]byte(*out.SecretString), &s); err != nil {
		// The error text could quote the secret; say only where it is.
		return leat.Account{}, fmt.Errorf("%w: secret %s is not a JSON object", loyalty.ErrPlatformCredentials, secretID)
	}
	acc := leat.Account{BaseURL: cmp.Or(s.APIURL, l.defaultHost), AccountSecret: s.AccountSecret}
	switch {
	case s.PersonalAccessToken != "":
		acc.Credentials = leat.PersonalAccessToken(s.PersonalAccessToken)
	case s.ClientID != "" && s.ClientSecret != "":
		acc.Credentials = leat.ClientCredentials(s.ClientID, s.ClientSecret)
	default:
		return leat.Account{}, fmt.Errorf("%w: secret %s has neither personal_access_token nor client_id and client_secret",
			loyalty.ErrPlatformCredentials, secretID)
	}
	return acc, nil
}
