// Package app wires the gateway's functions: the configuration a function
// reads from its environment (Config), the dependencies built from it (Env),
// and one Builder per function naming its handler and what that needs. Each
// functions/<name>/main.go starts its own builder, so a binary links only its
// own function; the local stack keeps the table of them all.
package app

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/leatpos/gateway/shared/logging"
)

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
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return err
	}
	env, err := NewEnv(cfg, awsCfg, logging.New(os.Stdout, cfg.LogLevel).With(logging.Function, name))
	if err != nil {
		return err
	}
	handler, err := build(env)
	if err != nil {
		return err
	}
	lambda.Start(handler)
	return nil
}
