package localsfn

import (
	"fmt"
	"strings"
)

const callbackSuffix = ".waitForTaskToken"

// resource is a Task state's Resource, classified by how the engine runs it.
type resource struct {
	arn string
	// function is the Lambda function that a function ARN Resource names; empty for service integrations.
	function string
	// service and action name a service integration, arn:aws:states:::<service>:<action>, as the history
	// reports them (for example "lambda" and "invoke.waitForTaskToken").
	service, action string
	// callback marks .waitForTaskToken: the task ends with SendTaskSuccess or SendTaskFailure.
	callback bool
}

func parseResource(arn string) (resource, error) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) == 7 && parts[0] == "arn" {
		switch {
		case parts[2] == "lambda" && parts[5] == "function":
			return resource{arn: arn, function: functionName(arn)}, nil
		case parts[2] == "states":
			r := resource{arn: arn, service: parts[5], action: parts[6], callback: strings.HasSuffix(parts[6], callbackSuffix)}
			if r.callback || r.invokesLambda() {
				return r, nil
			}
		}
	}
	return resource{}, fmt.Errorf("resource %q is not supported locally: use a Lambda function ARN, "+
		"arn:aws:states:::lambda:invoke or a %s integration", arn, callbackSuffix)
}

// callsFunction reports whether the task invokes a Lambda function, directly or through lambda:invoke.
func (r resource) callsFunction() bool {
	return r.function != "" || r.invokesLambda()
}

// invokesLambda reports whether the resource is arn:aws:states:::lambda:invoke, with or without a callback.
func (r resource) invokesLambda() bool {
	return r.service == "lambda" && strings.TrimSuffix(r.action, callbackSuffix) == "invoke"
}

// functionName extracts the function name from any form Lambda accepts: a name, name:qualifier,
// account:function:name or a full ARN, each with or without a version or alias.
func functionName(ref string) string {
	if _, afterPrefix, ok := strings.Cut(ref, "function:"); ok {
		ref = afterPrefix
	}
	name, _, _ := strings.Cut(ref, ":")
	return name
}
