package app_test

import (
	"log/slog"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/leatpos/gateway/shared/app"
	"github.com/leatpos/gateway/shared/bootstrap"
)

// TestEnvBuildsEachDependencyOnce: the functions of one container, such as all
// of the local stack's, share each dependency, and so its caches.
func TestEnvBuildsEachDependencyOnce(t *testing.T) {
	container, err := bootstrap.NewContainer(bootstrap.Config{TableName: "t"}, aws.Config{Region: "us-east-1"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	env := app.NewEnv(container)
	directory, guard, loyalty := env.Directory(), env.Guard(), env.Loyalty()
	if env.Directory() != directory || env.Guard() != guard || env.Loyalty() != loyalty {
		t.Error("a dependency was built twice")
	}
}
