package api

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/leatpos/gateway/shared/tenancy"
)

// Authorizer context keys. HTTP API Lambda authorizers pass a flat map of
// strings on to the function, so lists travel space-separated.
const (
	authAuthenticated = "authenticated"
	authTenant        = "tenant"
	authKeyName       = "key_name"
	authScopes        = "scopes"
	authLocations     = "locations"
)

// AuthorizerFunc is the HTTP API's Lambda authorizer.
type AuthorizerFunc func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)

// Authorizer resolves the bearer key to a principal. An unknown or disabled
// key is denied here, so it never reaches a business function; API Gateway
// then answers 403 with its own body, {"message": "Forbidden"}, which HTTP
// APIs do not let the gateway shape. A failure to look the key up is
// returned, and API Gateway answers 500.
func Authorizer(dir tenancy.Directory) AuthorizerFunc {
	return func(ctx context.Context, req events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
		p, err := tenancy.Authenticate(ctx, dir, header(req.Headers, "Authorization"))
		switch {
		case err == nil:
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: principalContext(p)}, nil
		case isAuthFailure(err):
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: false}, nil
		default:
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
		}
	}
}

func isAuthFailure(err error) bool {
	return errorsIsAny(err, tenancy.ErrUnknownKey, tenancy.ErrKeyDisabled, tenancy.ErrTenantNotFound)
}

func principalContext(p tenancy.Principal) map[string]any {
	scopes := make([]string, 0, len(p.Scopes))
	for _, s := range p.Scopes {
		scopes = append(scopes, string(s))
	}
	locations := make([]string, 0, len(p.Locations))
	for _, l := range p.Locations {
		locations = append(locations, string(l))
	}
	return map[string]any{
		authAuthenticated: true,
		authTenant:        string(p.Tenant),
		authKeyName:       p.KeyName,
		authScopes:        strings.Join(scopes, " "),
		authLocations:     strings.Join(locations, " "),
	}
}

// principalFrom reads the principal the authorizer put in the request context.
// Anything short of an authenticated principal is ErrUnknownKey.
func principalFrom(rc events.APIGatewayV2HTTPRequestContext) (tenancy.Principal, error) {
	if rc.Authorizer == nil || rc.Authorizer.Lambda == nil {
		return tenancy.Principal{}, tenancy.ErrUnknownKey
	}
	ctx := rc.Authorizer.Lambda
	if ok, _ := ctx[authAuthenticated].(bool); !ok {
		return tenancy.Principal{}, tenancy.ErrUnknownKey
	}
	tenant, _ := ctx[authTenant].(string)
	if tenant == "" {
		return tenancy.Principal{}, tenancy.ErrUnknownKey
	}
	p := tenancy.Principal{Tenant: tenancy.TenantID(tenant)}
	p.KeyName, _ = ctx[authKeyName].(string)
	scopes, _ := ctx[authScopes].(string)
	for _, s := range strings.Fields(scopes) {
		p.Scopes = append(p.Scopes, tenancy.Scope(s))
	}
	locations, _ := ctx[authLocations].(string)
	for _, l := range strings.Fields(locations) {
		p.Locations = append(p.Locations, tenancy.LocationID(l))
	}
	return p, nil
}

// header reads a header case-insensitively; HTTP APIs lower-case them, tests
// and other callers may not.
func header(headers map[string]string, name string) string {
	if v, ok := headers[strings.ToLower(name)]; ok {
		return v
	}
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
