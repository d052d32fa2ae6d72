// Package bootstrap starts a function's container: it reads the
// configuration Lambda hands the function in its environment, builds the
// logger and the table every function uses, and hands the function's handler
// to the Lambda runtime. It links only that, so a function built from the
// container alone, the authorizer, stays small and starts fast; the others
// are built by package app on top of it.
package bootstrap

import (
	"errors"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/leatpos/gateway/shared/logging"
)

// Builder builds a function's Lambda handler from its container. It fails
// when a dependency cannot be built, such as one missing the setting it
// needs.
type Builder func(*Container) (any, error)

// Start is the whole main of a deployed function: read the environment, build
// the function, hand its handler to the Lambda runtime. name is the function's
// directory under functions/, which its logs carry.
func Start(name string, build Builder) {
	if err := start(name, build); err != nil {
		logger := logging.New(os.Stdout, slog.LevelInfo).With(logging.Function, name)
		logger.Error("function cannot start", "error", err.Error())
		os.Exit(1)
	}
}

func start(name string, build Builder) error {
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	awsCfg, err := LambdaAWSConfig(os.Getenv)
	if err != nil {
		return err
	}
	c, err := NewContainer(cfg, awsCfg, logging.New(os.Stdout, cfg.LogLevel).With(logging.Function, name))
	if err != nil {
		return err
	}
	handler, err := build(c)
	if err != nil {
		return err
	}
	lambda.Start(handler)
	return nil
}

// LambdaAWSConfig is the AWS configuration Lambda hands a function in its
// environment: the region and the role's credentials. Reading them there,
// rather than through the SDK's default chain of profiles, SSO and STS,
// keeps those clients out of every binary and off the cold start.
func LambdaAWSConfig(getenv func(string) string) (aws.Config, error) {
	region, key, secret := getenv("AWS_REGION"), getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if region == "" || key == "" || secret == "" {
		return aws.Config{}, errors.New("bootstrap: AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set, as Lambda sets them")
	}
	return aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider(key, secret, getenv("AWS_SESSION_TOKEN"))}, nil
}
